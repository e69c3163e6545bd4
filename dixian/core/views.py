"""The audit page: county admins read who did or saw what, and who signed in from where."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dixian.core import audit
from dixian.core.models import AuditEvent
from dixian.core.services import audit_record
from dixian.exports.writers import write_xlsx

PER_PAGE = 50


def _events(request: HttpRequest) -> tuple[audit.AuditFilterForm, dict[str, Any] | None]:
    if not audit.can_read_audit(request.user):
        raise PermissionDenied
    form = audit.AuditFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return form, None
    return form, form.cleaned_data if form.is_bound else {}


@never_cache
@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    form, filters = _events(request)
    visible = audit.events_visible_to(request.user)
    events = audit.filter_events(visible, filters) if filters is not None else AuditEvent.objects.none()
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "sign_ins": audit.sign_ins_visible_to(request.user)
            if request.GET.get("tab") == "logins"
            else None,
        },
    )


@never_cache
@login_required
@require_GET
def audit_export(request: HttpRequest) -> HttpResponse | FileResponse:
    form, filters = _events(request)
    if filters is None:
        return HttpResponse("筛选条件有误，请返回审计页修改后重试。", status=400)
    events = audit.filter_events(audit.events_visible_to(request.user), filters)
    path = Path(tempfile.mkstemp(suffix=".xlsx")[1])
    title = f"审计记录（{audit.describe(filters)}，导出于 {timezone.localtime():%Y-%m-%d %H:%M}）"
    n = write_xlsx(path, [title, ""], audit.HEADER, audit.rows(events), sheet_name="审计记录")
    audit_record(
        request=request,
        user=request.user,
        action=AuditEvent.Action.EXPORT,
        detail=f"审计记录导出 {audit.describe(filters)} 共{n}条",
    )
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=f"audit_{timezone.localdate():%Y%m%d}.xlsx"
    )
    path.unlink()  # the open handle keeps the data until the response is sent
    return response
