"""Risk elimination (风险消除) on the same path, its conditions, and 逐户分析."""

from __future__ import annotations

import datetime as dt

import pytest

from dixian.monitoring.models import AssistanceMeasure, CaseAnalysis, EliminationCase
from dixian.monitoring.tests import workflow_helpers as h
from dixian.monitoring.workflow import elimination as e
from dixian.monitoring.workflow import services as s
from dixian.monitoring.workflow.machine import WorkflowError
from dixian.monitoring.workflow.selectors import elimination_conditions, long_open_by_township
from dixian.registry.models import HouseholdIncome

D = dt.date
READY = D(2024, 11, 20)  # six months after identification on 2024-05-10


@pytest.fixture
def monitored(world):
    case = h.approved_case(world)
    AssistanceMeasure.objects.create(
        household=world.a1, case=case, measure_type="就业帮扶", started_on=D(2024, 6, 1)
    )
    return case


def ver(elimination):
    return EliminationCase.objects.get(pk=elimination.pk).version


def eliminate(world, case, method="帮扶消除"):
    el = e.elimination_open(actor=world.village_a1_user, case_id=case.pk, today=READY)
    kw = {"case_id": case.pk, "elimination_id": el.pk}
    s.visit_record(actor=world.village_a1_user, version=ver(el), visited_on=READY, cadre_name="李", findings="收入稳定",
                   authorisation_signed=False, today=READY, **kw)  # fmt: skip
    e.elimination_assessment_record(
        actor=world.village_a1_user, version=ver(el), sat_on=READY, method=method, today=READY, **kw
    )
    s.publicity_start(
        actor=world.village_a1_user,
        version=ver(el),
        starts_on=READY,
        ends_on=READY + dt.timedelta(days=5),
        **kw,
    )
    later = READY + dt.timedelta(days=6)
    s.township_review(actor=world.town_a, version=ver(el), approve=True, today=later, **kw)
    s.county_decide(actor=world.county, version=ver(el), approve=True, today=later, **kw)
    return el


def test_elimination_happy_path_sets_method_and_date(world, monitored):
    el = eliminate(world, monitored, method="自然消除")
    case = h.fresh(monitored)
    assert case.eliminated and case.elimination_method == "自然消除"
    assert case.eliminated_on == READY + dt.timedelta(days=6)
    assert case.status == "approved"  # the record stays
    assert EliminationCase.objects.get(pk=el.pk).status == "approved"
    assert case.history.first().history_user == world.county


def test_all_conditions_shown_met_when_ready(world, monitored):
    assert {c.code: c.met for c in elimination_conditions(monitored, today=READY)} == {
        "income": True, "months": True, "measure": True, "labour": True, "housing": True, "water": True,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("code", "spoil"),
    [
        ("income", lambda w, c: HouseholdIncome.objects.filter(household=w.a1).update(wage=16998)),
        ("months", None),
        ("measure", lambda w, c: AssistanceMeasure.objects.all().delete()),
        ("housing", lambda w, c: type(w.a1).objects.filter(pk=w.a1.pk).update(dangerous_housing=True)),
        ("water", lambda w, c: type(w.a1).objects.filter(pk=w.a1.pk).update(safe_water=False)),
    ],
)
def test_each_unmet_condition_refuses_the_assessment(world, monitored, code, spoil):
    today = READY
    if spoil is None:
        today = D(2024, 11, 9)
    else:
        spoil(world, monitored)
    conditions = {c.code: c.met for c in elimination_conditions(monitored, today=today)}
    assert [k for k, met in conditions.items() if not met] == [code]
    el = e.elimination_open(actor=world.village_a1_user, case_id=monitored.pk, today=today)
    kw = {"case_id": monitored.pk, "elimination_id": el.pk}
    s.visit_record(actor=world.village_a1_user, version=ver(el), visited_on=today, cadre_name="李", findings="核实",
                   authorisation_signed=False, today=today, **kw)  # fmt: skip
    with pytest.raises(WorkflowError, match="不符合风险消除条件"):
        e.elimination_assessment_record(
            actor=world.village_a1_user, version=ver(el), sat_on=today, method="帮扶消除", today=today, **kw
        )


def test_whole_no_labour_household_is_refused_with_bottom_line_reason(world, monitored):
    world.a1.members.update(labour_skill="丧失劳动力")
    with pytest.raises(WorkflowError, match="兜底保障"):
        e.elimination_open(actor=world.village_a1_user, case_id=monitored.pk, today=READY)


def test_elimination_needs_a_monitored_case(world):
    case = h.open_clue(world)
    with pytest.raises(WorkflowError, match="已审定纳入"):
        e.elimination_open(actor=world.village_a1_user, case_id=case.pk, today=READY)


def test_only_the_county_approves_an_elimination(world, monitored):
    el = e.elimination_open(actor=world.village_a1_user, case_id=monitored.pk, today=READY)
    with pytest.raises(WorkflowError, match="须在「乡镇已审核」时办理"):
        s.county_decide(
            actor=world.county, case_id=monitored.pk, elimination_id=el.pk, version=ver(el), approve=True
        )


def test_long_open_case_analysis_and_township_counts(world, monitored):
    year_later = D(2025, 5, 10)
    with pytest.raises(WorkflowError, match="纳入不满一年"):
        e.analysis_record(actor=world.village_a1_user, case_id=monitored.pk, persistence_cause="务工不稳",
                          decision="adjust", follow_up_on=year_later, today=D(2025, 5, 9))  # fmt: skip
    [row] = long_open_by_township(world.town_a, today=year_later)
    assert (row.name, row.total, row.analysed) == ("东山镇", 1, 0)
    e.analysis_record(actor=world.village_a1_user, case_id=monitored.pk, persistence_cause="务工不稳",
                      decision="strengthen", follow_up_on=D(2025, 6, 1), today=year_later)  # fmt: skip
    assert CaseAnalysis.objects.get().decision == "strengthen"
    [row] = long_open_by_township(world.town_a, today=year_later)
    assert (row.total, row.analysed, row.pending) == (1, 1, 0)
    assert long_open_by_township(world.town_b, today=year_later) == []


def test_long_open_period_is_the_years_parameter_not_a_literal(world, monitored):
    from dixian.registry.services import parameter_set

    # Identified 2024-05-10 (see the fixture): with a 400-day review period a year is not enough.
    parameter_set(year=2025, code="open_case_review_days", value="400")
    assert long_open_by_township(world.town_a, today=D(2025, 5, 10)) == []
    with pytest.raises(WorkflowError, match="纳入不满一年"):
        e.analysis_record(actor=world.village_a1_user, case_id=monitored.pk, persistence_cause="务工不稳",
                          decision="adjust", follow_up_on=D(2025, 6, 1), today=D(2025, 5, 10))  # fmt: skip
    [row] = long_open_by_township(world.town_a, today=D(2025, 6, 14))
    assert row.total == 1


def test_without_the_years_minimum_months_the_period_condition_is_not_met(world, monitored):
    # no guessed default: a year whose elimination_min_months is not set meets no period
    from dixian.registry.models import PolicyParameter

    PolicyParameter.objects.filter(code="elimination_min_months").delete()
    months = next(c for c in elimination_conditions(monitored, today=READY) if c.code == "months")
    assert not months.met and "elimination_min_months" in months.detail
