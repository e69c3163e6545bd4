"""Reads for the workflow pages; every one starts from the scoping layer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr
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
from dixian.registry.choices import WITH_LABOUR, Relation
from dixian.registry.models import Person
from dixian.registry.selectors import MissingParameter, parameter_value


def int_parameter(code: str, year: int) -> int | None:
    """A whole-number parameter of the year, or None when no year up to it sets one: a
    deadline that is not set makes nothing overdue and a period not set meets no condition,
    rather than a guessed default."""
    try:
        return int(parameter_value(code, year).value)
    except MissingParameter:
        return None


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
    days_by_year: dict[int, int | None] = {}
    result = []
    for case in qs[:500]:
        year = (case.opened_on or today).year
        if year not in days_by_year:
            days_by_year[year] = int_parameter("identification_days", year)
        days = days_by_year[year]
        case.overdue = days is not None and m.is_overdue(case.opened_on, case.status, days, today)  # type: ignore[attr-defined]
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
        days = int_parameter("identification_days", case.opened_on.year)
        if days is not None:
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
        try:
            line = Decimal(parameter_value("monitoring_line", income.year).value)
        except MissingParameter:
            line = None
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
        min_months=int_parameter("elimination_min_months", today.year),
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
        .annotate(
            head_name=Subquery(
                Person.objects.filter(household_id=OuterRef("case__household_id"), relation=Relation.HEAD)
                .order_by("pk")
                .values("name")[:1]
            ),
            member_count=Count("case__household__members"),
        )
        .order_by("case__household__number")
    )
    publicities = list(same)
    latest: dict[tuple[int, int | None], JointAssessment] = {}
    for a in JointAssessment.objects.filter(case__in=[p.case_id for p in publicities]).order_by("pk"):
        latest[(a.case_id, a.elimination_id)] = a  # the last one recorded wins
    rows = [
        {
            "number": p.case.household.number,
            "head": p.head_name or "—",  # type: ignore[attr-defined]
            "members": p.member_count,  # type: ignore[attr-defined]
            "assessment": latest.get((p.case_id, p.elimination_id)),
        }
        for p in publicities
    ]
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
    """Monitored cases open over the review period per township (of residence), with how
    many have an analysis: one grouped query, then the township names."""
    rows = (
        long_open_cases(user, today)
        .order_by()
        .annotate(town=Substr("household__area_id", 1, 9))
        .values("town")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(analysed=True)))
        .values_list("town", "total", "done")
    )
    counts = {township_code(town): (total, done) for town, total, done in rows}
    names = dict(Area.objects.filter(code__in=counts).values_list("code", "name"))
    return [TownshipCount(code, names.get(code, code), t, a) for code, (t, a) in sorted(counts.items())]
