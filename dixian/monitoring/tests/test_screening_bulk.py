"""Screening at scale: the set-based passes and the two ways of writing warnings (COPY on
PostgreSQL, the ORM's batches elsewhere) keep the same semantics; `screen --timings`."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dixian.monitoring import screening_services
from dixian.monitoring.models import ScreeningWarning
from dixian.monitoring.rules import RULES, Context
from dixian.monitoring.screening_services import run_screening
from dixian.monitoring.tests.screening_builders import (
    AS_OF,
    YEAR,
    clue,
    days_ago,
    fired,
    household,
    income,
    member,
    monitored,
)
from dixian.registry.models import Household, HouseholdIncome
from dixian.testing import factories as f

pytestmark = pytest.mark.django_db

R02, R05 = "R02-SEVERE-ILLNESS-DISABILITY", "R05-BELOW-LINE-UNMONITORED"
C02, C04 = "C02-OPEN-OVER-ONE-YEAR", "C04-IDENTIFICATION-OVERDUE"
Status = ScreeningWarning.Status
ON_POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture(params=["copy", "orm"])
def writer(request, monkeypatch):
    """Each test once with COPY on PostgreSQL (the ORM path on SQLite) and once with the
    ORM path everywhere."""
    monkeypatch.setattr(screening_services, "COPY_ON_POSTGRESQL", request.param == "copy")
    return request.param


def _states(rule: str) -> list[tuple[str, str, str]]:
    rows = ScreeningWarning.objects.filter(rule=rule).order_by("household__number", "pk")
    return list(rows.values_list("household__number", "status", "evidence"))


def test_both_writers_create_refresh_expire_and_respect_dismissals(writer):
    stays, changes, recovers, dismissed = (household(number=f"36072410020000000{i}") for i in range(1, 5))
    for h in (stays, changes, recovers, dismissed):
        income(h, YEAR, "6000")
    assert run_screening(as_of=AS_OF)[R05] == 4
    first_pks = dict(ScreeningWarning.objects.values_list("household__number", "pk"))
    ScreeningWarning.objects.filter(household=dismissed).update(status=Status.DISMISSED)
    changes.incomes.update(wage="7000")
    recovers.incomes.update(wage="9000")
    newcomer = household(number="360724100200000005")
    income(newcomer, YEAR, "100.5")

    assert run_screening(as_of=AS_OF)[R05] == 3
    assert _states(R05) == [
        ("360724100200000001", Status.PENDING, "2024 人均纯收入 6,000 < 监测范围 8,500"),
        ("360724100200000002", Status.PENDING, "2024 人均纯收入 7,000 < 监测范围 8,500"),
        ("360724100200000003", Status.EXPIRED, "2024 人均纯收入 6,000 < 监测范围 8,500"),
        ("360724100200000004", Status.DISMISSED, "2024 人均纯收入 6,000 < 监测范围 8,500"),
        ("360724100200000005", Status.PENDING, "2024 人均纯收入 100.50 < 监测范围 8,500"),
    ]
    # the refreshed warning is the same row, with the new evidence and reference date
    refreshed = ScreeningWarning.objects.get(household=changes, rule=R05)
    assert refreshed.pk == first_pks[changes.number] and refreshed.as_of == AS_OF
    assert ScreeningWarning.objects.get(household=recovers).closed_at is not None


def test_a_pending_warning_inserted_meanwhile_is_kept_not_duplicated(writer):
    """A concurrent run that inserted the warning first wins (as ignore_conflicts did)."""
    h = household()
    ScreeningWarning.objects.create(household=h, rule=R05, year=YEAR, as_of=AS_OF, evidence="先到")
    now = dt.datetime(2025, 6, 30, tzinfo=dt.UTC)
    screening_services._insert(R05, Context(YEAR, AS_OF, Household.objects.all()), [(h.pk, "后到")], now)
    assert _states(R05) == [(h.number, Status.PENDING, "先到")]


def test_a_new_year_refreshes_every_pending_warning_in_place(writer):
    hs = [household() for _ in range(3)]
    for h in hs:
        income(h, YEAR, "6000")
        income(h, YEAR + 1, "5000")
    run_screening(year=YEAR, as_of=AS_OF)
    pks = set(ScreeningWarning.objects.filter(rule=R05).values_list("pk", flat=True))
    run_screening(year=YEAR + 1, as_of=AS_OF + dt.timedelta(days=365))
    after = ScreeningWarning.objects.filter(rule=R05)
    assert set(after.values_list("pk", flat=True)) == pks
    assert set(after.values_list("year", "as_of", "status", "evidence")) == {
        (YEAR + 1, AS_OF + dt.timedelta(days=365), Status.PENDING, "2025 人均纯收入 5,000 < 监测范围 8,500")
    }


def _many_poor_households(n: int) -> None:
    area = f.village("360724100201", "东山A1村")
    Household.objects.bulk_create(
        Household(number=f"36072410020{i:07d}", area=area, household_type="脱贫户") for i in range(n)
    )
    HouseholdIncome.objects.bulk_create(
        HouseholdIncome(household=h, year=YEAR, wage=Decimal("5000"), members=1)
        for h in Household.objects.all()
    )


def test_thousands_of_new_warnings_go_in_in_bulk_and_a_re_run_adds_none(writer):
    _many_poor_households(2100)
    with CaptureQueriesContext(connection) as queries:
        assert run_screening(as_of=AS_OF)[R05] == 2100
    inserts = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("INSERT") and 'INTO "monitoring_screeningwarning"' in q["sql"]
    ]
    if writer == "copy" and ON_POSTGRESQL:
        assert len(inserts) == 1 and "SELECT" in inserts[0]  # from the COPY-filled table
    else:
        assert 1 < len(inserts) <= 21  # batches of at least 100 rows (2,000 on PostgreSQL)
    assert run_screening(as_of=AS_OF)[R05] == 2100
    assert ScreeningWarning.objects.count() == 2100


# ---------------------------------------------------------------- the grouped passes


def test_a_scoped_run_of_a_member_rule_warns_only_households_in_scope():
    inside, outside = household(), household(area=f.village("360724101201", "陡水B1村"))
    for h in (inside, outside):
        member(h, health="患大病")
    counts = run_screening(
        as_of=AS_OF, households=Household.objects.filter(area__code__startswith="360724100")
    )
    assert counts[R02] == 1
    assert list(ScreeningWarning.objects.filter(rule=R02).values_list("household", flat=True)) == [inside.pk]


def test_a_household_with_two_monitored_cases_is_timed_from_the_earlier_once():
    h = household()
    monitored(h, days_ago(400))
    monitored(h, days_ago(100))
    assert fired(C02) == {h.pk: "2024-05-26 纳入监测，至 2025-06-30 已 400 天未消除（≥ 365 天）"}


def test_the_oldest_overdue_clue_of_a_household_is_reported_once():
    h = household()
    clue(h, days_ago(20))
    clue(h, days_ago(30))
    clue(h, days_ago(30))
    assert fired(C04) == {h.pk: "线索日期 2025-05-31，已 30 天无认定结论（期限 15 天），当前 线索待核实"}


# ---------------------------------------------------------------- screen --timings


def test_screen_timings_go_to_stderr_one_line_per_rule_and_a_total():
    income(household(), YEAR, "6000")
    out, err = io.StringIO(), io.StringIO()
    call_command("screen", "--as-of", "2025-06-30", "--timings", stdout=out, stderr=err)
    assert f"{R05}\t1" in out.getvalue().splitlines()  # stdout as without --timings
    lines = err.getvalue().splitlines()
    assert [line.split("\t")[0] for line in lines] == [*RULES, "合计"]
    r05 = next(line for line in lines if line.startswith(R05)).split("\t")
    assert r05[1] == "1" and [p.split()[0] for p in r05[2:6]] == ["查询", "比对", "写入", "合计"]
    assert all(p.endswith("s") and float(p.split()[1][:-1]) >= 0 for p in r05[2:6])
    assert r05[6] == "命中 1，新增 1，更新 0，失效 0"
    assert lines[-1].startswith("合计\t9条规则\t")


def test_screen_without_timings_writes_nothing_to_stderr():
    income(household(), YEAR, "6000")
    err = io.StringIO()
    call_command("screen", "--as-of", "2025-06-30", stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == ""
