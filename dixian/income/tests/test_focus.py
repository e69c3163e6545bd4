"""The three focus groups of notice §2 over a population P(Y) built by hand: exact
membership, the 20% boundary by people with ties, households missing a year, one-person
households, ordinary households only when monitored, and the command's output."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dixian.income import focus
from dixian.income.tests.builders import ORDINARY, household, monitor, names, set_parameter
from dixian.monitoring.models import AssistanceMeasure, MeasureType, MonitoringCase
from dixian.registry.models import PolicyParameter
from dixian.registry.selectors import MissingParameter

pytestmark = pytest.mark.django_db

F01, F02, F03 = "F01-BELOW-10K", "F02-BOTTOM20-DECLINED", "F03-DECLINED-TWO-YEARS"


def members(code: str, year: int = 2025) -> set[str]:
    return names(focus.group_members(code, year))


# ---------------------------------------------------------------- F01 below the focus line


def test_below_the_focus_line_takes_alleviated_and_monitored_households_only():
    household("A", {2025: (9999, 1)})  # 9,999 < 10,000
    household("B", {2025: (20000, 2)})  # exactly 10,000: not below
    household("C", {2025: (15000, 3)}, kind=ORDINARY)  # 5,000 but an ordinary household, not monitored
    household("D", {2025: (15000, 3)}, kind=ORDINARY, monitored=True)  # monitored: in
    e = household("E", {2025: (4000, 1)}, kind=ORDINARY)
    monitor(e, eliminated=True)  # risk eliminated: no longer monitored
    g = household("G", {2025: (4000, 1)}, kind=ORDINARY)
    monitor(g, status=MonitoringCase.Status.CLUE, category="")  # a clue is not monitoring
    household("H", {2024: (4000, 1)})  # no income record for 2025
    assert members(F01) == {"A", "D"}


def test_the_focus_line_is_read_from_the_years_parameter():
    household("A", {2025: (11000, 1)})
    household("B", {2025: (9000, 1)})
    assert members(F01) == {"B"}  # the 2024 line of 10,000 carries forward to 2025
    set_parameter("focus_income_line", 2025, "12000")
    assert members(F01) == {"A", "B"}


def test_a_year_without_a_focus_line_refuses_instead_of_guessing():
    household("A", {2025: (9000, 1)})
    PolicyParameter.objects.filter(code="focus_income_line").delete()
    with pytest.raises(MissingParameter):
        focus.group_members(F01, 2025)


def test_reason_names_the_income_and_the_line():
    household("A", {2025: (8900, 1)})
    ctx = focus.FocusContext(2025)
    (row,) = focus.group_members(F01, 2025, ctx=ctx)
    assert focus.reason(F01, row, ctx) == "2025年人均纯收入 8,900 元 < 重点关注线 10,000 元"


# ---------------------------------------------------------------- F02 bottom 20% of people, declined


@pytest.fixture
def bottom_world():
    """P(2025) has 20 people, so 20% is 4. By income: A (1 person) and B (2) are taken
    with 0 and 1 people before them; C (2 people, 3 before it) crosses the line and is
    in; D is tied with C and is in; E is 0.01 above and out. X, an ordinary household
    with 10 people at 1,000, is outside P and must not move the line."""
    household("A", {2024: (6000, 1), 2025: (5000, 1)})  # fell
    household("B", {2024: (10000, 2), 2025: (12000, 2)})  # 6,000: rose
    household("C", {2024: (16000, 2), 2025: (14000, 2)})  # 7,000: fell, crosses the line
    household("D", {2024: (8000, 1), 2025: (7000, 1)})  # 7,000: tied with C, fell
    household("E", {2024: (16000, 2), 2025: ("14000.02", 2)})  # 7,000.01: fell, just outside
    household("F", {2024: (40000, 4), 2025: (36000, 4)})  # 9,000: fell, outside
    household("G", {2024: (150000, 8), 2025: (160000, 8)})
    household("X", {2024: (20000, 10), 2025: (10000, 10)}, kind=ORDINARY)
    household("M", {2025: (6500, 1)})  # in the bottom, but no 2024 record to fall from


def test_bottom_cutoff_is_the_income_of_the_household_crossing_20_percent_of_people(bottom_world):
    # Counting X (10 people at 1,000) would put the line at 1,000.
    assert focus.bottom_cutoff(2025) == Decimal("7000.00")


def test_bottom20_declined_takes_the_crossing_household_and_its_ties(bottom_world):
    # A fell; B rose; C crosses and fell; D tied with C and fell; M has no 2024 record.
    assert members(F02) == {"A", "C", "D"}


def test_a_household_exactly_at_20_percent_closes_the_bottom_group():
    # 10 people, 20% = 2: A (2 people) brings the count to exactly 2, so nobody after it
    # is taken ("while the people taken are below 20%").
    household("A", {2024: (12000, 2), 2025: (10000, 2)})  # 5,000, fell
    household("B", {2024: (7000, 1), 2025: (6000, 1)})  # 6,000, fell, one person
    household("C", {2024: (20000, 3), 2025: (21000, 3)})
    household("D", {2024: (40000, 4), 2025: (44000, 4)})
    assert focus.bottom_cutoff(2025) == Decimal("5000.00")
    assert members(F02) == {"A"}


def test_a_one_person_household_alone_at_the_bottom_is_the_group():
    household("A", {2024: (3000, 1), 2025: (2000, 1)})  # one person, the first, crosses 20% of 5
    household("B", {2024: (40000, 4), 2025: (48000, 4)})
    assert members(F02) == {"A"}


def test_bottom20_reason_gives_the_line_and_the_previous_income(bottom_world):
    ctx = focus.FocusContext(2025)
    rows = {h.number[-1]: h for h in focus.group_members(F02, 2025, ctx=ctx)}
    assert focus.reason(F02, rows["D"], ctx) == (
        "2025年人均纯收入 7,000 元，在全县后20%人口内（分界 7,000 元），低于2024年 8,000 元"
    )


def test_an_empty_population_has_no_bottom_group():
    household("X", {2024: (20000, 1), 2025: (10000, 1)}, kind=ORDINARY)
    assert focus.bottom_cutoff(2025) is None
    assert members(F02) == set()


# ---------------------------------------------------------------- F03 fell two years running


def test_declined_two_years_needs_three_records_each_lower():
    household("A", {2023: (12000, 1), 2024: (11000, 1), 2025: (10500, 1)})  # in
    household("B", {2023: (12000, 1), 2024: (11000, 1), 2025: (11000, 1)})  # flat in 2025
    household("C", {2024: (11000, 1), 2025: (10000, 1)})  # no 2023 record
    household("D", {2023: (10000, 1), 2024: (11000, 1), 2025: (10000, 1)})  # rose, then fell
    household("E", {2023: (36000, 3), 2024: (30000, 3), 2025: (29000, 3)}, kind=ORDINARY)  # not in P
    household("F", {2023: (36000, 3), 2024: (30000, 3), 2025: (29000, 3)}, kind=ORDINARY, monitored=True)
    household("G", {2023: (20000, 2), 2024: (13000, 1), 2025: (12000, 1)})  # per capita 10,000 → 13,000: rose
    assert members(F03) == {"A", "F"}


def test_declined_two_years_reason_lists_the_three_years():
    household("A", {2023: (12000, 1), 2024: (11000, 1), 2025: ("10500.50", 1)})
    ctx = focus.FocusContext(2025)
    (row,) = focus.group_members(F03, 2025, ctx=ctx)
    assert focus.reason(F03, row, ctx) == (
        "人均纯收入 2023年 12,000 元 → 2024年 11,000 元 → 2025年 10,500.50 元，连续两年下降"
    )


# ---------------------------------------------------------------- income-increase measures


def test_only_running_income_increase_measures_count(django_user_model):
    on = dt.date(2025, 7, 1)
    a = household("A", {2025: (5000, 1)})
    b = household("B", {2025: (5000, 1)})
    c = household("C", {2025: (5000, 1)})
    household("D", {2025: (5000, 1)})
    AssistanceMeasure.objects.create(household=a, measure_type=MeasureType.PUBLIC_WELFARE_JOB, months=12)
    AssistanceMeasure.objects.create(
        household=b, measure_type=MeasureType.INDUSTRY, ended_on=dt.date(2025, 3, 1)
    )
    AssistanceMeasure.objects.create(household=c, measure_type=MeasureType.HEALTH)  # not an increase measure
    admin = django_user_model.objects.create_superuser("root", password="x")
    listed = focus.group_list(admin, F01, 2025, as_of=on)
    assert {h.number[-1]: h.has_increase_measure for h in listed} == {
        "A": True,
        "B": False,
        "C": False,
        "D": False,
    }
    assert names(focus.group_list(admin, F01, 2025, as_of=on, without_measure=True)) == {"B", "C", "D"}


# ---------------------------------------------------------------- the command


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("income_focus", *args, stdout=out)
    return out.getvalue()


def test_command_prints_the_sorted_numbers_of_the_group(bottom_world):
    lines = run("--group", F02, "--year", "2025").splitlines()
    assert lines == sorted(lines)
    assert lines == ["36072410020100000A", "36072410020100000C", "36072410020100000D"]


def test_command_counts_and_defaults_to_the_latest_year(bottom_world):
    assert run("--group", F01, "--count") == "7\n"  # 2025: all but G are below 10,000; X is not in P


def test_command_refuses_unknown_groups_and_missing_parameters():
    with pytest.raises(CommandError, match="未知群体"):
        run("--group", "F09", "--year", "2025")
    household("A", {2022: (9000, 1)})
    with pytest.raises(CommandError, match="focus_income_line"):
        run("--group", F01, "--year", "2022")
