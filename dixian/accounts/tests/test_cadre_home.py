"""我的结对户 on the home page (结对帮扶, notice §1): each paired household with its pending
warnings, whether a visit is due (yearly parameter visit_interval_days) and the measure
checks, most urgent first, never wider than scope."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dixian.accounts.models import User
from dixian.accounts.selectors import cadre_worklist
from dixian.monitoring.measures.selectors import paired_worklist
from dixian.monitoring.models import (
    AssistanceMeasure,
    CaseRisk,
    HouseholdVisit,
    MonitoringCase,
    ScreeningWarning,
)
from dixian.registry.models import Pairing, PolicyParameter
from dixian.testing import factories as f

HOME = reverse("home")
TODAY = dt.date(2025, 6, 30)


def monitored(household, *risks: str) -> MonitoringCase:
    case = MonitoringCase.objects.create(
        household=household, category="脱贫不稳定户", status="approved", identified_on=dt.date(2025, 1, 1)
    )
    for position, risk in enumerate(risks, start=1):
        CaseRisk.objects.create(case=case, position=position, risk_type=risk)
    return case


def visited(case: MonitoringCase, on: dt.date) -> HouseholdVisit:
    return HouseholdVisit.objects.create(case=case, visited_on=on, cadre_name="李干部", findings="正常")


def warn(household, rule: str, status: str = "pending") -> ScreeningWarning:
    return ScreeningWarning.objects.create(
        household=household, rule=rule, year=2024, as_of=TODAY, evidence="…", status=status
    )


def row_of(user, household, today=TODAY):
    rows = [r for r in paired_worklist(user, today).rows if r.household == household]
    assert len(rows) == 1
    return rows[0]


def set_interval(year: int, days: int) -> None:
    PolicyParameter.objects.update_or_create(
        code="visit_interval_days", year=year, defaults={"value": str(days), "source": "测试"}
    )


# ---------------------------------------------------------------- visits due


def test_seeded_interval_is_30_days_from_2024(world):
    row = PolicyParameter.objects.get(code="visit_interval_days")
    assert (row.year, row.value) == (2024, "30") and "县通知第1条" in row.source


def test_monitored_household_never_visited_is_due(world):
    monitored(world.b1)
    visit = row_of(world.cadre, world.b1).visit
    assert visit.due and visit.last_visit is None and "无走访记录" in visit.explain


@pytest.mark.parametrize("days_ago, due", [(29, False), (30, False), (31, True)])
def test_visit_falls_due_once_the_interval_has_passed(world, days_ago, due):
    visited(monitored(world.b1), TODAY - dt.timedelta(days=days_ago))
    visit = row_of(world.cadre, world.b1).visit
    assert visit.due is due
    assert visit.next_visit == TODAY - dt.timedelta(days=days_ago) + dt.timedelta(days=30)
    assert visit.days_overdue == (1 if due else 0)


def test_the_latest_visit_counts(world):
    case = monitored(world.b1)
    visited(case, TODAY - dt.timedelta(days=200))
    visited(case, TODAY - dt.timedelta(days=10))
    visited(case, TODAY - dt.timedelta(days=90))
    assert row_of(world.cadre, world.b1).visit.last_visit == TODAY - dt.timedelta(days=10)


def test_changing_the_parameter_changes_what_is_due(world):
    visited(monitored(world.b1), TODAY - dt.timedelta(days=31))
    assert row_of(world.cadre, world.b1).visit.due
    set_interval(2025, 45)
    assert not row_of(world.cadre, world.b1).visit.due
    # last visit 2025-05-30: due after 2025-07-14 with 45 days
    assert not row_of(world.cadre, world.b1, today=dt.date(2025, 7, 14)).visit.due
    assert row_of(world.cadre, world.b1, today=dt.date(2025, 7, 15)).visit.due
    assert paired_worklist(world.cadre, TODAY).visit_interval == 45
    assert paired_worklist(world.cadre, dt.date(2024, 12, 31)).visit_interval == 30  # 2024 keeps its value


def test_missing_parameter_is_said_not_guessed(client, world):
    monitored(world.b1)
    PolicyParameter.objects.filter(code="visit_interval_days").delete()
    worklist = paired_worklist(world.cadre, TODAY)
    assert worklist.rows[0].visit is None and "未设置参数" in worklist.parameter_error
    client.force_login(world.cadre)
    assert "无法判断走访是否到期" in client.get(HOME).content.decode()


def test_a_household_not_monitored_is_not_due_a_visit(world):
    row = row_of(world.cadre, world.b1)
    assert row.visit is None and not row.monitored


# ---------------------------------------------------------------- warnings and measure checks


def test_pending_warnings_are_counted_with_their_rule_codes(world):
    warn(world.b1, "R02-SEVERE-ILLNESS-DISABILITY")
    warn(world.b1, "R01-INCOME-DROP")
    warn(world.b1, "R04-MANY-STUDENTS", status="dismissed")
    assert row_of(world.cadre, world.b1).warning_rules == ["R01-INCOME-DROP", "R02-SEVERE-ILLNESS-DISABILITY"]


def test_missing_measures_show_the_two_checks(world):
    monitored(world.b1, "因病")
    codes = [c.code for c in row_of(world.cadre, world.b1).checks]
    assert codes == ["labour", "risk:因病"]
    AssistanceMeasure.objects.create(household=world.b1, measure_type="健康帮扶")
    AssistanceMeasure.objects.create(household=world.b1, measure_type="就业帮扶")
    assert row_of(world.cadre, world.b1).checks == []


def test_home_page_shows_warnings_overdue_visit_in_red_and_missing_measures(client, world):
    case = monitored(world.b1, "因学")
    visited(case, timezone.localdate() - dt.timedelta(days=31))
    warn(world.b1, "C01-NO-MEASURE")
    client.force_login(world.cadre)
    html = client.get(HOME).content.decode()
    assert "我的结对户" in html
    assert reverse("screening_warning_list", args=["C01-NO-MEASURE"]) in html
    assert "visit-due" in html and "text-danger" in html and "已超期 1 天" in html
    assert "风险类型为因学，但无在帮的教育帮扶或义务教育保障措施" in html
    assert reverse("household_detail", args=[world.b1.pk]) in html


def test_visit_on_time_is_not_red(client, world):
    visited(monitored(world.b1), timezone.localdate() - dt.timedelta(days=30))
    client.force_login(world.cadre)
    html = client.get(HOME).content.decode()
    assert "visit-due" not in html and "前再次走访" in html


# ---------------------------------------------------------------- order and scope


def test_most_urgent_household_comes_first(world):
    calm = f.HouseholdFactory(area=world.village_b1)
    f.PersonFactory(household=calm, labour_skill="无劳动力")
    visited(monitored(calm), TODAY - dt.timedelta(days=5))
    busy = f.HouseholdFactory(area=world.village_b1)
    f.PersonFactory(household=busy)
    monitored(busy, "因病")  # never visited, labour and illness unanswered
    warn(busy, "R02-SEVERE-ILLNESS-DISABILITY")
    f.pair(world.cadre, calm)
    f.pair(world.cadre, busy)
    rows = paired_worklist(world.cadre, TODAY).rows
    # busy: 4 open problems; calm: monitored, nothing open; b1: not monitored
    assert [r.household for r in rows] == [busy, calm, world.b1]
    assert rows[0].urgency > rows[1].urgency > rows[2].urgency


def test_ended_pairings_are_not_listed(world):
    Pairing.objects.filter(cadre=world.cadre).update(ended_on=TODAY)
    assert paired_worklist(world.cadre, TODAY).rows == []


def test_pairings_outside_the_users_scope_stay_hidden(world):
    # A village user paired with a household of another township sees only their own.
    f.pair(world.village_a1_user, world.a1)
    f.pair(world.village_a1_user, world.b1)
    assert [r.household for r in paired_worklist(world.village_a1_user, TODAY).rows] == [world.a1]


def test_users_without_pairings_get_no_section(client, world):
    client.force_login(world.leader)
    response = client.get(HOME)
    assert response.context["worklist"].rows == []
    assert "我的结对户" not in response.content.decode()


def test_worklist_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for _ in range(5):
        h = f.HouseholdFactory(area=world.village_b1)
        f.PersonFactory(household=h)
        visited(monitored(h, "因病", "因学"), TODAY)
        warn(h, "R01-INCOME-DROP")
        f.pair(world.cadre, h)
    with django_assert_max_num_queries(7):
        assert len(cadre_worklist(world.cadre).rows) == 6


# ---------------------------------------------------------------- the demo county


def test_demo_cadre_login_sees_a_non_empty_worklist(client, db):
    call_command("demo", "--households", "300", "--seed", "11", stdout=StringIO())
    cadre = User.objects.get(username="cadre")
    client.force_login(cadre)
    response = client.get(HOME)
    rows = response.context["worklist"].rows
    assert rows and any(r.monitored for r in rows)
    assert "我的结对户" in response.content.decode()
