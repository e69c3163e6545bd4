"""The workflow pages: scoped, forms shown by role, errors keep input, the 公示 list
without personal data."""

from __future__ import annotations

import datetime as dt

import pytest

from dixian.monitoring.models import MonitoringCase, Publicity
from dixian.monitoring.tests import workflow_helpers as h
from dixian.testing import factories as f


def login(client, user):
    client.force_login(user)
    return client


def test_pages_need_login(client, world):
    assert client.get("/monitoring/cases/").status_code == 302


def test_village_user_opens_a_clue_from_the_household(client, world):
    c = login(client, world.village_a1_user)
    page = c.get(f"/households/{world.a1.pk}/")
    assert f"/monitoring/cases/new/?household={world.a1.pk}" in page.content.decode()
    r = c.post(
        f"/monitoring/cases/new/?household={world.a1.pk}",
        {"source": "农户自主申报", "opened_on": "2024-05-01"},
    )
    case = MonitoringCase.objects.get(household=world.a1)
    assert r.status_code == 302 and r.url == f"/monitoring/cases/{case.pk}/"
    assert case.status == "clue" and case.source == "农户自主申报"


def test_new_clue_for_out_of_scope_household_is_404(client, world):
    assert (
        login(client, world.town_b).get(f"/monitoring/cases/new/?household={world.a1.pk}").status_code == 404
    )


def test_case_list_is_scoped_and_flags_overdue(client, world):
    case = h.open_clue(world)  # opened 2024-05-01: long past 15 days
    other = h.open_clue(world, household=world.b1, user=world.town_b)
    MonitoringCase.objects.filter(pk=other.pk).update(opened_on=dt.date.today())
    body = login(client, world.town_a).get("/monitoring/cases/").content.decode()
    assert world.a1.number in body and world.b1.number not in body
    assert "超期" in body
    body = login(client, world.county).get("/monitoring/cases/?overdue=1").content.decode()
    assert world.a1.number in body and world.b1.number not in body
    assert login(client, world.town_b).get(f"/monitoring/cases/{case.pk}/").status_code == 404


def test_detail_shows_only_the_forms_the_user_may_take(client, world):
    case = h.open_clue(world)
    body = login(client, world.village_a1_user).get(f"/monitoring/cases/{case.pk}/").content.decode()
    assert 'id="step-visit"' in body
    body = login(client, world.town_a).get(f"/monitoring/cases/{case.pk}/").content.decode()
    assert 'id="step-' not in body


def test_refused_step_keeps_the_input_and_shows_the_reason(client, world):
    case = h.open_clue(world)
    h.visit(world, case)
    h.assess(world, case)
    c = login(client, world.village_a1_user)
    data = {"version": h.fresh(case).version, "starts_on": "2024-05-04", "ends_on": "2024-05-07"}
    r = c.post(f"/monitoring/cases/{case.pk}/step/publicise/", data)
    body = r.content.decode()
    assert r.status_code == 422
    assert "不足 5 天" in body and 'value="2024-05-07"' in body
    assert h.fresh(case).status == "assessed"


def test_stale_form_is_told_the_case_moved_on(client, world):
    case = h.open_clue(world)
    stale = h.fresh(case).version
    h.visit(world, case)
    data = {
        "version": stale,
        "visited_on": "2024-05-02",
        "cadre_name": "李",
        "findings": "x",
        "authorisation_signed": "on",
    }
    r = login(client, world.village_a1_user).post(f"/monitoring/cases/{case.pk}/step/visit/", data)
    assert "该案件已被他人处理，请刷新后重试" in r.content.decode()


def test_unknown_step_is_404(client, world):
    case = h.open_clue(world)
    assert (
        login(client, world.village_a1_user).post(f"/monitoring/cases/{case.pk}/step/nope/", {}).status_code
        == 404
    )


def test_publicity_print_never_shows_id_phone_or_health(client, world):
    f.PersonFactory(household=world.a1, relation="配偶", health="患大病", name="王病")
    case = h.open_clue(world)
    h.visit(world, case)
    h.assess(world, case)
    h.publicise(world, case)
    publicity = Publicity.objects.get(case=case)
    body = (
        login(client, world.village_a1_user)
        .get(f"/monitoring/publicity/{publicity.pk}/print/")
        .content.decode()
    )
    assert world.a1.number in body and "拟纳入" in body
    for person in world.a1.members.all():
        assert person.id_number not in body and person.phone not in body
    assert world.a1.phone not in body
    for secret in ("患大病", "因病", "长期慢性病", "残疾"):
        assert secret not in body
    assert login(client, world.town_b).get(f"/monitoring/publicity/{publicity.pk}/print/").status_code == 404


@pytest.mark.parametrize("path", ["/monitoring/cases/", "/monitoring/analysis/"])
def test_list_pages_render_for_every_role(client, world, path):
    for user in world.users().values():
        assert login(client, user).get(path).status_code == 200


def test_elimination_starts_from_the_case_page_with_its_conditions(client, world):
    from dixian.monitoring.models import AssistanceMeasure

    case = h.approved_case(world)
    AssistanceMeasure.objects.create(household=world.a1, case=case, measure_type="产业帮扶")
    c = login(client, world.village_a1_user)
    body = c.get(f"/monitoring/cases/{case.pk}/").content.decode()
    assert "风险消除条件" in body and "启动风险消除" in body and "condition-labour" in body
    r = c.post(f"/monitoring/cases/{case.pk}/elimination/")
    assert r.status_code == 302
    body = c.get(f"/monitoring/cases/{case.pk}/").content.decode()
    assert 'id="elimination-step-visit"' in body and "启动风险消除</button>" not in body
    el = case.eliminations.get()
    r = c.post(
        f"/monitoring/cases/{case.pk}/elimination/{el.pk}/step/visit/",
        {
            "version": el.version,
            "visited_on": dt.date.today().isoformat(),
            "cadre_name": "李",
            "findings": "收入稳定",
        },
    )
    assert r.status_code == 302
    assert case.eliminations.get().status == "visited"


def test_long_open_case_gets_an_analysis_form_and_is_counted(client, world):
    case = h.approved_case(world)  # identified 2024-05-10: over a year ago
    c = login(client, world.town_a)
    assert 'id="analysis"' in c.get(f"/monitoring/cases/{case.pk}/").content.decode()
    follow = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    r = c.post(
        f"/monitoring/cases/{case.pk}/analysis/",
        {"persistence_cause": "务工收入不稳定", "decision": "adjust", "follow_up_on": follow},
    )
    assert r.status_code == 302
    body = c.get("/monitoring/analysis/").content.decode()
    assert "东山镇" in body and "已分析" in body


def test_detail_shows_the_identification_deadline_and_overdue(client, world):
    case = h.open_clue(world)  # 2024-05-01 + 15 days
    body = login(client, world.village_a1_user).get(f"/monitoring/cases/{case.pk}/").content.decode()
    assert "认定期限 2024-05-16" in body and 'id="case-overdue"' in body


def test_publicity_list_rows_in_a_constant_number_of_queries(world):
    """The 公示 list reads heads, member counts and the latest assessment for the whole
    village at once: a second household on the same list adds no query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dixian.monitoring.workflow.selectors import publicity_list

    def publicised(household, inclusion):
        case = h.open_clue(world, household)
        h.visit(world, case)
        h.assess(world, case, inclusion=inclusion)
        h.publicise(world, case)
        return Publicity.objects.get(case=case)

    first = publicised(world.a1, h.INCLUDE)
    with CaptureQueriesContext(connection) as one:
        publicity_list(world.village_a1_user, first.pk)
    other = f.HouseholdFactory(area=world.village_a1)
    f.PersonFactory(household=other, name="赵户主")
    f.PersonFactory(household=other, relation="配偶", name="赵配偶")
    publicised(other, h.EXCLUDE)
    with CaptureQueriesContext(connection) as two:
        _, rows = publicity_list(world.village_a1_user, first.pk)
    assert len(two) == len(one)
    by_number = {r["number"]: r for r in rows}
    assert by_number[other.number]["head"] == "赵户主"
    assert by_number[other.number]["members"] == 2
    assert by_number[other.number]["assessment"].include is False
    assert by_number[world.a1.number]["assessment"].include is True
    assert by_number[world.a1.number]["members"] == world.a1.members.count()


def test_without_the_years_identification_days_nothing_is_overdue(client, world):
    # no guessed 15 days: an unset deadline makes no clue overdue, on the list or its export
    from dixian.registry.models import PolicyParameter

    h.open_clue(world)  # opened 2024-05-01
    PolicyParameter.objects.filter(code="identification_days").delete()
    body = login(client, world.county).get("/monitoring/cases/?overdue=1").content.decode()
    assert world.a1.number not in body
