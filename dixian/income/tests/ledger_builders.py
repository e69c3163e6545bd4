"""Small builders for the ledger tests, on top of the scope world (dixian/conftest.py):
incomes of 2024 and 2025 per household and a generated ledger for 2025."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dixian.income.ledger import services
from dixian.income.models import IncomeLedger, IncomeLedgerRow
from dixian.monitoring.models import AssistanceMeasure, MonitoringCase
from dixian.registry.models import Household, HouseholdIncome
from dixian.testing import factories as f

YEAR = 2025


def income(household: Household, year: int, wage: int | str, members: int = 2) -> HouseholdIncome:
    record, _ = HouseholdIncome.objects.update_or_create(
        household=household, year=year, defaults={"wage": Decimal(wage), "members": members}
    )
    return record


def monitored(household: Household, *, eliminated: bool = False) -> MonitoringCase:
    return MonitoringCase.objects.create(
        household=household,
        category="边缘易致贫户",
        status=MonitoringCase.Status.APPROVED,
        identified_on=dt.date(2024, 3, 1),
        eliminated=eliminated,
    )


def declined_world(world) -> None:
    """a1 and moved fall (2024: 10,000 per head, 2025: 8,000); b1 rises; a2 (一般农户,
    not monitored) falls but is outside P(Y)."""
    for h in (world.a1, world.moved, world.a2):
        income(h, YEAR, 16000)
    income(world.b1, YEAR, 24000)


def generated(world) -> dict[str, IncomeLedgerRow]:
    declined_world(world)
    services.ledger_generate(year=YEAR, actor=world.county)
    return {
        row.household.number: row for row in IncomeLedgerRow.objects.select_related("household", "ledger")
    }


def ledger_of(world, who: str) -> IncomeLedger:
    code = {"town_a": "360724100000", "town_b": "360724101000"}[who]
    return IncomeLedger.objects.get(township_id=code, year=YEAR)


def row_of(household: Household) -> IncomeLedgerRow:
    return IncomeLedgerRow.objects.select_related("ledger").get(household=household)


def measure(household: Household, kind: str = "就业帮扶", detail: str = "公益性岗位") -> AssistanceMeasure:
    return AssistanceMeasure.objects.create(household=household, measure_type=kind, detail=detail)


def township_user(name: str = "town_a_2", code: str = "360724100000"):
    from dixian.accounts.roles import Role

    return f.user(name, Role.TOWNSHIP, code)
