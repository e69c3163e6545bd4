"""Data-quality pages: counts by check × township, one check's findings, and the
rectification list export. Every number comes from the user's scope (selectors)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dixian.core.models import AuditEvent
from dixian.core.services import audit_record
from dixian.dataquality import selectors
from dixian.dataquality.checks import BY_CODE, CATALOGUE, Check, Context
from dixian.dataquality.exports import rectification_workbook
from dixian.registry.parameters import ParameterError

PER_PAGE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _context(request: HttpRequest) -> Context:
    year = request.GET.get("year", "")
    return selectors.context_for_user(
        request.user, year=int(year) if year.isdigit() and len(year) == 4 else None
    )


def _township(request: HttpRequest, townships: dict[str, Any]) -> str:
    """The `?township=` filter: empty, or a township in the user's scope (else 404)."""
    code = request.GET.get("township", "")
    if code and code not in townships:
        raise Http404
    return code


def _check(code: str) -> Check:
    check = BY_CODE.get(code.upper())
    if check is None:
        raise Http404
    return check


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    ctx = _context(request)
    townships = selectors.townships_for_user(request.user)
    rows = []
    for check in CATALOGUE:
        try:
            counts = selectors.counts_by_township(check, ctx)
        except ParameterError as exc:
            rows.append({"check": check, "error": str(exc), "cells": [], "total": None})
            continue
        cells = [(t, counts.get(t.code, 0)) for t in townships]
        rows.append({"check": check, "error": "", "cells": cells, "total": sum(n for _, n in cells)})
    ctx_data = {"rows": rows, "townships": townships, "year": ctx.year, "as_of": ctx.as_of}
    return render(request, "dataquality/overview.html", ctx_data)


@login_required
@require_GET
def check_detail(request: HttpRequest, code: str) -> HttpResponse:
    check = _check(code)
    townships = {t.code: t for t in selectors.townships_for_user(request.user)}
    township = _township(request, townships)
    ctx = _context(request)
    try:
        rows = selectors.finding_rows(check, ctx, township)
    except ParameterError as exc:
        rows, error = [], str(exc)
    else:
        error = ""
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    areas = selectors.area_names({r.area_id for r in page})
    data = {
        "check": check,
        "page": page,
        "items": [(r, areas.get(r.area_id)) for r in page],
        "township": townships.get(township),
        "townships": townships.values(),
        "year": ctx.year,
        "error": error,
    }
    return render(request, "dataquality/check_detail.html", data)


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """整改清单 of the user's scope, optionally one township and/or one check."""
    townships = {t.code: t for t in selectors.townships_for_user(request.user)}
    township = _township(request, townships)
    checks = [_check(request.GET["check"])] if request.GET.get("check") else CATALOGUE
    ctx = _context(request)
    findings = []
    for check in checks:
        try:
            findings.append((check, selectors.finding_rows(check, ctx, township)))
        except ParameterError:
            continue
    place = townships[township].name if township else "本级范围"
    title = f"疑点数据整改清单（{place}，{ctx.year}年度，基准日{ctx.as_of:%Y-%m-%d}）"
    content = rectification_workbook(findings, title)
    total = sum(len(rows) for _, rows in findings)
    audit_record(
        request=request,
        user=request.user,
        action=AuditEvent.Action.EXPORT,
        detail=f"疑点数据整改清单 {place} {','.join(c.code for c in checks) if len(checks) < 5 else '全部检查'} 共{total}条",
    )
    response = HttpResponse(content, content_type=XLSX)
    filename = f"dataquality_{township or 'all'}_{ctx.as_of:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
