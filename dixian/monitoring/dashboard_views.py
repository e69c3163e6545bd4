"""The monitoring dashboard (issue 4): monitored households by township, category and
risk type, the pipeline from clue to approval, and the pending warnings per rule. Every
figure comes from `dashboard_selectors` (through the scoping layer) and links to its list."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dixian.monitoring import dashboard_selectors as selectors
from dixian.monitoring.models import MonitoringCase
from dixian.monitoring.rules import RULES


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    board = selectors.dashboard(request.user, today=timezone.localdate())
    ctx = {
        "board": board,
        "chart_data": board.chart_data(),
        "rules": list(RULES.values()),
        "approved": MonitoringCase.Status.APPROVED,
        "not_included": MonitoringCase.Status.NOT_INCLUDED,
    }
    return render(request, "monitoring/dashboard.html", ctx)
