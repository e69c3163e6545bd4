"""Reads for the workflow pages; every one starts from the scoping layer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from dixian.accounts.scope import cases_visible_to
from dixian.areas.codes import township_code
from dixian.areas.models import Area
from dixian.monitoring.models import (
    AssistanceMeasure,
    CaseAnalysis,
    EliminationCase,
    HouseholdVisit,
    JointAssessment,
    MonitoringCase,
    Publicity,
    Review,
)
from dixian.monitoring.workflow import conditions as cond
from dixian.monitoring.workflow import machine as m
from dixian.registry.choices import WITH_LABOUR
from dixian.registry.models import PolicyParameter
from dixian.registry.selectors import MissingParameter, parameter_value


def _param_int(code: str, year: int, default: int) -> int:
    try:
        return int(parameter_value(code, year).value)
    except MissingParameter:
        return default


def case_list(
    user: Any, *, status: str = "", overdue: bool = False, today: dt.date | None = None
) -> list[MonitoringCase]:
    """Cases in scope, newest clue first; each with `overdue` set (clue older than
    identification_days, read for the year the clue was opened)."""
    today = today or dt.date.today()
    qs = cases_visible_to(user).select_related("household", "household__area", "household__area__parent")
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=m.OPEN)
    qs = qs.order_by("-opened_on", "-pk")
    days_by_year: dict[int, int] = {}
    result = []
    for case in qs[:500]:
        year = (case.opened_on or today).year
        if year not in days_by_year:
            days_by_year[year] = _param_int("identification_days", year, 15)
        case.overdue = m.is_overdue(case.opened_on, case.status, days_by_year[year], today)  # type: ignore[attr-defined]
        if not overdue or case.overdue:  # type: ignore[attr-defined]
            result.append(case)
    return result


@dataclass
class TimelineEntry:
    on: dt.date
    title: str
    record: Any
    kind: str


@dataclass
class CaseView:
    case: MonitoringCase
    timeline: list[TimelineEntry]
    eliminations: list[EliminationCase]
    open_elimination: EliminationCase | None
    elimination_timeline: list[TimelineEntry]
    analyses: list[CaseAnalysis]
    conditions: list[cond.Condition] = field(default_factory=list)
    latest_publicity: Publicity | None = None
    deadline: dt.date | None = None  # opened_on + identification_days, while open
    overdue: bool = False


def _timeline(case: MonitoringCase, elimination: EliminationCase | None) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    base = {"case": case, "elimination": elimination}
    by = ("recorded_by",)
    for v in HouseholdVisit.objects.filter(**base).select_related(*by):
        entries.append(TimelineEntry(v.visited_on, "入户核实", v, "visit"))
    for a in JointAssessment.objects.filter(**base).select_related(*by):
        entries.append(TimelineEntry(a.sat_on, "村级评议", a, "assessment"))
    for p in Publicity.objects.filter(**base).select_related(*by):
        entries.append(TimelineEntry(p.starts_on, "公示", p, "publicity"))
    for r in Review.objects.filter(**base).select_related(*by):
        entries.append(TimelineEntry(r.decided_on, r.get_level_display(), r, "review"))
    entries.sort(key=lambda e: (e.record.recorded_at, e.record.pk))
    return entries


def case_view(user: Any, pk: int, today: dt.date | None = None) -> CaseView:
    case = get_object_or_404(cases_visible_to(user).select_related("household", "household__area"), pk=pk)
    eliminations = list(case.eliminations.order_by("-pk"))
    open_elim = next((e for e in eliminations if e.status != EliminationCase.Status.APPROVED), None)
    shown = open_elim or (eliminations[0] if eliminations else None)
    view = CaseView(
        case=case,
        timeline=_timeline(case, None),
        eliminations=eliminations,
        open_elimination=open_elim,
        elimination_timeline=_timeline(case, shown) if shown else [],
        analyses=list(case.analyses.select_related("analyst")),
        latest_publicity=Publicity.objects.filter(case=case).order_by("-pk").first(),
    )
    if case.status in m.OPEN and case.opened_on is not None:
        days = _param_int("identification_days", case.opened_on.year, 15)
        view.deadline = case.opened_on + dt.timedelta(days=days)
        view.overdue = m.is_overdue(case.opened_on, case.status, days, today or dt.date.today())
    if case.status == m.APPROVED and not case.eliminated:
        view.conditions = elimination_conditions(case, today=today)
    return view


def elimination_conditions(case: MonitoringCase, *, today: dt.date | None = None) -> list[cond.Condition]:
    """Each condition of DOMAIN.md §4 for this case, met or not, as of `today`."""
    today = today or dt.date.today()
    household = case.household
    income = household.incomes.order_by("-year").first()
    line: Decimal | None = None
    if income is not None:
        row = (
            PolicyParameter.objects.filter(code="monitoring_line", year__lte=income.year)
            .order_by("-year")
            .first()
        )
        line = Decimal(row.value) if row else None
    members = household.members.aggregate(
        n=Count("pk"), labour=Count("pk", filter=Q(labour_skill__in=WITH_LABOUR))
    )
    measures = AssistanceMeasure.objects.filter(household=household).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=case.identified_on or today)
    )
    facts = cond.Facts(
        income_year=income.year if income else None,
        per_capita_net=income.per_capita_net if income else None,
        monitoring_line=line,
        identified_on=case.identified_on,
        min_months=_param_int("elimination_min_months", today.year, 6),
        measure_count=measures.count(),
        members_with_labour=members["labour"],
        member_count=members["n"],
        dangerous_housing=household.dangerous_housing,
        safe_water=household.safe_water,
        today=today,
    )
    return cond.evaluate(facts)


def publicity_list(user: Any, pk: int) -> tuple[Publicity, list[dict[str, Any]]]:
    """The 公示 named by `pk` and every 公示 of the same village, procedure and period in
    scope, as rows without ID numbers, phones or health details."""
    publicity = get_object_or_404(
        Publicity.objects.filter(case__in=cases_visible_to(user)).select_related("case__household__area"),
        pk=pk,
    )
    same = (
        Publicity.objects.filter(
            case__in=cases_visible_to(user),
            case__household__area=publicity.case.household.area,
            starts_on=publicity.starts_on,
            ends_on=publicity.ends_on,
            elimination__isnull=publicity.elimination_id is None,
        )
        .select_related("case__household")
        .order_by("case__household__number")
    )
    rows = []
    for p in same:
        assessment = (
            JointAssessment.objects.filter(case=p.case, elimination=p.elimination).order_by("-pk").first()
        )
        head = p.case.household.members.filter(relation="户主").values_list("name", flat=True).first()
        rows.append(
            {
                "number": p.case.household.number,
                "head": head or "—",
                "members": p.case.household.members.count(),
                "assessment": assessment,
            }
        )
    return publicity, rows


# ---------------------------------------------------------------- 逐户分析


def long_open_cutoff(today: dt.date) -> dt.date:
    """Cases identified on or before this day are "open over a year" (逐户分析): the same
    `open_case_review_days` parameter the screening rule C02 reads."""
    days = parameter_value("open_case_review_days", today.year).value
    return today - dt.timedelta(days=days)


def is_long_open(case: MonitoringCase, today: dt.date) -> bool:
    return (
        case.status == m.APPROVED
        and not case.eliminated
        and case.identified_on is not None
        and case.identified_on <= long_open_cutoff(today)
    )


def long_open_cases(user: Any, today: dt.date | None = None) -> QuerySet[MonitoringCase]:
    """Monitored cases open over the review period, annotated `analysed` (any analysis)."""
    cutoff = long_open_cutoff(today or dt.date.today())
    return (
        cases_visible_to(user)
        .filter(status=m.APPROVED, eliminated=False, identified_on__lte=cutoff)
        .annotate(analysed=Exists(CaseAnalysis.objects.filter(case_id=OuterRef("pk"))))
        .select_related("household", "household__area")
        .order_by("household__area_id", "household__number")
    )


@dataclass
class TownshipCount:
    code: str
    name: str
    total: int
    analysed: int

    @property
    def pending(self) -> int:
        return self.total - self.analysed


def long_open_by_township(user: Any, today: dt.date | None = None) -> list[TownshipCount]:
    counts: dict[str, list[int]] = {}
    rows = long_open_cases(user, today).values_list("household__area_id", "analysed")  # type: ignore[misc]
    for area_id, analysed in rows:
        key = township_code(area_id)
        c = counts.setdefault(key, [0, 0])
        c[0] += 1
        c[1] += int(bool(analysed))
    names = dict(Area.objects.filter(code__in=counts).values_list("code", "name"))
    return [TownshipCount(code, names.get(code, code), t, a) for code, (t, a) in sorted(counts.items())]
