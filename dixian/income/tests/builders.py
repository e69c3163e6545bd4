"""Small builders for the focus-group and growth tests: named households with incomes
given as (total net income, members) per year, so per-capita figures are easy to read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from dixian.monitoring.models import Category, MonitoringCase
from dixian.registry.choices import HouseholdType
from dixian.registry.models import Household, HouseholdIncome, PolicyParameter
from dixian.testing import factories as f

ALLEVIATED, ORDINARY = HouseholdType.ALLEVIATED, HouseholdType.ORDINARY
VILLAGE_A, VILLAGE_B = "360724100201", "360724101201"  # 东山镇, 陡水镇


def household(
    name: str,
    incomes: dict[int, tuple[int | str, int]],
    *,
    kind: str = ALLEVIATED,
    monitored: bool = False,
    village: str = VILLAGE_A,
) -> Household:
    """A household with a head, and for each year an income record whose net income is
    `total` (all wages) over `members` people. `name` becomes the end of its 户编号."""
    h = cast(
        Household,
        f.HouseholdFactory(
            area=f.village(village), household_type=kind, number=f"{village}{name:>6}".replace(" ", "0")
        ),
    )
    f.PersonFactory(household=h, name=f"户主{name}")
    for year, (total, members) in incomes.items():
        HouseholdIncome.objects.create(household=h, year=year, wage=Decimal(total), members=members)
    if monitored:
        monitor(h)
    return h


def monitor(h: Household, **extra: object) -> MonitoringCase:
    values: dict[str, Any] = {"category": Category.MARGINAL, "status": MonitoringCase.Status.APPROVED}
    values.update(extra)
    return MonitoringCase.objects.create(household=h, identified_on=dt.date(2023, 3, 1), **values)


def set_parameter(code: str, year: int, value: str) -> None:
    PolicyParameter.objects.update_or_create(
        code=code, year=year, defaults={"value": value, "source": "测试"}
    )


def names(households: object) -> set[str]:
    """The test names of a queryset of households (the end of their 户编号)."""
    return {h.number[12:].lstrip("0") for h in households}  # type: ignore[attr-defined]
