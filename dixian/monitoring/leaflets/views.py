"""明白纸 pages: the list of sheets for a year, and the printable sheets (one A4 page each).
Any logged-in user may read them: they are public documents with no personal data."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dixian.accounts.roles import PERM_CHANGE_PARAMETERS
from dixian.monitoring.leaflets import selectors
from dixian.monitoring.leaflets.sheets import SHEETS, Sheet


def _year(request: HttpRequest, current: int) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= current + 1:
        return int(raw)
    return current


def _context(request: HttpRequest, sheets: list[Sheet]) -> dict[str, object]:
    today = timezone.localdate()
    year = _year(request, today.year)
    data = selectors.leaflet_year(year, sheets, today=today)
    return {
        "year": year,
        "years": selectors.leaflet_years(today.year),
        "data": data,
        "p": data.figures,
        "sheets": sheets,
        "cards": [(sheet, [data.figures[code] for code in sheet.codes]) for sheet in sheets],
        "can_edit_parameters": request.user.has_perm(PERM_CHANGE_PARAMETERS),
    }


@login_required
@require_GET
def leaflet_index(request: HttpRequest) -> HttpResponse:
    return render(request, "monitoring/leaflets/index.html", _context(request, list(SHEETS.values())))


@login_required
@require_GET
def leaflet_sheet(request: HttpRequest, slug: str) -> HttpResponse:
    sheet = SHEETS.get(slug)
    if sheet is None:
        raise Http404
    ctx = _context(request, [sheet])
    ctx["auto_print"] = request.GET.get("print") == "1"
    return render(request, "monitoring/leaflets/print.html", ctx)


@login_required
@require_GET
def leaflet_all(request: HttpRequest) -> HttpResponse:
    ctx = _context(request, list(SHEETS.values()))
    ctx["auto_print"] = request.GET.get("print") == "1"
    return render(request, "monitoring/leaflets/print.html", ctx)
