"""Reads of the measures and events part: a household's measures and events, the people
who may be named 帮扶责任人, the measure checks (set-based over many households; the
household page applies the same rule to what it already loaded) and a cadre's worklist
of paired households. Everything starts from `accounts.scope`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dixian.accounts import scope
from dixian.accounts.models import User
from dixian.areas.codes import parent_code
from dixian.monitoring.measures.access import may_write
from dixian.monitoring.measures.expected import (
    DEVELOPMENTAL_ORDER,
    EXPECTED_MEASURES,
    FULL_LABOUR,
    LABOUR_CHECK,
    MeasureCheck,
    missing_measures,
    risk_check,
)
from dixian.monitoring.measures.visits import VisitDue, visit_due
from dixian.monitoring.models import (
    AssistanceMeasure,
    CaseRisk,
    HouseholdEvent,
    HouseholdVisit,
    MonitoringCase,
    ScreeningWarning,
)
from dixian.registry.models import Household, Person
from dixian.registry.selectors import HouseholdProfile, MissingParameter, parameter_value

APPROVED = MonitoringCase.Status.APPROVED
LINKABLE_STATUSES = (*MonitoringCase.OPEN_STATUSES, APPROVED)


# ---------------------------------------------------------------- one household


def household_measures(household: Household) -> list[AssistanceMeasure]:
    """Open-ended measures first, then by end date (planned ends still ahead before past
    ones), newest start first."""
    return list(
        household.measures.select_related("responsible", "responsible__org_unit", "case").order_by(
            F("ended_on").desc(nulls_first=True), "-started_on", "-pk"
        )
    )


def household_events(household: Household) -> list[HouseholdEvent]:
    return list(household.events.order_by("-date", "-pk"))


def get_measure_for_user(user: Any, pk: int) -> AssistanceMeasure:
    """The measure, or 404 when missing or its household lies outside the user's scope."""
    return get_object_or_404(scope.measures_visible_to(user).select_related("household"), pk=pk)


def linkable_cases(household: Household) -> QuerySet[MonitoringCase]:
    """Cases a measure may answer: the monitored one (approved, not eliminated) or one in
    identification."""
    return MonitoringCase.objects.filter(
        household=household, status__in=LINKABLE_STATUSES, eliminated=False
    ).order_by("-identified_on", "-pk")


def _covering_codes(code: str | None) -> set[str]:
    """The area itself and every area above it (village → township → county …)."""
    codes: set[str] = set()
    while code:
        codes.add(code)
        code = parent_code(code)
    return codes


def responsible_candidates(household: Household) -> QuerySet[User]:
    """Who may be named 帮扶责任人: active users holding a role whose org unit's area contains
    the household (its village, township or the county; for a relocated household also
    its origin), so nobody from another township or village. Its paired cadres first."""
    codes = _covering_codes(household.area_id) | _covering_codes(household.origin_area_id)
    paired = household.pairings.filter(ended_on__isnull=True, cadre_id=OuterRef("pk"))
    return (
        User.objects.filter(is_active=True, org_unit__area_id__in=codes, groups__isnull=False)
        .select_related("org_unit")
        .annotate(is_paired=Exists(paired))
        .distinct()
        .order_by("-is_paired", "-org_unit__area_id", "org_unit__name", "full_name", "username")
    )


# ---------------------------------------------------------------- measure checks


def _current(today: dt.date, ref: str) -> QuerySet[AssistanceMeasure]:
    """Measures held on `today` (not ended) by the household `ref` points at."""
    return AssistanceMeasure.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today), household_id=OuterRef(ref)
    )


def _monitored(ref: str = "pk") -> Exists:
    return Exists(
        MonitoringCase.objects.filter(household_id=OuterRef(ref), status=APPROVED, eliminated=False)
    )


def measure_checks(households: QuerySet[Household], today: dt.date) -> dict[int, list[MeasureCheck]]:
    """The two checks of DOMAIN.md §5 over a set of households, in two queries:
    (a) monitored, a 普通/技能劳动力 member, no current developmental measure;
    (b) each risk of the monitored case with none of its expected measures current."""
    found: dict[int, list[MeasureCheck]] = defaultdict(list)
    labour = (
        households.filter(
            _monitored(),
            Exists(Person.objects.filter(household_id=OuterRef("pk"), labour_skill__in=FULL_LABOUR)),
        )
        .exclude(Exists(_current(today, "pk").filter(measure_type__in=DEVELOPMENTAL_ORDER)))
        .values_list("pk", flat=True)
    )
    for pk in labour:
        found[pk].append(LABOUR_CHECK)
    unanswered = Q(pk__in=[])
    for risk, types in EXPECTED_MEASURES.items():
        held = _current(today, "case__household_id").filter(measure_type__in=types)
        unanswered |= Q(risk_type=risk) & ~Q(Exists(held))
    risks = (
        CaseRisk.objects.filter(
            unanswered,
            case__household__in=households.values("pk"),
            case__status=APPROVED,
            case__eliminated=False,
        )
        .order_by("case__household_id", "position")
        .values_list("case__household_id", "risk_type")
        .distinct()
    )
    for pk, risk in risks:
        check = risk_check(risk)
        if check not in found[pk]:
            found[pk].append(check)
    return dict(found)


# ---------------------------------------------------------------- a cadre's paired households


@dataclass
class WorklistRow:
    household: Household
    monitored: bool
    warning_rules: list[str]
    visit: VisitDue | None  # None: not monitored, or the interval parameter is missing
    checks: list[MeasureCheck] = field(default_factory=list)

    @property
    def urgency(self) -> tuple[int, int, int, int]:
        """Bigger is more urgent: open problems, then a visit never made, then days overdue."""
        visit_due_now = bool(self.visit and self.visit.due)
        problems = visit_due_now + len(self.warning_rules) + len(self.checks)
        never = bool(self.visit and self.visit.due and self.visit.last_visit is None)
        return (problems, never, self.visit.days_overdue if self.visit else 0, self.monitored)


@dataclass
class Worklist:
    rows: list[WorklistRow]
    visit_interval: int | None
    parameter_error: str = ""


def paired_worklist(user: Any, today: dt.date) -> Worklist:
    """The households `user` is actively paired with (结对帮扶), within scope, each with its
    pending screening warnings, whether a visit is due and the measure checks; most
    urgent first. A handful of queries whatever the number of households."""
    households = (
        scope.households_visible_to(user)
        .filter(pk__in=user.pairings.filter(ended_on__isnull=True).values("household_id"))
        .select_related("area", "area__parent")
    )
    last_visit = (
        HouseholdVisit.objects.filter(case__household_id=OuterRef("pk"))
        .order_by("-visited_on")
        .values("visited_on")[:1]
    )
    annotated = list(households.annotate(is_monitored=_monitored(), last_visit=Subquery(last_visit)))
    if not annotated:
        return Worklist([], None)
    interval: int | None = None
    error = ""
    try:
        interval = int(parameter_value("visit_interval_days", today.year).value)
    except MissingParameter as exc:
        error = str(exc)
    warnings: dict[int, list[str]] = defaultdict(list)
    pending = ScreeningWarning.objects.filter(
        household__in=households.values("pk"), status=ScreeningWarning.Status.PENDING
    )
    for pk, rule in pending.order_by("household_id", "rule").values_list("household_id", "rule"):
        warnings[pk].append(rule)
    checks = measure_checks(households, today)
    rows = [
        WorklistRow(
            household=h,
            monitored=h.is_monitored,  # type: ignore[attr-defined]
            warning_rules=warnings.get(h.pk, []),
            visit=(
                visit_due(h.last_visit, interval, today)  # type: ignore[attr-defined]
                if h.is_monitored and interval is not None  # type: ignore[attr-defined]
                else None
            ),
            checks=checks.get(h.pk, []),
        )
        for h in annotated
    ]
    rows.sort(key=lambda r: r.household.number)
    rows.sort(key=lambda r: r.urgency, reverse=True)
    return Worklist(rows, interval, error)


# ---------------------------------------------------------------- the household page's panel


@dataclass
class HouseholdPanel:
    measures: list[AssistanceMeasure]
    events: list[HouseholdEvent]
    checks: list[MeasureCheck]
    can_write: bool
    today: dt.date

    @property
    def current_count(self) -> int:
        return sum(1 for m in self.measures if is_current(m, self.today))


def is_current(measure: AssistanceMeasure, today: dt.date) -> bool:
    return measure.ended_on is None or measure.ended_on > today


def household_panel(user: Any, profile: HouseholdProfile, today: dt.date | None = None) -> HouseholdPanel:
    """Measures, events and measure checks of the household page; `profile` was loaded
    through scope and brings members and cases with their risks, so the checks cost no
    query (the same rule as `measure_checks`, from `expected.missing_measures`)."""
    today = today or timezone.localdate()
    measures = household_measures(profile.household)
    monitored = [c for c in profile.cases if c.status == APPROVED and not c.eliminated]
    checks = missing_measures(
        monitored=bool(monitored),
        labour_skills=[p.labour_skill for p in profile.members],
        risk_types=[r.risk_type for c in monitored for r in c.risks.all()],
        held=[m.measure_type for m in measures if is_current(m, today)],
    )
    return HouseholdPanel(
        measures=measures,
        events=household_events(profile.household),
        checks=checks,
        can_write=may_write(user),
        today=today,
    )
