"""Small builders for the screening tests: households placed exactly where a rule's
threshold puts them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dixian.monitoring.models import AssistanceMeasure, MonitoringCase
from dixian.monitoring.rules import RULES, Context
from dixian.registry.models import Household, HouseholdIncome, Person
from dixian.testing import factories as f

YEAR = 2024
AS_OF = dt.date(2025, 6, 30)


def household(**kw: object) -> Household:
    area = kw.pop("area", None) or f.village("360724100201", "东山A1村")
    h = f.HouseholdFactory(area=area, **kw)
    f.PersonFactory(household=h)
    return h


def income(h: Household, year: int, per_capita: str | Decimal) -> HouseholdIncome:
    return f.IncomeFactory(household=h, year=year, wage=Decimal(per_capita), members=1)


def member(h: Household, **kw: object) -> Person:
    return f.PersonFactory(household=h, relation="之子", **kw)


def monitored(h: Household, identified_on: dt.date, **kw: object) -> MonitoringCase:
    return MonitoringCase.objects.create(
        household=h, category="脱贫不稳定户", identified_on=identified_on, opened_on=identified_on, **kw
    )


def clue(h: Household, opened_on: dt.date, status: str = MonitoringCase.Status.CLUE) -> MonitoringCase:
    return MonitoringCase.objects.create(household=h, status=status, source="预警线索", opened_on=opened_on)


def measure(h: Household, **kw: object) -> AssistanceMeasure:
    return AssistanceMeasure.objects.create(household=h, measure_type="产业帮扶", **kw)


def fired(code: str, *, year: int = YEAR, as_of: dt.date = AS_OF) -> dict[int, str]:
    """household id -> evidence for the households `code` fires for."""
    return dict(RULES[code].evaluate(Context(year, as_of, Household.objects.all())))


def days_ago(n: int) -> dt.date:
    return AS_OF - dt.timedelta(days=n)
