"""Assistance measures on the household page (issue 4, notice §1): add, edit and end a
measure in scope and audited, read-only roles refused, the form keeping what was typed,
and the two measure checks (labour without developmental help; a risk without its
expected measure) firing just inside and not just outside."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from dixian.accounts.roles import Role
from dixian.core.models import AuditEvent
from dixian.monitoring.measures import selectors, services
from dixian.monitoring.measures.expected import EXPECTED_MEASURES, missing_measures
from dixian.monitoring.models import AssistanceMeasure, CaseRisk, MeasureType, MonitoringCase
from dixian.registry.models import Household
from dixian.testing import factories as f

TODAY = dt.date(2025, 6, 30)
YESTERDAY, TOMORROW = TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=1)


def detail(household):
    return reverse("household_detail", args=[household.pk])


def monitored(household, *risks: str, eliminated: bool = False) -> MonitoringCase:
    case = MonitoringCase.objects.create(
        household=household,
        category="边缘易致贫户",
        status=MonitoringCase.Status.APPROVED,
        identified_on=dt.date(2025, 1, 10),
        eliminated=eliminated,
    )
    for position, risk in enumerate(risks, start=1):
        CaseRisk.objects.create(case=case, position=position, risk_type=risk)
    return case


def measure(household, measure_type: str, **kw) -> AssistanceMeasure:
    kw.setdefault("started_on", dt.date(2025, 2, 1))
    return AssistanceMeasure.objects.create(household=household, measure_type=measure_type, **kw)


def checks(household, today=TODAY) -> list[str]:
    """The checks as the cadre's worklist computes them (SQL over a set of households)."""
    found = selectors.measure_checks(Household.objects.filter(pk=household.pk), today)
    return [c.code for c in found.get(household.pk, [])]


def page_checks(client, household) -> list[str]:
    """The checks as the household page shows them."""
    return [c.code for c in client.get(detail(household)).context["measures_panel"].checks]


def _post_new(client, household, **data):
    return client.post(reverse("measure_new", args=[household.pk]), data)


# ---------------------------------------------------------------- add, edit, end


def test_village_user_adds_a_measure_seen_on_the_page_with_history_and_audit(client, world):
    client.force_login(world.village_a1_user)
    case = monitored(world.a1, "因病")
    response = _post_new(
        client,
        world.a1,
        measure_type="健康帮扶",
        detail="医疗救助",
        started_on="2025-03-01",
        amount="1200",
        responsible=world.village_a1_user.pk,
        case=case.pk,
    )
    assert response.status_code == 302 and response.url.endswith("#measures")
    m = AssistanceMeasure.objects.get(household=world.a1)
    assert (m.measure_type, m.detail, m.year, m.amount) == ("健康帮扶", "医疗救助", 2025, Decimal("1200"))
    assert m.responsible == world.village_a1_user and m.case == case and m.source == "manual"
    assert m.history.get().history_user == world.village_a1_user
    audit = AuditEvent.objects.get(object_type="monitoring.AssistanceMeasure", object_id=str(m.pk))
    assert audit.user == world.village_a1_user and "新增" in audit.detail and "医疗救助" in audit.detail
    page = client.get(detail(world.a1)).content.decode()
    assert "医疗救助" in page and "village_a1" in page and "在帮" in page


def test_edit_records_old_and_new_values(client, world):
    m = measure(world.a1, "产业帮扶", detail="产业到户奖补", amount=Decimal("500"))
    client.force_login(world.village_a1_user)
    form = client.get(reverse("measure_edit", args=[m.pk])).context["form"]
    assert form.initial["detail"] == "产业到户奖补"
    response = client.post(
        reverse("measure_edit", args=[m.pk]),
        {
            "measure_type": "产业帮扶",
            "detail": "产业到户奖补（脐橙）",
            "started_on": "2025-02-01",
            "amount": "800",
        },
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.amount == Decimal("800") and m.detail == "产业到户奖补（脐橙）"
    assert m.history.latest().history_user == world.village_a1_user
    audit = AuditEvent.objects.filter(object_id=str(m.pk)).get()
    assert "金额（元） 500.00→800.00" in audit.detail
    assert "具体措施 产业到户奖补→产业到户奖补（脐橙）" in audit.detail


def test_saving_an_unchanged_measure_leaves_no_trace(world):
    m = measure(world.a1, "产业帮扶", detail="光伏收益分配")
    services.measure_update(actor=world.village_a1_user, measure_id=m.pk, detail="光伏收益分配")
    assert not AuditEvent.objects.exists() and m.history.count() == 1


def test_ending_a_measure_sets_its_end_date_and_takes_it_out_of_the_current_ones(client, world):
    m = measure(world.a1, "就业帮扶", detail="劳务输出")
    client.force_login(world.village_a1_user)
    response = client.post(reverse("measure_end", args=[m.pk]), {"ended_on": "2025-06-01"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.ended_on == dt.date(2025, 6, 1)
    audit = AuditEvent.objects.get(object_id=str(m.pk))
    assert "结束" in audit.detail and "—→2025-06-01" in audit.detail
    panel = client.get(detail(world.a1)).context["measures_panel"]
    assert panel.current_count == 0 and panel.measures == [m]
    assert "已结束" in client.get(detail(world.a1)).content.decode()


def test_a_loan_still_running_can_be_ended_early_but_not_twice(world):
    m = measure(world.a1, "金融帮扶", detail="小额信贷", ended_on=dt.date(2027, 2, 1))
    services.measure_end(actor=world.village_a1_user, measure_id=m.pk, ended_on=YESTERDAY, today=TODAY)
    assert AuditEvent.objects.get().detail.endswith("2027-02-01→2025-06-29")
    with pytest.raises(ValidationError, match="已于 2025-06-29 结束"):
        services.measure_end(actor=world.village_a1_user, measure_id=m.pk, ended_on=TODAY, today=TODAY)


@pytest.mark.parametrize(
    "ended_on, reason",
    [(TOMORROW, "不能晚于今天"), (dt.date(2025, 1, 31), "不能早于开始日期")],
)
def test_end_date_must_lie_between_start_and_today(world, ended_on, reason):
    m = measure(world.a1, "就业帮扶")
    with pytest.raises(ValidationError, match=reason):
        services.measure_end(actor=world.village_a1_user, measure_id=m.pk, ended_on=ended_on, today=TODAY)
    m.refresh_from_db()
    assert m.ended_on is None and not AuditEvent.objects.exists()


def test_end_on_the_start_day_is_allowed(world):
    m = measure(world.a1, "就业帮扶", started_on=TODAY)
    services.measure_end(actor=world.village_a1_user, measure_id=m.pk, ended_on=TODAY, today=TODAY)
    assert AssistanceMeasure.objects.get().ended_on == TODAY


# ---------------------------------------------------------------- scope and roles


@pytest.mark.parametrize("page", ["new", "edit", "end"])
def test_household_outside_scope_answers_404_even_for_a_write(client, world, page):
    m = measure(world.a1, "产业帮扶")
    url = {
        "new": reverse("measure_new", args=[world.a1.pk]),
        "edit": reverse("measure_edit", args=[m.pk]),
        "end": reverse("measure_end", args=[m.pk]),
    }[page]
    client.force_login(world.town_b)
    assert client.get(url).status_code == 404
    data = {"measure_type": "产业帮扶", "started_on": "2025-02-01", "ended_on": "2025-03-01"}
    assert client.post(url, data).status_code == 404
    assert AssistanceMeasure.objects.count() == 1 and AssistanceMeasure.objects.get().ended_on is None


def test_service_refuses_out_of_scope_household(world):
    with pytest.raises(Http404):
        services.measure_add(
            actor=world.town_b, household_id=world.a1.pk, measure_type="产业帮扶", started_on=TODAY
        )


@pytest.mark.parametrize("who", ["leader", "dept"])
@pytest.mark.parametrize("page", ["new", "edit", "end"])
def test_read_only_roles_get_403_and_no_buttons(client, world, who, page):
    m = measure(world.b1, "产业帮扶")
    url = {
        "new": reverse("measure_new", args=[world.b1.pk]),
        "edit": reverse("measure_edit", args=[m.pk]),
        "end": reverse("measure_end", args=[m.pk]),
    }[page]
    user = world.users()[who]
    client.force_login(user)
    assert client.get(url).status_code == 403
    data = {"measure_type": "健康帮扶", "started_on": "2025-02-01", "ended_on": "2025-03-01"}
    assert client.post(url, data).status_code == 403
    m.refresh_from_db()
    assert (m.measure_type, m.ended_on) == ("产业帮扶", None)
    page_html = client.get(detail(world.b1)).content.decode()
    assert "新增措施" not in page_html and reverse("measure_end", args=[m.pk]) not in page_html


def test_leader_refused_by_the_service_too(world):
    with pytest.raises(PermissionDenied):
        services.measure_add(
            actor=world.leader, household_id=world.b1.pk, measure_type="产业帮扶", started_on=TODAY
        )


def test_paired_cadre_may_add_a_measure(client, world):
    client.force_login(world.cadre)
    response = _post_new(client, world.b1, measure_type="产业帮扶", started_on="2025-03-01")
    assert response.status_code == 302
    assert AssistanceMeasure.objects.get().household == world.b1


# ---------------------------------------------------------------- validation keeps the input


def test_form_error_keeps_what_the_user_typed(client, world):
    client.force_login(world.village_a1_user)
    response = _post_new(
        client,
        world.a1,
        measure_type="公益岗位帮扶",
        detail="护林员（东山A1村）",
        started_on="2025-03-01",
        amount="3600",
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "公益岗位帮扶须填写岗位月数" in html
    assert 'value="护林员（东山A1村）"' in html and 'value="3600"' in html and 'value="2025-03-01"' in html
    assert '<option value="公益岗位帮扶" selected>' in html
    assert not AssistanceMeasure.objects.exists() and not AuditEvent.objects.exists()


def test_microcredit_above_the_yearly_cap_is_refused(client, world):
    client.force_login(world.village_a1_user)
    over = _post_new(
        client, world.a1, measure_type="金融帮扶", detail="小额信贷", started_on="2025-03-01", amount="50001"
    )
    assert over.status_code == 422 and "超过额度上限 50,000 元" in over.content.decode()
    at_cap = _post_new(
        client, world.a1, measure_type="金融帮扶", detail="小额信贷", started_on="2025-03-01", amount="50000"
    )
    assert at_cap.status_code == 302


def test_responsible_cadre_must_belong_to_the_households_area(world):
    outsider = world.town_b  # 陡水镇: a1 lives in 东山镇
    with pytest.raises(ValidationError, match="帮扶责任人须为本户所在"):
        services.measure_add(
            actor=world.village_a1_user,
            household_id=world.a1.pk,
            measure_type="产业帮扶",
            started_on=TODAY,
            responsible=outsider,
        )
    candidates = set(selectors.responsible_candidates(world.a1))
    assert {world.village_a1_user, world.town_a, world.county, world.cadre} <= candidates
    assert world.town_b not in candidates and world.nobody not in candidates


def test_responsible_choices_on_the_form_exclude_other_townships(client, world):
    client.force_login(world.village_a1_user)
    response = _post_new(
        client, world.a1, measure_type="产业帮扶", started_on="2025-03-01", responsible=world.town_b.pk
    )
    assert response.status_code == 422
    assert response.context["form"].errors["responsible"]
    assert not AssistanceMeasure.objects.exists()


def test_paired_cadre_is_offered_first(world):
    assert list(selectors.responsible_candidates(world.b1))[0] == world.cadre


def test_measure_may_link_only_the_households_open_case(world):
    other = monitored(world.a2)
    with pytest.raises(ValidationError, match="只能关联本户当前的监测对象"):
        services.measure_add(
            actor=world.county,
            household_id=world.a1.pk,
            measure_type="产业帮扶",
            started_on=TODAY,
            case=other,
        )
    closed = monitored(world.a1, eliminated=True)
    with pytest.raises(ValidationError, match="只能关联本户当前的监测对象"):
        services.measure_add(
            actor=world.county,
            household_id=world.a1.pk,
            measure_type="产业帮扶",
            started_on=TODAY,
            case=closed,
        )


def test_new_measure_form_preselects_the_monitored_case(client, world):
    case = monitored(world.a1)
    client.force_login(world.village_a1_user)
    form = client.get(reverse("measure_new", args=[world.a1.pk])).context["form"]
    assert form.initial["case"] == case


def test_sub_type_suggestions_follow_the_measure_type(client, world):
    client.force_login(world.village_a1_user)
    html = client.get(reverse("measure_detail_options"), {"measure_type": "金融帮扶"}).content.decode()
    assert '<option value="小额信贷">' in html and "医疗救助" not in html
    page = client.get(reverse("measure_new", args=[world.a1.pk])).content.decode()
    assert 'list="detail-options"' in page and reverse("measure_detail_options") in page


# ---------------------------------------------------------------- measure checks


def test_labour_household_without_developmental_measure_is_flagged(client, world):
    monitored(world.a1)  # a1's only member is a 普通劳动力 (the factory's default)
    measure(world.a1, "综合保障", detail="低保")
    assert checks(world.a1) == ["labour"]
    client.force_login(world.village_a1_user)
    assert page_checks(client, world.a1) == ["labour"]
    assert (
        "监测户有普通或技能劳动力，但无在帮的开发式帮扶措施" in client.get(detail(world.a1)).content.decode()
    )


@pytest.mark.parametrize("kind", ["产业帮扶", "就业帮扶", "金融帮扶", "公益岗位帮扶"])
def test_any_developmental_measure_answers_the_labour_check(client, world, kind):
    monitored(world.a1)
    measure(world.a1, kind)
    assert checks(world.a1) == []
    client.force_login(world.village_a1_user)
    assert page_checks(client, world.a1) == []


@pytest.mark.parametrize(
    "skill, flagged",
    [("技能劳动力", True), ("普通劳动力", True), ("弱劳动力或半劳动力", False), ("无劳动力", False)],
)
def test_labour_check_counts_only_full_labour(world, skill, flagged):
    world.a1.members.update(labour_skill=skill)
    monitored(world.a1)
    assert (checks(world.a1) == ["labour"]) is flagged


def test_labour_check_needs_a_monitored_household(world):
    monitored(world.a1, eliminated=True)
    assert checks(world.a1) == []
    MonitoringCase.objects.update(eliminated=False, status=MonitoringCase.Status.CLUE)
    assert checks(world.a1) == []


def test_a_developmental_measure_that_ended_no_longer_counts(world):
    monitored(world.a1)
    m = measure(world.a1, "公益岗位帮扶", months=6, ended_on=TOMORROW)
    assert checks(world.a1) == []  # ends tomorrow: still held today
    m.ended_on = TODAY
    m.save()
    assert checks(world.a1) == ["labour"]


@pytest.mark.parametrize(("risk", "expected"), sorted(EXPECTED_MEASURES.items()))
def test_each_risk_without_its_expected_measure_is_flagged_and_any_expected_one_clears_it(
    client, world, risk, expected
):
    world.a1.members.update(labour_skill="无劳动力")  # keep the labour check out of the way
    monitored(world.a1, risk)
    wrong = next(t for t in MeasureType if t not in expected)
    measure(world.a1, wrong)
    assert checks(world.a1) == [f"risk:{risk}"]
    client.force_login(world.village_a1_user)
    assert page_checks(client, world.a1) == [f"risk:{risk}"]
    assert f"风险类型为{risk}，但无在帮的" in client.get(detail(world.a1)).content.decode()
    for kind in expected:
        held = measure(world.a1, kind)
        assert checks(world.a1) == [], kind
        assert page_checks(client, world.a1) == [], kind
        held.delete()


def test_risks_without_an_expectation_and_closed_cases_raise_nothing(world):
    world.a1.members.update(labour_skill="无劳动力")
    monitored(world.a1, "因自然灾害", "因意外事故", "其他")
    monitored(world.a2, "因病", eliminated=True)
    assert checks(world.a1) == [] and checks(world.a2) == []


def test_both_checks_together_and_the_page_agrees_with_the_set_based_query(client, world):
    monitored(world.a1, "因病", "因学", "因安全饮水")
    measure(world.a1, "教育帮扶", detail="雨露计划")
    expected = ["labour", "risk:因病", "risk:因安全饮水"]
    assert checks(world.a1) == expected
    client.force_login(world.village_a1_user)
    assert page_checks(client, world.a1) == expected


def test_missing_measures_plain_function_needs_monitoring():
    assert missing_measures(monitored=False, labour_skills=["普通劳动力"], risk_types=["因病"], held=[]) == []
    found = missing_measures(
        monitored=True, labour_skills=["技能劳动力"], risk_types=["因病", "因病"], held=[]
    )
    assert [c.code for c in found] == ["labour", "risk:因病"]


def test_measure_checks_cost_two_queries_whatever_the_number_of_households(world, django_assert_num_queries):
    for h in world.households().values():
        monitored(h, "因病", "因学")
    with django_assert_num_queries(2):
        found = selectors.measure_checks(Household.objects.all(), TODAY)
    assert len(found) == 4


def test_village_user_picks_a_village_cadre_as_responsible(world):
    village_cadre = f.user("a1_cadre", Role.VILLAGE, world.village_a1.code)
    m = services.measure_add(
        actor=world.village_a1_user,
        household_id=world.a1.pk,
        measure_type="健康帮扶",
        started_on=TODAY,
        responsible=village_cadre,
    )
    assert m.responsible == village_cadre
