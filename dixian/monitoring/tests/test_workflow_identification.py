"""Identification (识别纳入) end to end through the services, and every refusal."""

from __future__ import annotations

import pytest
from django.http import Http404

from dixian.core.models import AuditEvent
from dixian.monitoring.models import CaseRisk, JointAssessment, MonitoringCase
from dixian.monitoring.tests import workflow_helpers as h
from dixian.monitoring.workflow import services as s
from dixian.monitoring.workflow.machine import MOVED_ON, WorkflowError


def test_happy_path_clue_to_county_approval(world):
    case = h.approved_case(world)
    assert case.status == MonitoringCase.Status.APPROVED
    assert case.category == "边缘易致贫户"
    assert case.identified_on == h.AFTER_PUBLICITY
    assert list(CaseRisk.objects.filter(case=case).values_list("position", "risk_type")) == [
        (1, "因病"),
        (2, "因学"),
    ]
    assert case.version == 5
    details = list(
        AuditEvent.objects.filter(object_id=str(case.pk)).order_by("pk").values_list("detail", flat=True)
    )
    assert details[-1] == "识别纳入·县级审定：乡镇已审核→已审定"
    assert len(details) == 6
    last = case.history.first()
    assert last.history_user == world.county and last.status == "approved"


@pytest.mark.parametrize(
    ("inclusion", "relief", "status"),
    [
        (h.INCLUDE, h.DIBAO, "approved"),
        (h.INCLUDE, h.NO_RELIEF, "approved"),
        (h.EXCLUDE, h.DIBAO, "not_included"),
        (h.EXCLUDE, h.NO_RELIEF, "not_included"),
    ],
)
def test_all_four_joint_assessment_combinations_are_recorded_independently(world, inclusion, relief, status):
    case = h.approved_case(world, inclusion, relief)
    assessment = JointAssessment.objects.get(case=case)
    assert assessment.include is inclusion["include"]
    assert assessment.relief == relief["relief"]
    assert assessment.report_number == "HD-2024-017"
    assert case.status == status
    assert (case.identified_on is not None) is inclusion["include"]


def test_steps_out_of_order_are_refused(world):
    case = h.open_clue(world)
    with pytest.raises(WorkflowError, match="须在「已入户核实」时办理"):
        h.assess(world, case)
    with pytest.raises(WorkflowError, match="须在「已评议」时办理"):
        h.publicise(world, case)
    with pytest.raises(WorkflowError, match="须在「公示中」时办理"):
        h.township(world, case)
    with pytest.raises(WorkflowError, match="须在「乡镇已审核」时办理"):
        h.county(world, case)
    h.visit(world, case)
    with pytest.raises(WorkflowError, match="须在「线索待核实」时办理"):
        h.visit(world, case)


def test_wrong_roles_are_refused(world):
    case = h.open_clue(world)
    with pytest.raises(WorkflowError, match="只能由"):
        h.visit(world, case, user=world.town_a)
    h.visit(world, case)
    with pytest.raises(WorkflowError, match="只能由村办理"):
        h.assess(world, case, user=world.county)
    h.assess(world, case)
    h.publicise(world, case)
    with pytest.raises(WorkflowError, match="只能由乡镇办理"):
        h.township(world, case, user=world.village_a1_user)
    h.township(world, case)
    for outsider in (world.town_a, world.dept, world.village_a1_user):
        with pytest.raises(WorkflowError, match="只能由县级管理员办理"):
            h.county(world, case, user=outsider)
    assert h.fresh(case).status == "township_reviewed"


def test_out_of_scope_users_get_404(world):
    with pytest.raises(Http404):
        h.open_clue(world, user=world.town_b)
    case = h.open_clue(world)
    for outsider in (world.town_b, world.cadre, world.nobody):
        with pytest.raises(Http404):
            h.visit(world, case, user=outsider)


def test_cadre_opens_and_visits_a_paired_household(world):
    case = h.open_clue(world, household=world.b1, user=world.cadre)
    h.visit(world, case, user=world.cadre)
    assert h.fresh(case).status == "visited"


def test_origin_side_may_not_identify_a_relocated_household(world):
    with pytest.raises(WorkflowError, match="由迁入地办理"):
        h.open_clue(world, household=world.moved, user=world.village_a1_user)


def test_a_second_clue_for_the_same_household_is_refused(world):
    h.open_clue(world)
    with pytest.raises(WorkflowError, match="已有办理中"):
        h.open_clue(world)


def test_visit_without_signed_authorisation_is_refused(world):
    case = h.open_clue(world)
    with pytest.raises(WorkflowError, match="承诺授权书"):
        h.visit(world, case, authorisation_signed=False)


def test_assessment_needs_the_economic_verification_report_and_relief_reason(world):
    case = h.open_clue(world)
    h.visit(world, case)
    with pytest.raises(WorkflowError, match="民政救助研判须写明理由"):
        h.assess(world, case, relief={"relief": "dibao", "relief_reason": ""})
    with pytest.raises(WorkflowError, match="经济状况核对报告"):
        s.assessment_record(
            actor=world.village_a1_user, case_id=case.pk, version=h.fresh(case).version, sat_on=h.SAT,
            report_number="", report_date=h.SAT, today=h.SAT, **h.INCLUDE, **h.DIBAO,
        )  # fmt: skip


def test_publicity_shorter_than_the_parameter_is_refused(world):
    case = h.open_clue(world)
    h.visit(world, case)
    h.assess(world, case)
    with pytest.raises(WorkflowError, match="不足 5 天"):
        h.publicise(world, case, end=h.D(2024, 5, 8))
    with pytest.raises(WorkflowError, match="不能早于评议日期"):
        h.publicise(world, case, start=h.D(2024, 5, 1), end=h.D(2024, 5, 9))


def test_township_review_before_publicity_ends_is_refused(world):
    case = h.open_clue(world)
    h.visit(world, case)
    h.assess(world, case)
    h.publicise(world, case)
    with pytest.raises(WorkflowError, match="公示期满后方可审核"):
        h.township(world, case, today=h.PUB_END)


def test_a_return_sends_the_case_back_for_a_new_assessment(world):
    case = h.open_clue(world)
    h.visit(world, case)
    h.assess(world, case)
    h.publicise(world, case)
    with pytest.raises(WorkflowError, match="退回须写明理由"):
        h.township(world, case, approve=False)
    h.township(world, case, approve=False, reason="风险类型与核实情况不符")
    assert h.fresh(case).status == "visited"
    h.assess(world, case, inclusion={**h.INCLUDE, "risk_types": ["因病"]})
    h.publicise(world, case)
    h.township(world, case)
    h.county(world, case)
    assert list(CaseRisk.objects.filter(case=case).values_list("risk_type", flat=True)) == ["因病"]


def test_a_stale_version_is_told_the_case_has_moved_on(world):
    case = h.open_clue(world)
    stale = h.fresh(case).version
    h.visit(world, case)
    with pytest.raises(WorkflowError, match=MOVED_ON):
        s.visit_record(
            actor=world.village_a1_user, case_id=case.pk, version=stale, visited_on=h.VISITED,
            cadre_name="王", findings="重复提交", authorisation_signed=True, today=h.VISITED,
        )  # fmt: skip
    assert h.fresh(case).householdvisit_set.count() == 1


def test_a_clue_from_a_warning_takes_the_household_off_the_warning_list(world):
    from dixian.monitoring.models import ScreeningWarning

    w = ScreeningWarning.objects.create(
        household=world.a1,
        rule="R05-BELOW-LINE-UNMONITORED",
        year=2024,
        as_of=h.OPENED,
        evidence="6,120 < 8,500",
    )
    other = ScreeningWarning.objects.create(
        household=world.a1, rule="R04-MANY-STUDENTS", year=2024, as_of=h.OPENED, evidence="3 名在校生"
    )
    case = s.clue_open(
        actor=world.village_a1_user,
        household_id=world.a1.pk,
        source="基层干部排查",
        warning_id=w.pk,
        today=h.OPENED,
    )
    assert case.source == "预警线索"
    assert set(ScreeningWarning.objects.values_list("status", flat=True)) == {"converted"}
    assert ScreeningWarning.objects.get(pk=other.pk).history.first().history_user == world.village_a1_user
    with pytest.raises(Http404):
        s.clue_open(actor=world.town_b, household_id=world.a1.pk, source="基层干部排查", warning_id=w.pk)
