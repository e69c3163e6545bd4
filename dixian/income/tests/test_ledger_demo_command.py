"""The demo county has a ledger for every township of its latest year pair, with a few rows
verified; `dixian income_ledger` generates idempotently and lists the ledgers."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from dixian.income.ledger import selectors
from dixian.income.models import IncomeLedger, IncomeLedgerRow
from dixian.registry.models import Household


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db) -> str:
    return run("demo", "--households", "300", "--seed", "11")


def test_demo_has_a_ledger_for_every_township_with_verified_rows(demo):
    with_households = {h[:9] + "000" for h in Household.objects.values_list("area_id", flat=True)}
    ledgers = set(IncomeLedger.objects.filter(year=2025).values_list("township_id", flat=True))
    assert ledgers == with_households and len(ledgers) >= 14
    rows = IncomeLedgerRow.objects.filter(ledger__year=2025)
    assert rows.count() == selectors.declined(2025).count() > 0
    verified = rows.filter(status=IncomeLedgerRow.Status.VERIFIED)
    assert 0 < verified.count() <= 3 * len(ledgers)
    assert not verified.filter(cause="").exists()
    assert "收入下降核查整改台账 2024→2025" in demo


def test_command_generates_idempotently_and_lists_ledgers(demo):
    before = IncomeLedgerRow.objects.count()
    out = run("income_ledger", "--generate", "--year", "2025")
    assert "新建台账 0 本，新增 0 户" in out
    assert IncomeLedgerRow.objects.count() == before
    listing = run("income_ledger", "--year", "2025").splitlines()
    assert len(listing) == IncomeLedger.objects.filter(year=2025).count()
    assert listing[0].startswith("360724") and "编制中" in listing[0]


def test_demo_reset_removes_and_rebuilds_the_ledgers(demo):
    run("demo", "--households", "300", "--seed", "11", "--reset")
    assert IncomeLedger.objects.filter(year=2025).count() >= 14
    assert IncomeLedgerRow.objects.count() == selectors.declined(2025).count()
