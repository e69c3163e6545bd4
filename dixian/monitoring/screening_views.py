"""Warning pages (预警线索): counts per township × rule, the list of one rule with Excel
export, and the county administrator's "run screening" button (a background task whose
progress the page polls with htmx). Every read goes through `screening_selectors`."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch

from dixian.accounts.roles import Role
from dixian.core.models import AuditEvent
from dixian.core.services import audit_record
from dixian.monitoring import screening_selectors as selectors
from dixian.monitoring.models import ScreeningWarning
from dixian.monitoring.rules import RULES, Rule
from dixian.monitoring.screening_export import write_warnings_xlsx
from dixian.monitoring.screening_tasks import run_screening_task

PER_PAGE = 50
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def can_run_screening(user: object) -> bool:
    return bool(getattr(user, "is_superuser", False) or Role.COUNTY_ADMIN in getattr(user, "roles", ()))


@login_required
@require_GET
def warning_summary(request: HttpRequest) -> HttpResponse:
    ctx = {
        "rules": list(RULES.values()),
        "rows": selectors.township_table(request.user),
        "can_run": can_run_screening(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "monitoring/screening_summary.html", ctx)


@login_required
@require_GET
def warning_list(request: HttpRequest, code: str) -> HttpResponse:
    rule, township, status = _list_args(request, code)
    warnings = selectors.warning_list(request.user, rule=rule.code, township=township, status=status)
    page = Paginator(warnings, PER_PAGE).get_page(request.GET.get("page"))
    ctx = {
        "rule": rule,
        "page": page,
        "township": township,
        "township_name": _township_name(request, township),
        "status": status,
        "statuses": ScreeningWarning.Status.choices,
        "query": request.GET.urlencode(),
    }
    return render(request, "monitoring/screening_list.html", ctx)


@never_cache
@login_required
@require_GET
def warning_export(request: HttpRequest, code: str) -> HttpResponse:
    rule, township, status = _list_args(request, code)
    warnings = selectors.warning_list(request.user, rule=rule.code, township=township, status=status)
    title = f"预警线索 {rule.code} {rule.label}（{_township_name(request, township) or '全部乡镇'}）"
    buffer = io.BytesIO()
    rows = write_warnings_xlsx(buffer, title=title, user=request.user, warnings=warnings)
    audit_record(
        request=request,
        user=request.user,
        action=AuditEvent.Action.EXPORT,
        detail=f"{title} 状态={status or '全部'} {rows} 条",
    )
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    filename = f"预警线索_{rule.code}_{timezone.localtime():%Y%m%d%H%M%S}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_POST
def screening_run(request: HttpRequest) -> HttpResponse:
    if not can_run_screening(request.user):
        raise PermissionDenied
    try:
        as_of = dt.date.fromisoformat(request.POST.get("as_of") or timezone.localdate().isoformat())
    except ValueError:
        return HttpResponse("基准日格式应为 YYYY-MM-DD", status=400)
    result = run_screening_task.enqueue(as_of=as_of.isoformat())
    return render(request, "monitoring/screening_run.html", {"result": result, "as_of": as_of})


@never_cache
@login_required
@require_GET
def screening_run_status(request: HttpRequest, result_id: str) -> HttpResponse:
    if not can_run_screening(request.user):
        raise PermissionDenied
    try:
        result = run_screening_task.get_result(result_id)
    except (TaskResultDoesNotExist, TaskResultMismatch, ValidationError, ValueError):
        raise Http404 from None
    counts = result.return_value if result.status == "SUCCESSFUL" else None
    ctx = {"result": result, "counts": counts and [(RULES[c], n) for c, n in counts.items() if c in RULES]}
    return render(request, "monitoring/screening_run.html", ctx)


def _list_args(request: HttpRequest, code: str) -> tuple[Rule, str, str]:
    rule = RULES.get(code)
    if rule is None:
        raise Http404
    township = request.GET.get("township", "").strip()
    if township and not (township.isdigit() and len(township) in (9, 12)):
        township = ""
    status = request.GET.get("status", ScreeningWarning.Status.PENDING)
    if status not in ScreeningWarning.Status.values:
        status = ""  # all statuses
    return rule, township, status


def _township_name(request: HttpRequest, township: str) -> str:
    if not township:
        return ""
    names = {t.code[:9]: t.name for t in selectors.townships_visible_to(request.user)}
    return names.get(township[:9], township)
