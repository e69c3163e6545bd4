"""Figures of the monitoring dashboard (issue 4). Every figure starts from the scoping
layer and is computed set-based: a handful of grouped queries, never a loop over
households. "Monitored" means a case APPROVED and not eliminated."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr

from dixian.accounts.scope import cases_visible_to, scope_key
from dixian.areas.models import Area
from dixian.core import generations
from dixian.monitoring import screening_selectors
from dixian.monitoring.models import CaseRisk, Category, MonitoringCase, Review, RiskType
from dixian.registry.selectors import MissingParameter, parameter_value

Status = MonitoringCase.Status
CATEGORIES: list[str] = list(Category.values)


def monitored_cases(user: Any) -> QuerySet[MonitoringCase]:
    return cases_visible_to(user).filter(status=Status.APPROVED, eliminated=False)


@dataclass(frozen=True)
class CategoryRow:
    township: Area | None  # None: the total over everything the user sees
    counts: list[tuple[str, int]]  # (category, monitored households) in CATEGORIES order
    total: int


def category_table(user: Any, townships: list[Area]) -> list[CategoryRow]:
    """Monitored households per township (of residence) × category for the user's
    townships, and a total row over all the user sees (which includes relocated
    households seen for their origin's duties while living in another township)."""
    per_town: dict[tuple[str, str], int] = {}
    rows_qs = (
        monitored_cases(user)
        .order_by()
        .annotate(town=Substr("household__area_id", 1, 9))
        .values("town", "category")
        .annotate(n=Count("household_id", distinct=True))
    )
    for row in rows_qs:
        per_town[(row["town"], row["category"])] = row["n"]
    rows = []
    for town in townships:
        counts = [(c, per_town.get((town.code[:9], c), 0)) for c in CATEGORIES]
        rows.append(CategoryRow(town, counts, sum(n for _, n in counts)))
    totals = dict(
        monitored_cases(user)
        .order_by()
        .values("category")
        .annotate(n=Count("household_id", distinct=True))
        .values_list("category", "n")
    )
    total_counts = [(c, totals.get(c, 0)) for c in CATEGORIES]
    total = monitored_cases(user).order_by().values("household_id").distinct().count()
    rows.append(CategoryRow(None, total_counts, total))
    return rows


def risk_counts(user: Any) -> list[tuple[str, int]]:
    """Monitored households per risk type (a household with several risks counts once
    under each), every risk type listed in RiskType order."""
    counts = dict(
        CaseRisk.objects.filter(case__in=monitored_cases(user))
        .order_by()
        .values("risk_type")
        .annotate(n=Count("case__household_id", distinct=True))
        .values_list("risk_type", "n")
    )
    return [(r, counts.get(r, 0)) for r in RiskType.values]


@dataclass(frozen=True)
class Pipeline:
    open_counts: list[tuple[str, str, int]]  # (status, label, cases) in OPEN_STATUSES order
    approved_this_year: int
    not_included_this_year: int
    overdue: int | None  # None when identification_days is not set
    identification_days: int | None
    missing_parameter: str  # the message when identification_days is not set
    year: int


def pipeline(user: Any, today: dt.date | None = None) -> Pipeline:
    """Cases from clue to approval, in one aggregate query (plus the parameter read)."""
    today = today or dt.date.today()
    year = today.year
    days: int | None
    try:
        days = int(parameter_value("identification_days", year).value)
        missing = ""
    except MissingParameter as exc:
        days, missing = None, str(exc)
    county_final = Review.objects.filter(
        case_id=OuterRef("pk"),
        elimination__isnull=True,
        level=Review.Level.COUNTY,
        decided_on__year=year,
    )
    aggregates: dict[str, Any] = {
        s.value: Count("pk", filter=Q(status=s.value)) for s in MonitoringCase.OPEN_STATUSES
    }
    aggregates["approved_this_year"] = Count("pk", filter=Q(status=Status.APPROVED, identified_on__year=year))
    aggregates["not_included_this_year"] = Count("pk", filter=Q(status=Status.NOT_INCLUDED, has_final=True))
    if days is not None:
        cutoff = today - dt.timedelta(days=days)
        aggregates["overdue"] = Count(
            "pk", filter=Q(status__in=MonitoringCase.OPEN_STATUSES, opened_on__lt=cutoff)
        )
    row = cases_visible_to(user).order_by().annotate(has_final=Exists(county_final)).aggregate(**aggregates)
    return Pipeline(
        open_counts=[(s.value, s.label, row[s.value]) for s in MonitoringCase.OPEN_STATUSES],
        approved_this_year=row["approved_this_year"],
        not_included_this_year=row["not_included_this_year"],
        overdue=row.get("overdue") if days is not None else None,
        identification_days=days,
        missing_parameter=missing,
        year=year,
    )


@dataclass(frozen=True)
class Dashboard:
    townships: list[Area]
    categories: list[str]
    category_rows: list[CategoryRow]
    risks: list[tuple[str, int]]
    pipeline: Pipeline
    warning_rows: list[screening_selectors.TownshipRow]

    def chart_data(self) -> dict[str, Any]:
        """What the static chart script draws (passed through json_script)."""
        town_rows = [r for r in self.category_rows if r.township is not None]
        return {
            "townships": [r.township.name for r in town_rows if r.township is not None],
            "categories": self.categories,
            "series": [[dict(r.counts)[c] for r in town_rows] for c in self.categories],
            "risks": [{"name": r, "value": n} for r, n in self.risks if n],
        }


def dashboard(user: Any, today: dt.date | None = None) -> Dashboard:
    """The dashboard's figures, cached per user and day until the monitoring data changes
    (`dixian.core.generations`): at 1,000,000 households they take seconds to compute."""
    today = today or dt.date.today()
    return generations.cached(
        generations.MONITORING,
        f"dashboard:{scope_key(user)}:{today.isoformat()}",
        lambda: _compute(user, today),
    )


def _compute(user: Any, today: dt.date) -> Dashboard:
    townships = screening_selectors.townships_visible_to(user)
    return Dashboard(
        townships=townships,
        categories=CATEGORIES,
        category_rows=category_table(user, townships),
        risks=risk_counts(user),
        pipeline=pipeline(user, today),
        warning_rows=screening_selectors.township_table(user),
    )
