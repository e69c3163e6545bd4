"""Household checks: incomes, measures, employment and monitoring cases."""

import datetime as dt

import pytest

from dixian.dataquality.tests.helpers import (
    AS_OF,
    assert_split,
    born,
    case,
    household,
    income,
    measure,
    person,
    work,
)

pytestmark = pytest.mark.django_db
D = dt.date


def member(**kw):
    """A new household with one member; returns the household."""
    return person(**kw).household


def monitored(**kw):
    h = member(**kw)
    case(h, risks=("其他",))
    return h


# ---------------------------------------------------------------- income


def test_missing_income_of_the_year_is_flagged():
    with_income = household()
    income(with_income)
    ordinary = household(household_type="一般农户", poverty_exit_year=None)
    assert_split("DQ-INC-01", [household()], [with_income, ordinary])


def test_negative_income_is_flagged():
    inside, outside = household(), household()
    income(inside, "0", business_expense=1)
    income(outside, "0")
    assert_split("DQ-INC-02", [inside], [outside])


def test_income_members_must_match_persons():
    inside, outside = member(), member()
    income(inside, members=2)
    income(outside, members=1)
    assert_split("DQ-INC-03", [inside], [outside])


# ---------------------------------------------------------------- measures


def test_dibao_and_tekun_need_a_welfare_measure():
    inside, outside = member(dibao="农村低保"), member(dibao="农村低保")
    measure(outside, "综合保障", "低保")
    assert_split("DQ-MEA-01", [inside], [outside])
    inside, outside = member(tekun="农村特困"), member(tekun="农村特困")
    measure(outside, "综合保障", "特困")
    assert_split("DQ-MEA-03", [inside], [outside])


def test_dibao_measure_needs_a_member_on_dibao():
    inside, outside = member(), member(dibao="城市低保")
    measure(inside, "综合保障", "农村低保金")
    measure(outside, "综合保障", "低保")
    assert_split("DQ-MEA-02", [inside], [outside])


def test_severe_disability_needs_disability_allowance():
    inside = member(health="残疾", disability_grade="一级", labour_skill="无劳动力")
    outside = member(health="残疾", disability_grade="二级", labour_skill="无劳动力")
    measure(inside, "综合保障", "低保")
    measure(outside, "综合保障", "残疾人补贴")
    assert_split("DQ-MEA-04", [inside], [outside])


@pytest.mark.parametrize(
    "code, risk, measure_type",
    [
        ("DQ-MEA-05", "因病", "社会帮扶"),
        ("DQ-MEA-06", "因学", "义务教育保障"),
        ("DQ-MEA-07", "因残", "综合保障"),
        ("DQ-MEA-08", "因安全住房", "搬迁"),
        ("DQ-MEA-09", "因安全饮水", "饮水安全保障"),
    ],
)
def test_risk_needs_its_measure(code, risk, measure_type):
    inside, outside, closed = member(), member(), member()
    for h in (inside, outside):
        case(h, risks=(risk,))
    case(closed, risks=(risk,), eliminated_on=D(2025, 1, 1), method="帮扶消除")
    measure(inside, "产业帮扶")
    measure(outside, measure_type)
    assert_split(code, [inside], [outside, closed])


def test_labour_household_with_only_welfare_is_flagged():
    inside, outside = monitored(), monitored()
    for h in (inside, outside):
        measure(h, "综合保障", "低保")
    measure(outside, "公益岗位帮扶", months=6)
    assert_split("DQ-MEA-10", [inside], [outside])


def test_workers_need_a_developmental_measure():
    inside, outside, weak = monitored(), monitored(), monitored(labour_skill="弱劳动力或半劳动力")
    measure(inside, "健康帮扶")
    measure(outside, "就业帮扶", "技能培训")
    assert_split("DQ-MEA-11", [inside], [outside, weak])


def test_serious_illness_needs_health_measure():
    inside, outside = monitored(health="患大病"), monitored(health="患大病")
    measure(outside, "健康帮扶")
    assert_split("DQ-MEA-12", [inside], [outside, member(health="患大病")])


def test_public_welfare_job_needs_months():
    inside, outside = household(), household()
    measure(inside, "公益岗位帮扶")
    measure(outside, "公益岗位帮扶", months=10)
    assert_split("DQ-MEA-13", [inside], [outside])


def test_microcredit_over_cap_is_flagged():
    inside, outside = household(), household()
    measure(inside, "金融帮扶", "小额信贷", amount="50000.01")
    measure(outside, "金融帮扶", "小额信贷", amount="50000")
    assert_split("DQ-MEA-14", [inside], [outside])


def test_monitored_without_measures_past_the_deadline_is_flagged():
    inside, outside = household(), household()
    case(inside, identified=AS_OF - dt.timedelta(days=31), risks=("因病",))
    case(outside, identified=AS_OF - dt.timedelta(days=30), risks=("因病",))
    assert_split("DQ-MEA-15", [inside], [outside])


# ---------------------------------------------------------------- employment


def test_employment_measure_needs_someone_working():
    inside, outside = member(), member()
    for h in (inside, outside):
        measure(h, "就业帮扶", "劳务输出")
    work(outside.members.get())
    work(person(inside, relation="之子"), is_working=False)
    assert_split("DQ-EMP-01", [inside], [outside])


def test_out_of_county_subsidy_needs_work_outside_with_an_amount():
    inside, outside = member(), member()
    measure(inside, "就业帮扶", "外出务工补贴", amount=0)
    measure(outside, "就业帮扶", "外出务工补贴", amount=500)
    work(inside.members.get(), province="江西省", county="上犹县")
    work(outside.members.get())
    assert_split("DQ-EMP-02", [inside], [outside])
    assert_split("DQ-EMP-03", [inside], [outside])


def test_implausible_wages_are_flagged():
    high, ok, low = person(), person(), person()
    work(high, monthly_income="30000.01")
    work(ok, monthly_income="30000")
    work(low, monthly_income="99.99")
    assert_split("DQ-EMP-04", [high], [ok])
    low_ok = person()
    work(low_ok, monthly_income="100")
    assert_split("DQ-EMP-05", [low], [low_ok])


def test_work_record_under_sixteen_is_flagged():
    inside, outside = person(age=born(16, 1)), person(age=born(16))
    work(inside)
    work(outside)
    assert_split("DQ-EMP-06", [inside], [outside])


def test_same_phone_in_different_households_is_flagged():
    a, b = person(phone="13900000001"), person(phone="13900000001")
    c = person(phone="13900000002")
    c2 = person(c.household, relation="之子", phone="13900000002")
    for p in (a, b, c, c2):
        work(p)
    assert_split("DQ-EMP-07", [a, b], [c])


def test_student_working_is_flagged():
    inside, outside = person(school_stage="本科二年级"), person(school_stage="本科二年级")
    work(inside)
    work(outside, is_working=False)
    assert_split("DQ-EMP-08", [inside], [outside])


def test_worker_without_labour_is_flagged():
    inside, outside = person(labour_skill="丧失劳动力"), person()
    work(inside)
    work(outside)
    assert_split("DQ-EMP-09", [inside], [outside])


def test_work_ending_before_it_starts_is_flagged():
    inside, outside = person(), person()
    work(inside, started_on=D(2025, 3, 1), ended_on=D(2025, 2, 28))
    work(outside, started_on=D(2025, 3, 1), ended_on=D(2025, 3, 1))
    assert_split("DQ-EMP-10", [inside], [outside])


# ---------------------------------------------------------------- monitoring


def test_alleviated_below_line_not_monitored_is_flagged():
    inside, outside, watched = household(), household(), household()
    income(inside, "8499.99")
    income(outside, "8500")
    income(watched, "8000")
    case(watched, risks=("因病",))
    assert_split("DQ-MON-01", [inside], [outside, watched])


def test_elimination_before_six_months_is_flagged():
    inside, outside = household(), household()
    case(inside, identified=D(2025, 1, 1), eliminated_on=D(2025, 6, 1), method="自然消除")
    case(outside, identified=D(2025, 1, 1), eliminated_on=D(2025, 7, 1), method="自然消除")
    assert_split("DQ-MON-02", [inside], [outside])


def test_assisted_elimination_below_line_is_flagged():
    inside, outside = household(), household()
    for h, value in ((inside, "8499"), (outside, "8500")):
        income(h, value)
        case(h, eliminated_on=D(2025, 9, 1), method="帮扶消除")
    assert_split("DQ-MON-03", [inside], [outside])


def test_whole_household_without_labour_eliminated_is_flagged():
    inside, outside = member(labour_skill="无劳动力"), member(labour_skill="弱劳动力或半劳动力")
    for h in (inside, outside):
        case(h, eliminated_on=D(2025, 1, 1), method="自然消除")
    assert_split("DQ-MON-04", [inside], [outside])


def test_eliminated_with_unsafe_housing_or_water_is_flagged():
    housing, water, still_open, clean = (
        household(dangerous_housing=True),
        household(safe_water=False),
        household(dangerous_housing=True, safe_water=False),
        household(),
    )
    for h in (housing, water, clean):
        case(h, eliminated_on=D(2025, 1, 1), method="帮扶消除")
    case(still_open, risks=("因安全住房",))
    assert_split("DQ-MON-05", [housing], [water, still_open, clean])
    assert_split("DQ-MON-06", [water], [housing, still_open, clean])


def test_unsafe_housing_or_water_not_monitored_is_flagged():
    housing, water = household(dangerous_housing=True), household(safe_water=False)
    housing_watched, water_watched = household(dangerous_housing=True), household(safe_water=False)
    case(housing_watched, risks=("因安全住房",))
    case(water_watched, risks=("因安全饮水",))
    assert_split("DQ-MON-07", [housing], [housing_watched])
    assert_split("DQ-MON-08", [water], [water_watched])


def test_open_case_without_risk_is_flagged():
    inside, outside = household(), household()
    case(inside)
    case(outside, risks=("因病",))
    assert_split("DQ-MON-09", [inside], [outside])


def test_elimination_needs_method_and_date():
    no_method, no_date, outside = household(), household(), household()
    case(no_method, eliminated_on=D(2025, 1, 1))
    case(no_date, eliminated=True, method="自然消除")
    case(outside, eliminated_on=D(2025, 1, 1), method="自然消除")
    assert_split("DQ-MON-10", [no_method, no_date], [outside])


def test_elimination_before_identification_is_flagged():
    inside, outside = household(), household()
    case(inside, identified=D(2025, 1, 1), eliminated_on=D(2024, 12, 31), method="自然消除")
    case(outside, identified=D(2025, 1, 1), eliminated_on=D(2025, 1, 1), method="自然消除")
    assert_split("DQ-MON-11", [inside], [outside])


def test_category_must_match_household_type():
    marginal_alleviated, unstable_ordinary = (
        household(),
        household(household_type="一般农户", poverty_exit_year=None),
    )
    ok = household(household_type="一般农户", poverty_exit_year=None)
    case(marginal_alleviated, category="边缘易致贫户", risks=("因病",))
    case(unstable_ordinary, category="脱贫不稳定户", risks=("因病",))
    case(ok, category="边缘易致贫户", risks=("因病",))
    assert_split("DQ-MON-12", [marginal_alleviated, unstable_ordinary], [ok])


def test_several_open_cases_are_flagged():
    inside, outside = household(), household()
    case(inside, risks=("因病",))
    case(inside, identified=D(2025, 1, 1), risks=("因学",))
    case(outside, risks=("因病",))
    case(outside, identified=D(2022, 1, 1), eliminated_on=D(2023, 1, 1), method="自然消除")
    assert_split("DQ-MON-13", [inside], [outside])


def test_identification_after_reference_date_is_flagged():
    inside, outside = household(), household()
    case(inside, identified=AS_OF + dt.timedelta(days=1), risks=("因病",))
    case(outside, identified=AS_OF, risks=("因病",))
    assert_split("DQ-MON-14", [inside], [outside])
