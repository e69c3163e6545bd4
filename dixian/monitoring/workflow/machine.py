"""The state machine of identification and risk elimination, without the database.

Both procedures walk the same path: clue → 入户核实 → 村级评议 → 公示 → 乡镇审核 →
县级审定. A return (退回) at either review sends the case back to the village for a new
assessment and a new 公示. Each step names the roles that may take it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError

from dixian.accounts.roles import Role

CLUE, VISITED, ASSESSED = "clue", "visited", "assessed"
PUBLICISED, TOWNSHIP_REVIEWED = "publicised", "township_reviewed"
APPROVED, NOT_INCLUDED = "approved", "not_included"
OPEN = (CLUE, VISITED, ASSESSED, PUBLICISED, TOWNSHIP_REVIEWED)
FINAL = (APPROVED, NOT_INCLUDED)

MOVED_ON = "该案件已被他人处理，请刷新后重试"


class WorkflowError(ValidationError):
    """A step refused: wrong order, wrong role, a date or a rule not met."""


class Step(StrEnum):
    OPEN = "open"
    VISIT = "visit"
    ASSESS = "assess"
    PUBLICISE = "publicise"
    TOWNSHIP_REVIEW = "township_review"
    COUNTY_DECISION = "county_decision"

    @property
    def label(self) -> str:
        return STEPS[self].label


@dataclass(frozen=True)
class StepRule:
    label: str
    from_status: str | None  # None: the step creates the case
    roles: frozenset[Role]


STEPS: dict[Step, StepRule] = {
    Step.OPEN: StepRule(
        "新建线索", None, frozenset({Role.VILLAGE, Role.TOWNSHIP, Role.COUNTY_ADMIN, Role.CADRE})
    ),
    Step.VISIT: StepRule("入户核实", CLUE, frozenset({Role.VILLAGE, Role.CADRE})),
    Step.ASSESS: StepRule("村级评议", VISITED, frozenset({Role.VILLAGE})),
    Step.PUBLICISE: StepRule("公示", ASSESSED, frozenset({Role.VILLAGE})),
    Step.TOWNSHIP_REVIEW: StepRule("乡镇审核", PUBLICISED, frozenset({Role.TOWNSHIP})),
    Step.COUNTY_DECISION: StepRule("县级审定", TOWNSHIP_REVIEWED, frozenset({Role.COUNTY_ADMIN})),
}

STATUS_LABELS = {
    CLUE: "线索待核实",
    VISITED: "已入户核实",
    ASSESSED: "已评议",
    PUBLICISED: "公示中",
    TOWNSHIP_REVIEWED: "乡镇已审核",
    APPROVED: "已审定",
    NOT_INCLUDED: "不予纳入",
}


def role_names(roles: Iterable[Role]) -> str:
    return "、".join(r.label for r in sorted(roles))


def check_role(step: Step, roles: Iterable[Role]) -> None:
    rule = STEPS[step]
    if not rule.roles & frozenset(roles):
        raise WorkflowError(f"「{rule.label}」只能由{role_names(rule.roles)}办理")


def check_step(step: Step, status: str, roles: Iterable[Role]) -> None:
    """Refuse `step` on a case in `status` for a user holding `roles`, with the reason."""
    rule = STEPS[step]
    if rule.from_status is None:
        raise WorkflowError(f"「{rule.label}」不能用于已有案件")
    if status != rule.from_status:
        current = STATUS_LABELS.get(status, status)
        needed = STATUS_LABELS[rule.from_status]
        raise WorkflowError(f"案件当前为「{current}」，「{rule.label}」须在「{needed}」时办理")
    check_role(step, roles)


def allowed_steps(status: str, roles: Iterable[Role]) -> list[Step]:
    """The steps a user holding `roles` may take on a case in `status` (for the forms shown)."""
    held = frozenset(roles)
    return [s for s, r in STEPS.items() if r.from_status == status and r.roles & held]


def status_after(step: Step, *, approve: bool = True, include: bool = True) -> str:
    """The status a step leads to. A return at a review goes back to VISITED (re-assess);
    the county's approval is final: APPROVED, or NOT_INCLUDED when the assessment said so."""
    if step is Step.VISIT:
        return VISITED
    if step is Step.ASSESS:
        return ASSESSED
    if step is Step.PUBLICISE:
        return PUBLICISED
    if not approve:
        return VISITED
    if step is Step.TOWNSHIP_REVIEW:
        return TOWNSHIP_REVIEWED
    if step is Step.COUNTY_DECISION:
        return APPROVED if include else NOT_INCLUDED
    raise WorkflowError(f"未知步骤 {step}")


def check_publicity_period(starts_on: dt.date, ends_on: dt.date, min_days: int) -> None:
    if (ends_on - starts_on).days < min_days:
        raise WorkflowError(
            f"公示期 {starts_on:%Y-%m-%d} 至 {ends_on:%Y-%m-%d} 不足 {min_days} 天（结束日期减开始日期）"
        )


def check_publicity_ended(ends_on: dt.date, today: dt.date) -> None:
    if today <= ends_on:
        raise WorkflowError(f"公示期至 {ends_on:%Y-%m-%d} 止，公示期满后方可审核")


def check_not_before(later: dt.date, earlier: dt.date, later_label: str, earlier_label: str) -> None:
    if later < earlier:
        raise WorkflowError(f"{later_label}（{later:%Y-%m-%d}）不能早于{earlier_label}（{earlier:%Y-%m-%d}）")


def check_not_future(day: dt.date, label: str, today: dt.date) -> None:
    if day > today:
        raise WorkflowError(f"{label}（{day:%Y-%m-%d}）不能晚于今天")


def check_inclusion(*, include: bool, category: str, risk_types: list[str], exclusion_reason: str) -> None:
    """Decision (a): include with a category and one to five distinct risks, or not with a reason."""
    if include:
        if not category:
            raise WorkflowError("纳入监测须选择监测对象类别")
        if not 1 <= len(risk_types) <= 5:
            raise WorkflowError("纳入监测须选择 1 至 5 项致贫/返贫风险")
        if len(set(risk_types)) != len(risk_types):
            raise WorkflowError("致贫/返贫风险不能重复")
    elif not exclusion_reason.strip():
        raise WorkflowError("不纳入监测须写明理由")


def check_relief(*, relief: str, relief_reason: str) -> None:
    """Decision (b), independent of (a): 低保, 特困 or none, always with a reason."""
    if relief not in ("dibao", "tekun", "none"):
        raise WorkflowError("请选择民政救助研判结果（低保、特困或不纳入）")
    if not relief_reason.strip():
        raise WorkflowError("民政救助研判须写明理由")


def is_overdue(opened_on: dt.date | None, status: str, days: int, today: dt.date) -> bool:
    """A clue still open more than `days` (identification_days) after it was opened."""
    return opened_on is not None and status in OPEN and (today - opened_on).days > days
