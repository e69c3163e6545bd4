"""The screening rules written the naive way, for comparison only: a Python loop over the
households through the ORM, reading each household's cases, incomes, members, events and
measures with its own queries (six per household), and deciding every rule in Python —
the way a quick implementation would. Same definitions and the same yearly parameters as
`dixian.monitoring.rules`; `compare` checks that both fire for the same households.
It decides only (no evidence text, no writes), which favours it slightly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from dixian.monitoring.models import MonitoringCase
from dixian.monitoring.rules.base import months_before
from dixian.registry.choices import PRESCHOOL, WITH_LABOUR, DisabilityGrade, Health, HouseholdType
from dixian.registry.models import Household
from dixian.registry.selectors import parameter_value

APPROVED = MonitoringCase.Status.APPROVED
SEVERE_GRADES = (DisabilityGrade.FIRST, DisabilityGrade.SECOND)
LINE_TYPES = (HouseholdType.ALLEVIATED, HouseholdType.ORDINARY)
CODES = (
    "R01-INCOME-DROP",
    "R02-SEVERE-ILLNESS-DISABILITY",
    "R03-DISASTER-ACCIDENT",
    "R04-MANY-STUDENTS",
    "R05-BELOW-LINE-UNMONITORED",
    "C01-NO-MEASURE",
    "C02-OPEN-OVER-ONE-YEAR",
    "C03-READY-FOR-ELIMINATION",
    "C04-IDENTIFICATION-OVERDUE",
)


def _param(code: str, year: int) -> Any:
    return parameter_value(code, year).value


def naive_screening(households: QuerySet[Household], year: int, as_of: dt.date) -> dict[str, set[int]]:
    """Per rule code, the ids of the households it fires for."""
    ratio = Decimal(str(_param("income_drop_ratio", year)))
    students_min = int(_param("many_students_min", year))
    line = Decimal(str(_param("monitoring_line", year)))
    measure_due = as_of - dt.timedelta(days=int(_param("measure_due_days", year)))
    review_due = as_of - dt.timedelta(days=int(_param("open_case_review_days", year)))
    elimination_since = months_before(as_of, int(_param("elimination_min_months", year)))
    identification_due = as_of - dt.timedelta(days=int(_param("identification_days", year)))
    events_since = months_before(as_of, 12)

    fired: dict[str, set[int]] = {code: set() for code in CODES}
    for h in households.order_by("pk"):
        cases = list(h.monitoring_cases.all())
        incomes = {i.year: i.per_capita_net for i in h.incomes.all()}
        members = list(h.members.all())
        events = list(h.events.all())
        measures = list(h.measures.all())
        monitored = any(c.status == APPROVED and not c.eliminated for c in cases)
        cur, prev = incomes.get(year), incomes.get(year - 1)

        if not monitored:
            if prev is not None and prev > 0 and cur is not None and prev - cur >= prev * ratio:
                fired["R01-INCOME-DROP"].add(h.pk)
            if any(m.health == Health.SERIOUS or m.disability_grade in SEVERE_GRADES for m in members):
                fired["R02-SEVERE-ILLNESS-DISABILITY"].add(h.pk)
            if any(events_since < e.date <= as_of for e in events):
                fired["R03-DISASTER-ACCIDENT"].add(h.pk)
            if sum(1 for m in members if m.school_stage not in ("", PRESCHOOL)) >= students_min:
                fired["R04-MANY-STUDENTS"].add(h.pk)
            if h.household_type in LINE_TYPES and cur is not None and cur < line:
                fired["R05-BELOW-LINE-UNMONITORED"].add(h.pk)

        open_cases = [c for c in cases if c.status == APPROVED and not c.eliminated and c.identified_on]
        if open_cases:
            start = min(open_cases, key=lambda c: (c.identified_on, c.pk)).identified_on
            assert start is not None
            held = [m for m in measures if m.ended_on is None or m.ended_on >= start]
            if start <= measure_due and not held:
                fired["C01-NO-MEASURE"].add(h.pk)
            if start <= review_due:
                fired["C02-OPEN-OVER-ONE-YEAR"].add(h.pk)
            if (
                start <= elimination_since
                and not h.dangerous_housing
                and h.safe_water
                and cur is not None
                and cur >= line
                and any(m.labour_skill in WITH_LABOUR for m in members)
                and held
            ):
                fired["C03-READY-FOR-ELIMINATION"].add(h.pk)
        if any(
            c.status in MonitoringCase.OPEN_STATUSES
            and c.opened_on is not None
            and c.opened_on < identification_due
            for c in cases
        ):
            fired["C04-IDENTIFICATION-OVERDUE"].add(h.pk)
    return fired


def set_based_screening(households: QuerySet[Household], year: int, as_of: dt.date) -> dict[str, set[int]]:
    """The real rules (query and evidence, no writes) over the same households."""
    from dixian.monitoring.rules import RULES, Context

    ctx = Context(year, as_of, households)
    return {code: {hid for hid, _ in rule.evaluate(ctx)} for code, rule in RULES.items()}


def compare(naive: dict[str, set[int]], real: dict[str, set[int]]) -> dict[str, dict[str, int]]:
    """Per rule: how many households each side fires for, and the differences."""
    out = {}
    for code in sorted(set(naive) | set(real)):
        a, b = naive.get(code, set()), real.get(code, set())
        out[code] = {
            "naive": len(a),
            "set_based": len(b),
            "matching": len(a & b),
            "only_naive": len(a - b),
            "only_set_based": len(b - a),
            "implemented": int(code in naive),
        }
    return out
