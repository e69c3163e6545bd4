"""Compact builders for the check tests: each test places one household just inside a
check (a finding) and one just outside (none)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from dixian.dataquality.checks import BY_CODE
from dixian.dataquality.selectors import county_context, finding_rows
from dixian.employment.models import EmploymentRecord
from dixian.monitoring.models import AssistanceMeasure, CaseRisk, Category, MonitoringCase
from dixian.registry.models import Household, Person
from dixian.testing import factories as f

AS_OF = dt.date(2025, 12, 31)
YEAR = 2025
VILLAGE = "360724100201"


def born(years: int, days: int = 0) -> dt.date:
    """Born so as to turn `years` old on AS_OF, `days` later: born(16, 1) is 15 until tomorrow."""
    return AS_OF.replace(year=AS_OF.year - years) + dt.timedelta(days=days)


def household(**kw: Any) -> Household:
    kw.setdefault("area", f.village(VILLAGE))
    return f.HouseholdFactory(**kw)


def person(h: Household | None = None, age: dt.date | None = None, **kw: Any) -> Person:
    """A member (by default the head of a new household); `age` is a birth date from born()."""
    if age is not None:
        kw["birth_date"] = age
    return f.PersonFactory(household=h or household(), **kw)


def income(h: Household, per_capita: str | Decimal = "20000", *, members: int = 1, **kw: Any) -> None:
    f.IncomeFactory(household=h, year=YEAR, wage=Decimal(per_capita) * members, members=members, **kw)


def case(
    h: Household,
    *,
    identified: dt.date = dt.date(2024, 1, 1),
    eliminated_on: dt.date | None = None,
    method: str = "",
    eliminated: bool | None = None,
    category: str = Category.UNSTABLE,
    risks: tuple[str, ...] = (),
) -> MonitoringCase:
    c = MonitoringCase.objects.create(
        household=h,
        category=category,
        identified_on=identified,
        eliminated=eliminated if eliminated is not None else eliminated_on is not None,
        eliminated_on=eliminated_on,
        elimination_method=method,
    )
    for position, risk in enumerate(risks, start=1):
        CaseRisk.objects.create(case=c, position=position, risk_type=risk)
    return c


def measure(h: Household, measure_type: str, detail: str = "", **kw: Any) -> AssistanceMeasure:
    return AssistanceMeasure.objects.create(
        household=h, measure_type=measure_type, detail=detail, year=YEAR, **kw
    )


def work(p: Person, **kw: Any) -> EmploymentRecord:
    kw.setdefault("monthly_income", Decimal("4000"))
    kw.setdefault("province", "广东省")
    kw.setdefault("county", "宝安区")
    return EmploymentRecord.objects.create(person=p, **kw)


def _number(obj: Household | Person) -> str:
    return obj.number if isinstance(obj, Household) else obj.household.number


def found(code: str) -> set[str]:
    ctx = county_context(year=YEAR, as_of=AS_OF)
    return {row.number for row in finding_rows(BY_CODE[code], ctx)}


def assert_split(code: str, inside: list[Household | Person], outside: list[Household | Person]) -> None:
    numbers = found(code)
    assert {_number(o) for o in inside} <= numbers, f"{code} missed a finding"
    assert not {_number(o) for o in outside} & numbers, f"{code} flagged a clean household"
