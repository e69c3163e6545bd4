"""Pages of the focus groups (重点关注群体) and of income growth (增收成效): counts per
township, a group's list (paginated, masked, with the 无增收措施 mark and filter) and its
Excel export, and the growth table with its charts. Every read goes through
`dixian.income.focus` / `dixian.income.growth`, which start from the scoping layer."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dixian.areas.models import Area
from dixian.core.masking import mask_id_number
from dixian.core.models import AuditEvent
from dixian.core.services import audit_record
from dixian.exports.selectors import scope_label
from dixian.income import focus, growth
from dixian.income.focus_export import write_focus_xlsx
from dixian.monitoring.screening_selectors import townships_visible_to
from dixian.registry.selectors import MissingParameter

PER_PAGE = 50
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ListArgs:
    year: int | None
    years: list[int]
    township: str  # 9- or 12-digit code, "" for everything the user sees
    without_measure: bool

    def query(self, **extra: Any) -> str:
        params: dict[str, Any] = {"year": self.year or ""}
        if self.township:
            params["township"] = self.township
        if self.without_measure:
            params["no_measure"] = "1"
        params.update(extra)
        return urlencode(params)


def _args(request: HttpRequest) -> ListArgs:
    years = focus.income_years()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and int(raw) in years else (years[0] if years else None)
    township = request.GET.get("township", "").strip()
    if not (township.isdigit() and len(township) in (9, 12)):
        township = ""
    return ListArgs(year, years, township, request.GET.get("no_measure") == "1")


def _group(code: str) -> focus.FocusGroup:
    group = focus.GROUPS.get(code)
    if group is None:
        raise Http404
    return group


def _township_name(user: Any, township: str) -> str:
    if not township:
        return ""
    names = {t.code[:9]: t.name for t in townships_visible_to(user)}
    return names.get(township[:9], township)


# ---------------------------------------------------------------- focus groups


@dataclass(frozen=True)
class OverviewRow:
    township: Area | None  # None: the total over the user's scope
    cells: list[tuple[focus.FocusGroup, tuple[int, int] | None]]  # None: group not computable


@login_required
@require_GET
def focus_overview(request: HttpRequest) -> HttpResponse:
    args = _args(request)
    counts: dict[str, focus.GroupCounts | None] = {}
    errors: dict[str, str] = {}
    if args.year is not None:
        ctx = focus.FocusContext(args.year)
        for code in focus.GROUPS:
            try:
                counts[code] = focus.group_counts(
                    request.user, code, args.year, as_of=timezone.localdate(), ctx=ctx
                )
            except MissingParameter as exc:
                counts[code], errors[code] = None, str(exc)
    groups = list(focus.GROUPS.values())
    rows = [
        OverviewRow(t, [(g, _cell(counts.get(g.code), t.code[:9])) for g in groups])
        for t in townships_visible_to(request.user)
    ]
    rows.append(OverviewRow(None, [(g, _cell(counts.get(g.code), None)) for g in groups]))
    ctx_page = {"args": args, "groups": groups, "rows": rows, "errors": errors}
    return render(request, "income/focus_overview.html", ctx_page)


def _cell(counts: focus.GroupCounts | None, town: str | None) -> tuple[int, int] | None:
    if counts is None:
        return None
    if town is None:
        return counts.total, counts.total_without_measure
    return counts.by_township.get(town, (0, 0))


@login_required
@require_GET
def focus_list(request: HttpRequest, code: str) -> HttpResponse:
    group, args = _group(code), _args(request)
    page_ctx: dict[str, Any] = {
        "group": group,
        "args": args,
        "township_name": _township_name(request.user, args.township),
        "error": "",
        "rows": [],
        "page": None,
        "years": [],
    }
    if args.year is not None:
        ctx = focus.FocusContext(args.year)
        try:
            qs = _members(request, code, args, ctx)
        except MissingParameter as exc:
            page_ctx["error"] = str(exc)
        else:
            page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
            page_ctx["page"] = page
            page_ctx["rows"] = [_list_row(h, group, ctx) for h in page]
            page_ctx["years"] = [args.year - back for back in range(group.years_back, -1, -1)]
    return render(request, "income/focus_list.html", page_ctx)


def _members(request: HttpRequest, code: str, args: ListArgs, ctx: focus.FocusContext) -> Any:
    """The group's members the user sees, as the list and the export both show them."""
    return focus.group_list(
        request.user,
        code,
        ctx.year,
        township=args.township,
        without_measure=args.without_measure,
        as_of=timezone.localdate(),
        ctx=ctx,
    )


def _list_row(h: Any, group: focus.FocusGroup, ctx: focus.FocusContext) -> dict[str, Any]:
    names = ("before_previous", "previous")[2 - group.years_back :]
    return {
        "household": h,
        "id_masked": mask_id_number(h.head_id_number),
        "incomes": [*(getattr(h, n) for n in names), h.income],
        "reason": group.describe(h, ctx),
    }


@never_cache
@login_required
@require_GET
def focus_export(request: HttpRequest, code: str) -> HttpResponse:
    group, args = _group(code), _args(request)
    if args.year is None:
        raise Http404
    ctx = focus.FocusContext(args.year)
    try:
        qs = _members(request, code, args, ctx)
    except MissingParameter as exc:
        return HttpResponse(str(exc), status=409, content_type="text/plain; charset=utf-8")
    where = _township_name(request.user, args.township) or scope_label(request.user)
    only = "，仅无增收措施户" if args.without_measure else ""
    title_rows = [
        f"{args.year}年重点关注群体名单：{group.label}（{group.code}）",
        f"范围：{where}{only}　导出时间：{timezone.localtime():%Y-%m-%d %H:%M}　导出人：{request.user}",
        "证件号码已脱敏",
    ]
    buffer = io.BytesIO()
    rows = write_focus_xlsx(buffer, title_rows=title_rows, group=group, ctx=ctx, households=qs)
    audit_record(
        request=request,
        user=request.user,
        action=AuditEvent.Action.EXPORT,
        detail=f"重点关注群体导出 {group.code} {args.year}年 范围：{where}{only} {rows}户 证件号码已脱敏",
    )
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    filename = f"重点关注群体_{group.code}_{args.year}_{timezone.localtime():%Y%m%d%H%M%S}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# ---------------------------------------------------------------- growth


@login_required
@require_GET
def growth_page(request: HttpRequest) -> HttpResponse:
    years = sorted(focus.income_years())
    county_wide = growth.is_county_wide(request.user)
    township = request.GET.get("township", "").strip()
    if not (county_wide and township.isdigit() and len(township) in (9, 12)):
        township = ""
    tables = [growth.growth_table(request.user, p, years) for p in growth.POPULATIONS]
    histograms = (
        [growth.histogram(request.user, p, years, township=township) for p in growth.POPULATIONS]
        if growth.sees_figures(request.user)
        else []
    )
    focus_row = township[:9] if county_wide else ""
    ctx = {
        "years": years,
        "tables": tables,
        "county_wide": county_wide,
        "township": township,
        "townships": townships_visible_to(request.user) if county_wide else [],
        "chart_data": growth.chart_data(tables, histograms, focus_row),
    }
    return render(request, "income/growth.html", ctx)
