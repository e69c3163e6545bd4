"""C01–C04: case alerts with households just inside and just outside each threshold."""

from __future__ import annotations

import datetime as dt

import pytest

from dixian.monitoring.models import MonitoringCase
from dixian.monitoring.tests.screening_builders import (
    AS_OF,
    YEAR,
    clue,
    days_ago,
    fired,
    household,
    income,
    measure,
    monitored,
)
from dixian.registry.models import Person

pytestmark = pytest.mark.django_db

C01, C02 = "C01-NO-MEASURE", "C02-OPEN-OVER-ONE-YEAR"
C03, C04 = "C03-READY-FOR-ELIMINATION", "C04-IDENTIFICATION-OVERDUE"


# ---------------------------------------------------------------- C01 重纳轻帮


def test_monitored_thirty_days_without_measure_fires_and_twenty_nine_does_not():
    due = household()
    monitored(due, days_ago(30))
    not_yet = household()
    monitored(not_yet, days_ago(29))
    result = fired(C01)
    assert set(result) == {due.pk}
    assert result[due.pk] == "2025-05-31 纳入监测，已 30 天无帮扶措施（期限 30 天）"


def test_a_held_measure_silences_no_measure_but_one_ended_before_inclusion_does_not():
    helped = household()
    monitored(helped, days_ago(60))
    measure(helped, started_on=days_ago(50))
    stale = household()
    monitored(stale, days_ago(60))
    measure(stale, ended_on=days_ago(61))
    assert set(fired(C01)) == {stale.pk}


def test_no_measure_ignores_clues_and_eliminated_cases():
    h = household()
    clue(h, days_ago(90))
    gone = household()
    monitored(gone, days_ago(400), eliminated=True)
    assert fired(C01) == {}


# ---------------------------------------------------------------- C02 一年以上未消除


def test_monitored_365_days_fires_and_364_does_not():
    year_old = household()
    monitored(year_old, days_ago(365))
    younger = household()
    monitored(younger, days_ago(364))
    eliminated = household()
    monitored(eliminated, days_ago(700), eliminated=True)
    result = fired(C02)
    assert set(result) == {year_old.pk}
    assert result[year_old.pk] == "2024-06-30 纳入监测，至 2025-06-30 已 365 天未消除（≥ 365 天）"


# ---------------------------------------------------------------- C03 符合消除条件


def _ready(**household_kw: object):
    """A household meeting every elimination condition on AS_OF."""
    h = household(**household_kw)
    monitored(h, dt.date(2024, 12, 30))  # exactly 6 months before 2025-06-30
    measure(h)
    income(h, YEAR, "8500")
    return h


def test_household_meeting_every_condition_is_ready_for_elimination():
    h = _ready()
    assert fired(C03) == {
        h.pk: "监测 6 个月（≥ 6），帮扶措施 1 项，2024 人均纯收入 8,500 ≥ 监测范围 8,500，有劳动力，住房安全，饮水安全"
    }


def _too_recent(h):
    MonitoringCase.objects.filter(household=h).update(identified_on=dt.date(2024, 12, 31))


def _no_measure(h):
    h.measures.all().delete()


def _below_line(h):
    h.incomes.update(wage="8499.99")


def _no_income(h):
    h.incomes.all().delete()


def _no_labour(h):
    Person.objects.filter(household=h).update(labour_skill="丧失劳动力")


def _unsafe_housing(h):
    type(h).objects.filter(pk=h.pk).update(dangerous_housing=True)


def _unsafe_water(h):
    type(h).objects.filter(pk=h.pk).update(safe_water=False)


@pytest.mark.parametrize(
    "break_condition",
    [_too_recent, _no_measure, _below_line, _no_income, _no_labour, _unsafe_housing, _unsafe_water],
)
def test_each_failing_elimination_condition_keeps_the_household_off_the_list(break_condition):
    h = _ready()
    break_condition(h)
    assert fired(C03) == {}


def test_weak_labour_counts_as_labour():
    h = _ready()
    Person.objects.filter(household=h).update(labour_skill="弱劳动力或半劳动力")
    assert h.pk in fired(C03)


# ---------------------------------------------------------------- C04 认定超期


def test_clue_open_sixteen_days_is_overdue_and_fifteen_is_not():
    overdue = household()
    clue(overdue, days_ago(16), status=MonitoringCase.Status.VISITED)
    on_time = household()
    clue(on_time, days_ago(15))
    decided = household()
    clue(decided, days_ago(40), status=MonitoringCase.Status.NOT_INCLUDED)
    approved = household()
    monitored(approved, days_ago(40))
    result = fired(C04)
    assert set(result) == {overdue.pk}
    assert result[overdue.pk] == "线索日期 2025-06-14，已 16 天无认定结论（期限 15 天），当前 已入户核实"


def test_reference_date_moves_the_deadline():
    h = household()
    clue(h, days_ago(15))
    assert fired(C04) == {}
    assert h.pk in fired(C04, as_of=AS_OF + dt.timedelta(days=1))
