"""The state machine and the elimination conditions, without the database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dixian.accounts.roles import Role
from dixian.monitoring.workflow import conditions as cond
from dixian.monitoring.workflow import machine as m
from dixian.monitoring.workflow.machine import Step, WorkflowError


def test_each_step_only_from_its_status_and_for_its_roles():
    assert m.allowed_steps(m.CLUE, {Role.VILLAGE}) == [Step.VISIT]
    assert m.allowed_steps(m.CLUE, {Role.CADRE}) == [Step.VISIT]
    assert m.allowed_steps(m.VISITED, {Role.CADRE}) == []
    assert m.allowed_steps(m.PUBLICISED, {Role.TOWNSHIP}) == [Step.TOWNSHIP_REVIEW]
    assert m.allowed_steps(m.TOWNSHIP_REVIEWED, {Role.TOWNSHIP}) == []
    assert m.allowed_steps(m.TOWNSHIP_REVIEWED, {Role.COUNTY_ADMIN}) == [Step.COUNTY_DECISION]
    assert m.allowed_steps(m.APPROVED, set(Role)) == []


def test_wrong_order_is_refused_with_the_status_needed():
    with pytest.raises(WorkflowError, match="须在「已入户核实」时办理"):
        m.check_step(Step.ASSESS, m.CLUE, {Role.VILLAGE})


def test_wrong_role_is_refused_naming_who_may():
    with pytest.raises(WorkflowError, match="只能由县级管理员办理"):
        m.check_step(Step.COUNTY_DECISION, m.TOWNSHIP_REVIEWED, {Role.TOWNSHIP, Role.COUNTY_DEPARTMENT})


def test_returns_go_back_to_the_village_and_the_county_decides_inclusion():
    assert m.status_after(Step.TOWNSHIP_REVIEW, approve=False) == m.VISITED
    assert m.status_after(Step.COUNTY_DECISION, approve=True, include=True) == m.APPROVED
    assert m.status_after(Step.COUNTY_DECISION, approve=True, include=False) == m.NOT_INCLUDED


def test_publicity_needs_at_least_the_parameter_days():
    m.check_publicity_period(dt.date(2024, 5, 4), dt.date(2024, 5, 9), 5)
    with pytest.raises(WorkflowError, match="不足 5 天"):
        m.check_publicity_period(dt.date(2024, 5, 4), dt.date(2024, 5, 8), 5)


def test_review_only_after_the_publicity_end_date():
    with pytest.raises(WorkflowError, match="公示期满后方可审核"):
        m.check_publicity_ended(dt.date(2024, 5, 9), dt.date(2024, 5, 9))
    m.check_publicity_ended(dt.date(2024, 5, 9), dt.date(2024, 5, 10))


def test_inclusion_needs_category_and_one_to_five_risks_or_a_reason():
    m.check_inclusion(include=True, category="边缘易致贫户", risk_types=["因病"], exclusion_reason="")
    with pytest.raises(WorkflowError):
        m.check_inclusion(include=True, category="边缘易致贫户", risk_types=[], exclusion_reason="")
    with pytest.raises(WorkflowError):
        m.check_inclusion(include=True, category="", risk_types=["因病"], exclusion_reason="")
    with pytest.raises(WorkflowError):
        m.check_inclusion(include=True, category="边缘易致贫户", risk_types=["因病"] * 2, exclusion_reason="")
    with pytest.raises(WorkflowError):
        m.check_inclusion(include=False, category="", risk_types=[], exclusion_reason=" ")


def test_overdue_after_identification_days():
    opened = dt.date(2024, 5, 1)
    assert not m.is_overdue(opened, m.CLUE, 15, dt.date(2024, 5, 16))
    assert m.is_overdue(opened, m.CLUE, 15, dt.date(2024, 5, 17))
    assert not m.is_overdue(opened, m.APPROVED, 15, dt.date(2024, 9, 1))


def facts(**kw):
    base = dict(
        income_year=2024,
        per_capita_net=Decimal("9000"),
        monitoring_line=Decimal("8500"),
        identified_on=dt.date(2024, 1, 15),
        min_months=6,
        measure_count=1,
        members_with_labour=1,
        member_count=3,
        dangerous_housing=False,
        safe_water=True,
        today=dt.date(2024, 7, 15),
    )
    base.update(kw)
    return cond.Facts(**base)


@pytest.mark.parametrize(
    ("code", "change"),
    [
        ("income", {"per_capita_net": Decimal("8499.99")}),
        ("months", {"today": dt.date(2024, 7, 14)}),
        ("measure", {"measure_count": 0}),
        ("housing", {"dangerous_housing": True}),
        ("water", {"safe_water": False}),
    ],
)
def test_each_elimination_condition_fails_alone(code, change):
    assert all(c.met for c in cond.evaluate(facts()))
    result = {c.code: c.met for c in cond.evaluate(facts(**change))}
    assert [k for k, met in result.items() if not met] == [code]
    with pytest.raises(WorkflowError, match="不符合风险消除条件"):
        cond.check_eligible(cond.evaluate(facts(**change)))


def test_whole_no_labour_household_is_refused_for_bottom_line_support():
    with pytest.raises(WorkflowError, match="兜底保障"):
        cond.check_eligible(cond.evaluate(facts(members_with_labour=0)))


def test_add_months_clamps_to_month_end():
    assert cond.add_months(dt.date(2024, 8, 31), 6) == dt.date(2025, 2, 28)
