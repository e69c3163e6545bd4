"""R01–R05: each rule with households just inside and just outside its threshold."""

from __future__ import annotations

import datetime as dt

import pytest

from dixian.monitoring.models import HouseholdEvent
from dixian.monitoring.tests.screening_builders import (
    AS_OF,
    YEAR,
    fired,
    household,
    income,
    member,
    monitored,
)
from dixian.registry.models import PolicyParameter

pytestmark = pytest.mark.django_db

R01, R02, R03 = "R01-INCOME-DROP", "R02-SEVERE-ILLNESS-DISABILITY", "R03-DISASTER-ACCIDENT"
R04, R05 = "R04-MANY-STUDENTS", "R05-BELOW-LINE-UNMONITORED"


def _with_incomes(previous: str, current: str):
    h = household()
    income(h, YEAR - 1, previous)
    income(h, YEAR, current)
    return h


# ---------------------------------------------------------------- R01


def test_income_drop_of_exactly_the_ratio_fires_and_just_less_does_not():
    exactly = _with_incomes("10000", "7000")
    less = _with_incomes("10000", "7001")  # 29.99%
    result = fired(R01)
    assert exactly.pk in result and less.pk not in result
    assert result[exactly.pk] == "2024 人均纯收入 7,000 较 2023 年 10,000 下降 30% ≥ 30%"


def test_income_drop_threshold_holds_to_the_cent():
    # 30% of 8,123.45 is 2,437.035: 5,686.41 has fallen far enough, 5,686.42 has not.
    inside = _with_incomes("8123.45", "5686.41")
    outside = _with_incomes("8123.45", "5686.42")
    result = fired(R01)
    assert inside.pk in result and outside.pk not in result


def test_income_drop_needs_both_years_and_spares_monitored_households():
    only_this_year = household()
    income(only_this_year, YEAR, "1000")
    watched = _with_incomes("10000", "5000")
    monitored(watched, dt.date(2024, 3, 1))
    assert fired(R01) == {}


def test_income_drop_reads_the_ratio_of_the_year():
    h = _with_incomes("10000", "8000")  # 20%
    assert fired(R01) == {}
    PolicyParameter.objects.filter(code="income_drop_ratio", year=2024).update(value="0.20")
    assert h.pk in fired(R01)


# ---------------------------------------------------------------- R02


@pytest.mark.parametrize(
    ("health", "grade", "fires"),
    [
        ("患大病", "", True),
        ("残疾", "一级", True),
        ("残疾", "二级", True),
        ("残疾", "三级", False),
        ("长期慢性病", "", False),
    ],
)
def test_serious_illness_or_grade_one_or_two_disability_fires(health, grade, fires):
    h = household()
    member(h, health=health, disability_grade=grade)
    assert (h.pk in fired(R02)) is fires


def test_severe_illness_evidence_counts_members_and_monitored_are_spared():
    h = household()
    member(h, health="患大病")
    member(h, health="残疾", disability_grade="一级")
    watched = household()
    member(watched, health="患大病")
    monitored(watched, dt.date(2024, 3, 1))
    assert fired(R02) == {h.pk: "成员患大病 1 人，一级/二级残疾 1 人"}


# ---------------------------------------------------------------- R03


def test_event_within_twelve_months_fires_and_older_or_later_does_not():
    inside = household()
    HouseholdEvent.objects.create(household=inside, date=dt.date(2024, 7, 1), kind="洪涝", loss=12000)
    too_old = household()
    HouseholdEvent.objects.create(household=too_old, date=dt.date(2024, 6, 30), kind="地质")
    after = household()
    HouseholdEvent.objects.create(household=after, date=AS_OF + dt.timedelta(days=1), kind="意外事故")
    result = fired(R03)
    assert set(result) == {inside.pk}
    assert (
        result[inside.pk]
        == "近12个月（至 2025-06-30）灾害/意外 1 次，最近 2024-07-01 洪涝，损失合计 12,000 元"
    )


def test_event_of_monitored_household_does_not_fire():
    h = household()
    HouseholdEvent.objects.create(household=h, date=AS_OF, kind="意外事故")
    monitored(h, dt.date(2024, 3, 1))
    assert fired(R03) == {}


# ---------------------------------------------------------------- R04


def test_three_students_fire_and_two_plus_a_preschooler_do_not():
    three = household()
    for stage in ("小学一年级", "七年级", "本科一年级"):
        member(three, school_stage=stage)
    two = household()
    for stage in ("小学一年级", "七年级", "学前教育"):
        member(two, school_stage=stage)
    result = fired(R04)
    assert set(result) == {three.pk}
    assert result[three.pk] == "在校生 3 人（不含学前教育）≥ 3 人"


# ---------------------------------------------------------------- R05


def test_income_below_the_line_fires_and_at_the_line_does_not():
    below = household()
    income(below, YEAR, "8499.99")
    at = household()
    income(at, YEAR, "8500")
    result = fired(R05)
    assert set(result) == {below.pk}
    assert result[below.pk] == "2024 人均纯收入 8,499.99 < 监测范围 8,500"


def test_below_line_covers_alleviated_and_ordinary_households_not_others_or_monitored():
    ordinary = household(household_type="一般农户")
    other = household(household_type="其他")
    watched = household()
    no_data = household()
    income(no_data, YEAR - 1, "100")
    for h in (ordinary, other, watched):
        income(h, YEAR, "5000")
    monitored(watched, dt.date(2024, 3, 1))
    assert set(fired(R05)) == {ordinary.pk}


def test_eliminated_case_no_longer_counts_as_monitored():
    h = household()
    income(h, YEAR, "5000")
    monitored(h, dt.date(2022, 3, 1), eliminated=True, eliminated_on=dt.date(2023, 3, 1))
    assert h.pk in fired(R05)
