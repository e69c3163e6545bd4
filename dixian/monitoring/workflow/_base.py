"""What every workflow step shares: loading through scope, the role set, the optimistic
claim on the version, history with the actor and the audit event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from dixian.accounts.roles import Role
from dixian.accounts.scope import cases_visible_to, seen_via_origin
from dixian.core.models import AuditEvent
from dixian.core.services import audit_record
from dixian.monitoring.models import EliminationCase, MonitoringCase
from dixian.monitoring.workflow.machine import MOVED_ON, STATUS_LABELS, Step, WorkflowError, check_step

ORIGIN_REFUSAL = "该户为易地搬迁户，识别纳入和风险消除由迁入地办理（迁出地协助）"


def roles_of(actor: Any) -> frozenset[Role]:
    return frozenset(Role) if getattr(actor, "is_superuser", False) else actor.roles


def today_or(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def check_destination_duty(actor: Any, household: Any) -> None:
    """Identification and elimination are the destination's duties (DOMAIN.md §8)."""
    if seen_via_origin(actor, household):
        raise WorkflowError(ORIGIN_REFUSAL)


@dataclass
class Subject:
    """The case and, for the elimination procedure, the elimination being worked on:
    `target` is the one whose status and version the step moves."""

    case: MonitoringCase
    elimination: EliminationCase | None

    @property
    def target(self) -> MonitoringCase | EliminationCase:
        return self.elimination if self.elimination is not None else self.case

    @property
    def procedure_label(self) -> str:
        return "风险消除" if self.elimination is not None else "识别纳入"

    def step_fields(self) -> dict[str, Any]:
        return {"case": self.case, "elimination": self.elimination}


def load(actor: Any, case_id: int, elimination_id: int | None = None) -> Subject:
    """The case within the actor's scope (404 otherwise) and its elimination, if named."""
    case = get_object_or_404(cases_visible_to(actor).select_related("household"), pk=case_id)
    check_destination_duty(actor, case.household)
    elimination = None
    if elimination_id is not None:
        elimination = get_object_or_404(EliminationCase, pk=elimination_id, case=case)
    return Subject(case, elimination)


def check(subject: Subject, step: Step, version: int, actor: Any) -> None:
    """Refuse a stale form first (the case moved on), then a step out of order or role."""
    if subject.target.version != version:
        raise WorkflowError(MOVED_ON)
    check_step(step, subject.target.status, roles_of(actor))


def advance(
    subject: Subject,
    *,
    version: int,
    new_status: str,
    actor: Any,
    step_label: str,
    request: HttpRequest | None,
    **changes: Any,
) -> MonitoringCase | EliminationCase:
    """Claim the target with UPDATE … WHERE version=<read version>, then save the new state
    so that history records the actor. No row claimed: someone else moved the case."""
    target = subject.target
    model = type(target)
    if not model.objects.filter(pk=target.pk, version=version).update(version=F("version") + 1):
        raise WorkflowError(MOVED_ON)
    old_status = target.status
    target.version = version + 1
    target.status = new_status
    for name, value in changes.items():
        setattr(target, name, value)
    target._history_user = actor  # type: ignore[union-attr]
    target.save()
    audit_record(
        request=request,
        user=actor,
        action=AuditEvent.Action.CHANGE,
        obj=target,
        detail=(
            f"{subject.procedure_label}·{step_label}：{STATUS_LABELS.get(old_status, old_status)}"
            f"→{STATUS_LABELS.get(new_status, new_status)}"
        ),
    )
    return target


def stamp(record: Any, actor: Any) -> Any:
    """Save a step record with its recorder and the history user."""
    record.recorded_by = actor if getattr(actor, "pk", None) else None
    record._history_user = actor
    record.full_clean(exclude=["case", "elimination", "recorded_by"])
    record.save()
    return record
