"""Pages of the income-decline ledger: the county overview, a township's ledger, the
row form, submit and reopen, and the workbook. Views parse and render; the rules are in
`services`, the reads in `selectors`."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dixian.accounts.roles import Role
from dixian.core.masking import mask_id_number
from dixian.income.ledger import export, selectors, services
from dixian.income.ledger.forms import ReopenForm, RowForm
from dixian.income.models import DeclineCause, IncomeLedger, IncomeLedgerRow

PAGE_SIZE = 100


def _year(request: HttpRequest, years: list[int]) -> int | None:
    asked = request.GET.get("year", "")
    if asked.isdigit() and int(asked) in years:
        return int(asked)
    return years[0] if years else None


@login_required
@require_GET
def ledger_home(request: HttpRequest) -> HttpResponse:
    """County users: every township's ledger against the deadline. Others: their own."""
    years = selectors.ledger_years(request.user)
    year = _year(request, years)
    if selectors.sees_county(request.user):
        deadline, townships = selectors.county_overview(request.user, year) if year else (None, [])
        ctx = {
            "year": year,
            "years": years,
            "deadline": deadline,
            "townships": townships,
            "statuses": IncomeLedgerRow.Status.choices,
            "may_reopen": Role.COUNTY_ADMIN in selectors.roles_of(request.user),
            "today": dt.date.today(),
        }
        return render(request, "income/ledger/county.html", ctx)
    ledger = selectors.ledgers_visible_to(request.user).filter(year=year).first() if year else None
    if ledger is not None:
        return redirect("income_ledger_detail", pk=ledger.pk)
    return render(request, "income/ledger/empty.html", {"year": year})


@login_required
@require_GET
def ledger_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ledger = selectors.get_ledger_for_user(request.user, pk)
    status = request.GET.get("status", "")
    status = status if status in IncomeLedgerRow.Status.values else ""
    cause = request.GET.get("cause", "")
    cause = cause if cause in DeclineCause.values else ""
    rows = selectors.ledger_rows(request.user, ledger=ledger, status=status, cause=cause)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    roles = selectors.roles_of(request.user)
    drafting = ledger.status == IncomeLedger.Status.DRAFTING
    deadline = selectors.deadline_of(ledger.year)
    ctx = {
        "ledger": ledger,
        "page": page,
        "status": status,
        "cause": cause,
        "statuses": IncomeLedgerRow.Status.choices,
        "causes": DeclineCause.choices,
        "counts": selectors.status_counts(request.user, ledger),
        "deadline": deadline,
        "state": selectors.submission_state(ledger, deadline.day, dt.date.today()),
        "may_edit": drafting and bool(roles & services.EDITORS),
        "may_submit": drafting and Role.TOWNSHIP in roles,
        "may_reopen": not drafting and Role.COUNTY_ADMIN in roles,
        "reopen_form": ReopenForm(initial={"version": ledger.version}),
        "sees_county": selectors.sees_county(request.user),
    }
    return render(request, "income/ledger/detail.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def row_edit(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.get_row_for_user(request.user, pk)
    form = RowForm(request.POST or None, row=row)
    if request.method == "POST" and form.is_valid():
        try:
            services.row_update(actor=request.user, row_id=row.pk, request=request, **form.service_kwargs())
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                f"{row.household.number} 已保存（{dict(IncomeLedgerRow.Status.choices)[form.cleaned_data['status']]}）",
            )
            return redirect("income_ledger_detail", pk=row.ledger_id)
    head = selectors.household_head(row)
    ctx = {
        "row": row,
        "form": form,
        "head_name": head.name if head else "",
        "head_id_masked": mask_id_number(head.id_number) if head else "",
        "may_edit": row.ledger.status == IncomeLedger.Status.DRAFTING
        and bool(selectors.roles_of(request.user) & services.EDITORS),
    }
    return render(request, "income/ledger/row_form.html", ctx, status=422 if form.is_bound else 200)


def _version(request: HttpRequest) -> int:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else -1


@login_required
@require_POST
def ledger_submit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.ledger_submit(actor=request.user, ledger_id=pk, version=_version(request), request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "台账已报送县农业农村局")
    return redirect("income_ledger_detail", pk=pk)


@login_required
@require_POST
def ledger_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.ledger_reopen(
            actor=request.user,
            ledger_id=pk,
            version=_version(request),
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "台账已退回乡镇，状态为编制中")
    return redirect("income_ledger_detail", pk=pk)


@login_required
@require_GET
def ledger_export(request: HttpRequest) -> HttpResponse:
    years = selectors.ledger_years(request.user)
    year = _year(request, years)
    if year is None:
        messages.error(request, "暂无可导出的台账")
        return redirect("income_ledger_home")
    content, filename = export.ledger_workbook_for(request.user, year, request=request)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response
