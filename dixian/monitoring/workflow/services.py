"""The steps of identification (识别纳入), keyword-only, one transaction each.

Visit, 公示 and the two reviews serve the elimination procedure too (pass
`elimination_id`); opening and the village assessment differ and live in `elimination`
for that procedure. Every step checks scope (404 outside it), role and order, claims the
case's version and is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from dixian.accounts.scope import get_household_for_user
from dixian.core.models import AuditEvent
from dixian.core.services import audit_record
from dixian.monitoring.models import (
    CaseRisk,
    ClueSource,
    EliminationCase,
    HouseholdVisit,
    JointAssessment,
    MonitoringCase,
    Publicity,
    Review,
    ScreeningWarning,
)
from dixian.monitoring.workflow import machine as m
from dixian.monitoring.workflow._base import (
    Subject,
    advance,
    check,
    check_destination_duty,
    load,
    roles_of,
    stamp,
    today_or,
)
from dixian.monitoring.workflow.machine import Step, WorkflowError
from dixian.registry.models import Household
from dixian.registry.selectors import parameter_value

CLUE_SOURCES = (
    ClueSource.SELF_REPORT,
    ClueSource.CADRE_SCREENING,
    ClueSource.DEPARTMENT_WARNING,
    ClueSource.SCREENING_WARNING,
)


@transaction.atomic
def clue_open(
    *,
    actor: Any,
    household_id: int,
    source: str,
    opened_on: dt.date | None = None,
    warning_id: int | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> MonitoringCase:
    """Open a clue (线索) for a household in scope that has no open or monitored case.
    The household's pending screening warnings become 已转线索: the clue now answers them."""
    today = today_or(today)
    opened_on = opened_on or today
    household = get_household_for_user(actor, household_id)
    if warning_id is not None:
        warning = ScreeningWarning.objects.filter(pk=warning_id, household=household).first()
        if warning is None or warning.status != ScreeningWarning.Status.PENDING:
            raise WorkflowError("该预警线索不存在或已处理")
        source = ClueSource.SCREENING_WARNING
    m.check_role(Step.OPEN, roles_of(actor))
    check_destination_duty(actor, household)
    if source not in CLUE_SOURCES:
        raise WorkflowError("请选择线索来源（农户自主申报、基层干部排查、部门筛查预警或预警线索）")
    m.check_not_future(opened_on, "线索日期", today)
    Household.objects.select_for_update().filter(pk=household.pk).first()  # one clue at a time
    existing = MonitoringCase.objects.filter(household=household)
    if existing.filter(status__in=m.OPEN).exists():
        raise WorkflowError("该户已有办理中的识别案件")
    if existing.filter(status=m.APPROVED, eliminated=False).exists():
        raise WorkflowError("该户已是监测对象，无需重复识别")
    case = MonitoringCase(household=household, status=m.CLUE, source=source, opened_on=opened_on)
    case._history_user = actor  # type: ignore[attr-defined]
    case.save()
    for pending in ScreeningWarning.objects.filter(
        household=household, status=ScreeningWarning.Status.PENDING
    ):
        pending.status, pending.closed_at = ScreeningWarning.Status.CONVERTED, timezone.now()
        pending._history_user = actor  # type: ignore[attr-defined]
        pending.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(
        request=request,
        user=actor,
        action=AuditEvent.Action.CHANGE,
        obj=case,
        detail=f"识别纳入·新建线索（{source}）：→{m.STATUS_LABELS[m.CLUE]}",
    )
    return case


def _started_on(subject: Subject) -> dt.date | None:
    if subject.elimination is not None:
        return subject.elimination.opened_on
    return subject.case.opened_on


def _latest(model: Any, subject: Subject) -> Any:
    return model.objects.filter(case=subject.case, elimination=subject.elimination).order_by("-pk").first()


@transaction.atomic
def visit_record(
    *,
    actor: Any,
    case_id: int,
    version: int,
    visited_on: dt.date,
    cadre_name: str,
    findings: str,
    authorisation_signed: bool,
    elimination_id: int | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> HouseholdVisit:
    """入户核实. Identification needs the signed 承诺授权书: without it no economic check."""
    today = today_or(today)
    subject = load(actor, case_id, elimination_id)
    check(subject, Step.VISIT, version, actor)
    m.check_not_future(visited_on, "核实日期", today)
    started = _started_on(subject)
    if started:
        m.check_not_before(visited_on, started, "核实日期", "线索日期")
    if subject.elimination is None and not authorisation_signed:
        raise WorkflowError("未签署承诺授权书，不能开展经济状况核对，请先签署")
    if not findings.strip():
        raise WorkflowError("请填写核实情况")
    advance(
        subject, version=version, new_status=m.VISITED, actor=actor, step_label="入户核实", request=request
    )
    visit = HouseholdVisit(
        **subject.step_fields(),
        visited_on=visited_on,
        cadre_name=cadre_name.strip() or str(actor),
        findings=findings,
        authorisation_signed=authorisation_signed,
    )
    return stamp(visit, actor)


@transaction.atomic
def assessment_record(
    *,
    actor: Any,
    case_id: int,
    version: int,
    sat_on: dt.date,
    report_number: str,
    report_date: dt.date,
    include: bool,
    relief: str,
    relief_reason: str,
    category: str = "",
    risk_types: list[str] | None = None,
    exclusion_reason: str = "",
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> JointAssessment:
    """村级评议 on one economic verification report, with two independent decisions:
    (a) monitoring inclusion, (b) civil-affairs relief. Neither constrains the other."""
    today = today_or(today)
    risk_types = list(risk_types or [])
    subject = load(actor, case_id)
    check(subject, Step.ASSESS, version, actor)
    m.check_not_future(sat_on, "评议日期", today)
    visit = _latest(HouseholdVisit, subject)
    if visit is not None:
        m.check_not_before(sat_on, visit.visited_on, "评议日期", "核实日期")
    if not report_number.strip() or report_date is None:
        raise WorkflowError("请填写经济状况核对报告编号和日期")
    m.check_inclusion(
        include=include, category=category, risk_types=risk_types, exclusion_reason=exclusion_reason
    )
    m.check_relief(relief=relief, relief_reason=relief_reason)
    advance(
        subject, version=version, new_status=m.ASSESSED, actor=actor, step_label="村级评议", request=request
    )
    assessment = JointAssessment(
        **subject.step_fields(),
        sat_on=sat_on,
        report_number=report_number.strip(),
        report_date=report_date,
        include=include,
        category=category if include else "",
        risk_types=risk_types if include else [],
        exclusion_reason="" if include else exclusion_reason.strip(),
        relief=relief,
        relief_reason=relief_reason.strip(),
    )
    return stamp(assessment, actor)


@transaction.atomic
def publicity_start(
    *,
    actor: Any,
    case_id: int,
    version: int,
    starts_on: dt.date,
    ends_on: dt.date,
    elimination_id: int | None = None,
    request: HttpRequest | None = None,
) -> Publicity:
    """公示, at least `publicity_days` (the parameter of the start year) from start to end."""
    subject = load(actor, case_id, elimination_id)
    check(subject, Step.PUBLICISE, version, actor)
    min_days = parameter_value("publicity_days", starts_on.year).value
    m.check_publicity_period(starts_on, ends_on, int(min_days))
    assessment = _latest(JointAssessment, subject)
    if assessment is not None:
        m.check_not_before(starts_on, assessment.sat_on, "公示开始日期", "评议日期")
    advance(
        subject, version=version, new_status=m.PUBLICISED, actor=actor, step_label="公示", request=request
    )
    return stamp(Publicity(**subject.step_fields(), starts_on=starts_on, ends_on=ends_on), actor)


def _review(
    subject: Subject, *, level: str, approve: bool, reason: str, today: dt.date, actor: Any
) -> Review:
    if not approve and not reason.strip():
        raise WorkflowError("退回须写明理由")
    review = Review(
        **subject.step_fields(),
        level=level,
        decision=Review.Decision.APPROVE if approve else Review.Decision.RETURN,
        reason=reason.strip(),
        decided_on=today,
    )
    return stamp(review, actor)


@transaction.atomic
def township_review(
    *,
    actor: Any,
    case_id: int,
    version: int,
    approve: bool,
    reason: str = "",
    elimination_id: int | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Review:
    """乡镇审核: only once the 公示 has ended; a return sends the case back to the village."""
    today = today_or(today)
    subject = load(actor, case_id, elimination_id)
    check(subject, Step.TOWNSHIP_REVIEW, version, actor)
    publicity = _latest(Publicity, subject)
    if publicity is None:
        raise WorkflowError("未找到公示记录")
    m.check_publicity_ended(publicity.ends_on, today)
    review = _review(
        subject, level=Review.Level.TOWNSHIP, approve=approve, reason=reason, today=today, actor=actor
    )
    new_status = m.status_after(Step.TOWNSHIP_REVIEW, approve=approve)
    label = "乡镇审核" + ("" if approve else "（退回）")
    advance(subject, version=version, new_status=new_status, actor=actor, step_label=label, request=request)
    return review


@transaction.atomic
def county_decide(
    *,
    actor: Any,
    case_id: int,
    version: int,
    approve: bool,
    reason: str = "",
    elimination_id: int | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Review:
    """县级审定. Identification: APPROVED with the assessment's category and risks and
    identified_on = today, or NOT_INCLUDED when the assessment did not include (final).
    Elimination: the case is eliminated today with the assessed method."""
    today = today_or(today)
    subject = load(actor, case_id, elimination_id)
    check(subject, Step.COUNTY_DECISION, version, actor)
    assessment = _latest(JointAssessment, subject)
    if assessment is None:
        raise WorkflowError("未找到村级评议记录")
    review = _review(
        subject, level=Review.Level.COUNTY, approve=approve, reason=reason, today=today, actor=actor
    )
    label = "县级审定" + ("" if approve else "（退回）")
    if not approve:
        advance(
            subject, version=version, new_status=m.VISITED, actor=actor, step_label=label, request=request
        )
    elif subject.elimination is not None:
        _approve_elimination(subject, assessment, version=version, today=today, actor=actor, request=request)
    elif assessment.include:
        advance(
            subject,
            version=version,
            new_status=m.APPROVED,
            actor=actor,
            step_label=label,
            request=request,
            category=assessment.category,
            identified_on=today,
        )
        CaseRisk.objects.filter(case=subject.case).delete()
        for position, risk in enumerate(assessment.risk_types, start=1):
            risk_row = CaseRisk(case=subject.case, position=position, risk_type=risk)
            risk_row._history_user = actor  # type: ignore[attr-defined]
            risk_row.save()
    else:
        advance(
            subject,
            version=version,
            new_status=m.NOT_INCLUDED,
            actor=actor,
            step_label=label,
            request=request,
        )
    return review


def _approve_elimination(
    subject: Subject, assessment: JointAssessment, *, version: int, today: dt.date, actor: Any, request: Any
) -> None:
    advance(
        subject,
        version=version,
        new_status=EliminationCase.Status.APPROVED,
        actor=actor,
        step_label="县级审定",
        request=request,
        method=assessment.method,
    )
    case = subject.case
    MonitoringCase.objects.filter(pk=case.pk).update(version=F("version") + 1)
    case.refresh_from_db(fields=["version"])
    case.eliminated, case.eliminated_on, case.elimination_method = True, today, assessment.method
    case._history_user = actor  # type: ignore[attr-defined]
    case.save()
