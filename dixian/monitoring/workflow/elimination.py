"""Risk elimination (风险消除) and the notice's 逐户分析. Visit, 公示 and the two reviews
are the identification services called with `elimination_id`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from dixian.core.models import AuditEvent
from dixian.core.services import audit_record
from dixian.monitoring.models import CaseAnalysis, EliminationCase, EliminationMethod, JointAssessment
from dixian.monitoring.workflow import conditions as cond
from dixian.monitoring.workflow import machine as m
from dixian.monitoring.workflow._base import advance, check, load, roles_of, stamp, today_or
from dixian.monitoring.workflow.machine import Step, WorkflowError
from dixian.monitoring.workflow.selectors import elimination_conditions, is_long_open


@transaction.atomic
def elimination_open(
    *, actor: Any, case_id: int, today: dt.date | None = None, request: HttpRequest | None = None
) -> EliminationCase:
    """Start elimination on a monitored case (approved, not eliminated, none under way)."""
    today = today_or(today)
    subject = load(actor, case_id)
    m.check_role(Step.OPEN, roles_of(actor))
    case = type(subject.case).objects.select_for_update().get(pk=subject.case.pk)
    if case.status != m.APPROVED or case.eliminated:
        raise WorkflowError("只有已审定纳入且风险未消除的监测对象才能启动风险消除")
    if case.eliminations.exclude(status=EliminationCase.Status.APPROVED).exists():
        raise WorkflowError("该户已有办理中的风险消除")
    if not cond.evaluate_ok_for_start(elimination_conditions(case, today=today)):
        raise WorkflowError(cond.NO_LABOUR_REFUSAL)
    elimination = EliminationCase(case=case, opened_on=today)
    elimination._history_user = actor  # type: ignore[attr-defined]
    elimination.save()
    audit_record(
        request=request,
        user=actor,
        action=AuditEvent.Action.CHANGE,
        obj=elimination,
        detail=f"风险消除·启动：→{m.STATUS_LABELS[m.CLUE]}",
    )
    return elimination


@transaction.atomic
def elimination_assessment_record(
    *,
    actor: Any,
    case_id: int,
    elimination_id: int,
    version: int,
    sat_on: dt.date,
    method: str,
    note: str = "",
    report_number: str = "",
    report_date: dt.date | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> JointAssessment:
    """村级评议 for elimination: every condition must hold today; the method is recorded
    with a snapshot of the conditions."""
    today = today_or(today)
    subject = load(actor, case_id, elimination_id)
    check(subject, Step.ASSESS, version, actor)
    m.check_not_future(sat_on, "评议日期", today)
    if method not in EliminationMethod.values:
        raise WorkflowError("请选择风险消除方式（帮扶消除或自然消除）")
    conditions = elimination_conditions(subject.case, today=today)
    cond.check_eligible(conditions)
    advance(
        subject, version=version, new_status=m.ASSESSED, actor=actor, step_label="村级评议", request=request
    )
    assessment = JointAssessment(
        **subject.step_fields(),
        sat_on=sat_on,
        report_number=report_number.strip(),
        report_date=report_date,
        method=method,
        conditions=cond.snapshot(conditions),
        note=note.strip(),
    )
    return stamp(assessment, actor)


@transaction.atomic
def analysis_record(
    *,
    actor: Any,
    case_id: int,
    persistence_cause: str,
    decision: str,
    follow_up_on: dt.date,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> CaseAnalysis:
    """逐户分析 of a case monitored a year or more (village, township or county; cadres for
    their households)."""
    today = today_or(today)
    subject = load(actor, case_id)
    case = subject.case
    if not roles_of(actor) & m.STEPS[Step.OPEN].roles:
        raise WorkflowError("逐户分析由村、乡镇、县级或帮扶干部办理")
    if case.status != m.APPROVED or case.eliminated or case.identified_on is None:
        raise WorkflowError("只有风险未消除的监测对象才做逐户分析")
    if not is_long_open(case, today):
        raise WorkflowError("纳入不满一年，无需逐户分析")
    if not persistence_cause.strip():
        raise WorkflowError("请填写风险未消除原因")
    if decision not in CaseAnalysis.Decision.values:
        raise WorkflowError("请选择处理意见")
    m.check_not_before(follow_up_on, today, "跟进日期", "今天")
    analysis = CaseAnalysis(
        case=case,
        analysed_on=today,
        persistence_cause=persistence_cause.strip(),
        decision=decision,
        follow_up_on=follow_up_on,
        analyst=actor if getattr(actor, "pk", None) else None,
    )
    analysis._history_user = actor  # type: ignore[attr-defined]
    analysis.full_clean(exclude=["case", "analyst"])
    analysis.save()
    audit_record(
        request=request,
        user=actor,
        action=AuditEvent.Action.CHANGE,
        obj=analysis,
        detail=f"逐户分析：{analysis.get_decision_display()}",
    )
    return analysis
