"""Writes of the measures part: add, edit and end a household's assistance measure (帮扶措施)
and record a disaster or accident (突发灾害/意外事件). Keyword-only, one transaction each;
each loads through scope (404 outside it), refuses read-only roles (403), validates, saves
with the actor in history and appends an AuditEvent saying what changed from what to what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from dixian.accounts.scope import get_household_for_user
from dixian.core.models import AuditEvent
from dixian.core.services import audit_record
from dixian.monitoring.measures import selectors
from dixian.monitoring.measures.access import check_writer
from dixian.monitoring.models import AssistanceMeasure, EventKind, HouseholdEvent, MeasureType
from dixian.registry.models import Household
from dixian.registry.selectors import MissingParameter, parameter_value

# Fields an edit may change (the audit trail names them by their verbose names).
EDITABLE = ("measure_type", "detail", "started_on", "amount", "months", "responsible", "case")


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def _validate_measure(
    measure: AssistanceMeasure, household: Household, links: tuple[str, ...] = ("responsible", "case")
) -> None:
    """The rules a measure must meet, each error on the field it concerns. `links`: which of
    责任人 and case to check against the household's current choices (an edit keeps an
    unchanged link, such as the case of a measure that ended with the case's elimination)."""
    errors: dict[str, str] = {}
    if measure.measure_type not in MeasureType.values:
        errors["measure_type"] = "请选择措施类型"
    if measure.amount is not None and measure.amount < 0:
        errors["amount"] = "金额不能为负数"
    if measure.measure_type == MeasureType.PUBLIC_WELFARE_JOB and not measure.months:
        errors["months"] = "公益岗位帮扶须填写岗位月数"
    if (
        measure.measure_type == MeasureType.FINANCE
        and "小额信贷" in measure.detail
        and measure.amount is not None
        and measure.started_on is not None
    ):
        try:
            cap = parameter_value("microcredit_cap", measure.started_on.year)
        except MissingParameter:
            cap = None  # no cap published for that year: nothing to compare with
        if cap is not None and measure.amount > Decimal(cap.value):
            errors["amount"] = (
                f"小额信贷金额 {measure.amount:,.2f} 元超过额度上限 {Decimal(cap.value):,.0f} 元"
                f"（{cap.set_in}年参数）"
            )
    if (
        "responsible" in links
        and measure.responsible_id is not None
        and not (selectors.responsible_candidates(household).filter(pk=measure.responsible_id).exists())
    ):
        errors["responsible"] = "帮扶责任人须为本户所在村、乡镇或县级单位的在岗人员"
    if (
        "case" in links
        and measure.case_id is not None
        and not (selectors.linkable_cases(household).filter(pk=measure.case_id).exists())
    ):
        errors["case"] = "只能关联本户当前的监测对象"
    if measure.ended_on is not None and measure.started_on and measure.ended_on < measure.started_on:
        errors["started_on"] = f"开始日期不能晚于结束日期（{measure.ended_on:%Y-%m-%d}）"
    if errors:
        raise ValidationError(errors)


def _save(obj: Any, actor: Any) -> None:
    obj._history_user = actor
    obj.save()


@transaction.atomic
def measure_add(
    *,
    actor: Any,
    household_id: int,
    measure_type: str,
    started_on: dt.date,
    detail: str = "",
    amount: Decimal | None = None,
    months: int | None = None,
    responsible: Any = None,
    case: Any = None,
    request: HttpRequest | None = None,
) -> AssistanceMeasure:
    """Add a measure the household now holds (source 手工录入)."""
    household = get_household_for_user(actor, household_id)
    check_writer(actor)
    measure = AssistanceMeasure(
        household=household,
        measure_type=measure_type,
        detail=detail.strip(),
        started_on=started_on,
        year=started_on.year,
        amount=amount,
        months=months,
        responsible=responsible,
        case=case,
        source=AssistanceMeasure.Source.MANUAL,
    )
    _validate_measure(measure, household)
    _save(measure, actor)
    audit_record(
        request=request,
        user=actor,
        action=AuditEvent.Action.CHANGE,
        obj=measure,
        detail=(
            f"帮扶措施·新增（户 {household.number}）：{measure}，{started_on:%Y-%m-%d} 起，"
            f"帮扶责任人 {_show(measure.responsible)}"
        ),
    )
    return measure


@transaction.atomic
def measure_update(
    *, actor: Any, measure_id: int, request: HttpRequest | None = None, **changes: Any
) -> AssistanceMeasure:
    """Correct a measure's fields (those in EDITABLE); unchanged values leave no trace."""
    measure = selectors.get_measure_for_user(actor, measure_id)
    check_writer(actor)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if isinstance(changes.get("detail"), str):
        changes["detail"] = changes["detail"].strip()
    diffs, changed = [], set()
    for name, new in changes.items():
        old = getattr(measure, name)
        if old != new:
            label = getattr(AssistanceMeasure._meta.get_field(name), "verbose_name", name)
            diffs.append(f"{label} {_show(old)}→{_show(new)}")
            changed.add(name)
            setattr(measure, name, new)
    if not diffs:
        return measure
    if measure.started_on is not None:
        measure.year = measure.started_on.year
    links = tuple(n for n in ("responsible", "case") if n in changed)
    _validate_measure(measure, measure.household, links)
    _save(measure, actor)
    audit_record(
        request=request,
        user=actor,
        action=AuditEvent.Action.CHANGE,
        obj=measure,
        detail=f"帮扶措施·修改（户 {measure.household.number}）：" + "；".join(diffs),
    )
    return measure


@transaction.atomic
def measure_end(
    *,
    actor: Any,
    measure_id: int,
    ended_on: dt.date,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> AssistanceMeasure:
    """End a current measure on `ended_on` (not in the future, not before it started); a
    planned end still ahead (a loan's term) is brought forward."""
    measure = selectors.get_measure_for_user(actor, measure_id)
    check_writer(actor)
    today = _today(today)
    planned_end = measure.ended_on  # a loan's term, a job's months: may still lie ahead
    if planned_end is not None and planned_end <= today:
        raise ValidationError({"ended_on": f"该措施已于 {planned_end:%Y-%m-%d} 结束"})
    if ended_on > today:
        raise ValidationError({"ended_on": f"结束日期（{ended_on:%Y-%m-%d}）不能晚于今天"})
    if measure.started_on is not None and ended_on < measure.started_on:
        raise ValidationError({"ended_on": f"结束日期不能早于开始日期（{measure.started_on:%Y-%m-%d}）"})
    measure.ended_on = ended_on
    _save(measure, actor)
    audit_record(
        request=request,
        user=actor,
        action=AuditEvent.Action.CHANGE,
        obj=measure,
        detail=(
            f"帮扶措施·结束（户 {measure.household.number}）：{measure}，"
            f"结束日期 {_show(planned_end)}→{ended_on:%Y-%m-%d}"
        ),
    )
    return measure


@transaction.atomic
def event_record(
    *,
    actor: Any,
    household_id: int,
    date: dt.date,
    kind: str,
    loss: Decimal,
    note: str = "",
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> HouseholdEvent:
    """Record a disaster or accident that struck the household (rule R03 reads these)."""
    household = get_household_for_user(actor, household_id)
    check_writer(actor)
    errors: dict[str, str] = {}
    if date > _today(today):
        errors["date"] = f"发生日期（{date:%Y-%m-%d}）不能晚于今天"
    if kind not in EventKind.values:
        errors["kind"] = "请选择灾害或事故类型"
    if loss is None or loss < 0:
        errors["loss"] = "损失金额不能为负数"
    if errors:
        raise ValidationError(errors)
    event = HouseholdEvent(household=household, date=date, kind=kind, loss=loss, note=note.strip())
    _save(event, actor)
    audit_record(
        request=request,
        user=actor,
        action=AuditEvent.Action.CHANGE,
        obj=event,
        detail=f"突发灾害/意外·登记（户 {household.number}）：{date:%Y-%m-%d} {kind}，损失 {loss:,.2f} 元",
    )
    return event
