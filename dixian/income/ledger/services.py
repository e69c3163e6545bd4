"""Writes of the income-decline ledger, keyword-only, one transaction each.

Generation is set-based (one INSERT … SELECT over P(Y)); the other services load
through the scoped selectors (404 outside scope), check role and state, claim the
row's `version` with a conditional UPDATE (of two concurrent edits one wins, the other
is told the row changed), save with the acting user for history and write an AuditEvent
with who, when, from and to.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Value,
)
from django.db.models import Subquery as Sub
from django.http import HttpRequest
from django.utils import timezone

from dixian.accounts.roles import Role
from dixian.areas.codes import Level, prefix
from dixian.areas.models import Area
from dixian.core.models import AuditEvent
from dixian.core.services import audit_record
from dixian.income.ledger import selectors
from dixian.income.ledger.selectors import roles_of
from dixian.income.models import DeclineCause, IncomeLedger, IncomeLedgerRow
from dixian.monitoring.models import AssistanceMeasure
from dixian.registry.services import income_correct

Status = IncomeLedgerRow.Status
ROW_STATUS_LABELS = dict(Status.choices)
LEDGER_STATUS_LABELS = dict(IncomeLedger.Status.choices)
ROW_MOVED_ON = "该行已被他人修改，请刷新页面查看最新内容后再提交"
LEDGER_MOVED_ON = "台账已被他人处理，请刷新页面后重试"
EDITORS = frozenset({Role.TOWNSHIP, Role.VILLAGE})
# Row status moves forward only; saving in place is allowed (e.g. adding a measure).
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PENDING: frozenset({Status.PENDING, Status.VERIFIED}),
    Status.VERIFIED: frozenset({Status.VERIFIED, Status.RECTIFIED}),
    Status.RECTIFIED: frozenset({Status.RECTIFIED}),
}


class LedgerError(ValidationError):
    """A ledger action refused, with the reason a user can act on."""


# ---------------------------------------------------------------- generation


@dataclass(frozen=True)
class Generation:
    year: int
    ledgers_created: int
    rows_added: int
    skipped_submitted: int  # declined households of townships whose ledger is 已报送


@transaction.atomic
def ledger_generate(*, year: int, actor: Any = None, request: HttpRequest | None = None) -> Generation:
    """Make the ledgers of the year pair Y−1 → Y: one per township with households in
    P(Y), one row per household of P(Y) whose income of Y fell below Y−1, in the township
    it lives in. Re-running adds the rows that are new and never duplicates, changes or
    deletes a row; a submitted ledger gets no new rows (the county must reopen it first)."""
    if actor is not None and not (roles_of(actor) & {Role.COUNTY_ADMIN}):
        raise LedgerError("只有县级管理员可以生成台账")
    created = _create_ledgers(year, actor, request)
    before = _rows_per_ledger(year)
    added = _insert_rows(year)
    after = _rows_per_ledger(year)
    for ledger in IncomeLedger.objects.filter(
        pk__in=[pk for pk, n in after.items() if n != before.get(pk, 0)]
    ):
        audit_record(
            request=request,
            user=actor,
            action=AuditEvent.Action.CHANGE,
            obj=ledger,
            detail=f"收入下降核查整改台账 {year - 1}→{year}：新增 {after[ledger.pk] - before.get(ledger.pk, 0)} 户",
        )
    return Generation(year, created, added, _declined_without_row(year).count())


def _create_ledgers(year: int, actor: Any, request: HttpRequest | None) -> int:
    townships = selectors.population(year).annotate(t=selectors.township_of_area()).values("t")
    existing = IncomeLedger.objects.filter(year=year).values("township_id")
    created = 0
    for township in Area.objects.filter(level=Level.TOWNSHIP, code__in=townships).exclude(code__in=existing):
        ledger = IncomeLedger(township=township, year=year)
        ledger._history_user = actor  # type: ignore[attr-defined]
        ledger.save()
        audit_record(
            request=request,
            user=actor,
            action=AuditEvent.Action.CHANGE,
            obj=ledger,
            detail=f"生成{township.name}收入下降核查整改台账 {year - 1}→{year}：→编制中",
        )
        created += 1
    return created


def _rows_per_ledger(year: int) -> dict[int, int]:
    counts = IncomeLedgerRow.objects.filter(ledger__year=year).values("ledger_id").annotate(n=Count("pk"))
    return {c["ledger_id"]: c["n"] for c in counts.order_by()}


def _declined_without_row(year: int) -> Any:
    has_row = IncomeLedgerRow.objects.filter(ledger__year=year, household_id=OuterRef("pk"))
    return selectors.declined(year).filter(~Exists(has_row))


def _insert_rows(year: int) -> int:
    """INSERT … SELECT: the rows come from one query over P(Y), compiled by the ORM."""
    now = timezone.now()
    drafting = IncomeLedger.objects.filter(
        year=year, township_id=OuterRef("township"), status=IncomeLedger.Status.DRAFTING
    )
    source = (
        _declined_without_row(year)
        .annotate(ledger_ref=Sub(drafting.values("pk")[:1]))
        .filter(ledger_ref__isnull=False)
        .annotate(
            c_false=Value(False, BooleanField()),
            c_blank=Value("", CharField()),
            c_pending=Value(Status.PENDING.value, CharField()),
            c_now=Value(now, DateTimeField()),
            c_zero=Value(0, IntegerField()),
        )
        .values_list(
            "ledger_ref",
            "pk",
            "previous",
            "income",
            "c_false",
            "c_blank",
            "c_blank",
            "c_pending",
            "c_blank",
            "c_now",
            "c_now",
            "c_zero",
        )
        .order_by()
    )
    columns = [
        "ledger_id",
        "household_id",
        "previous_income",
        "income",
        "data_error",
        "cause",
        "correction",
        "status",
        "note",
        "created_at",
        "updated_at",
        "version",
    ]
    sql, params = source.query.sql_with_params()
    quote = connection.ops.quote_name
    table = quote(IncomeLedgerRow._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) {sql}", params)
        return max(cursor.rowcount, 0)


# ---------------------------------------------------------------- one row


@dataclass(frozen=True)
class Correction:
    """Corrected figures of the household's recorded income of `year` (Y or Y−1)."""

    year: int
    reason: str
    figures: dict[str, Any]


def _check_editor(actor: Any, row: IncomeLedgerRow) -> None:
    if not (roles_of(actor) & EDITORS):
        raise LedgerError("只有乡镇、村（社区）用户可以核查台账")
    if row.ledger.status != IncomeLedger.Status.DRAFTING:
        raise LedgerError("台账已报送，不能修改；如需修改请县级退回")


def _check_transition(old: str, new: str) -> None:
    if new not in ROW_STATUS_LABELS:
        raise LedgerError("未知的状态")
    if new not in TRANSITIONS[old]:
        if old == Status.PENDING:
            raise LedgerError("须先核查（已核查）后才能标记为已整改")
        raise LedgerError(f"「{ROW_STATUS_LABELS[old]}」的行不能改回「{ROW_STATUS_LABELS[new]}」")


def _check_content(
    *, new_status: str, cause: str, data_error: bool, correction: Correction | None, measures: list[Any]
) -> None:
    if cause and cause not in DeclineCause.values:
        raise LedgerError("请选择下降原因")
    if data_error and correction is None:
        raise LedgerError("勾选了数据错误，请填写更正后的收入和更正说明")
    if cause == DeclineCause.DATA_ERROR and not data_error:
        raise LedgerError("原因为数据录入错误时，请勾选“是否数据错误”并填写更正")
    if new_status == Status.PENDING:
        return
    if not cause:
        raise LedgerError("核查须填写下降原因")
    if new_status == Status.RECTIFIED and not measures:
        raise LedgerError("标记已整改须关联至少一项增收措施")


def _measures(row: IncomeLedgerRow, measure_ids: list[int]) -> list[AssistanceMeasure]:
    found = list(selectors.household_measures(row).filter(pk__in=measure_ids))
    if len(found) != len(set(measure_ids)):
        raise LedgerError("只能关联该户自己的帮扶措施")
    return found


def _responsible(row: IncomeLedgerRow, responsible_id: int | None) -> Any:
    if responsible_id is None:
        return None
    user = selectors.responsible_candidates(row.ledger).filter(pk=responsible_id).first()
    if user is None:
        raise LedgerError("责任人须为本乡镇（村）的工作人员")
    return user


def _apply_correction(
    row: IncomeLedgerRow, correction: Correction, actor: Any, request: Any
) -> tuple[str, Any]:
    if correction.year not in (row.ledger.year, row.ledger.previous_year):
        raise LedgerError(f"只能更正 {row.ledger.previous_year} 或 {row.ledger.year} 年的收入")
    income = selectors.recorded_income(row, correction.year)
    if income is None:
        raise LedgerError(f"该户没有 {correction.year} 年收入记录")
    unchanged = all(v is None or getattr(income, k) == v for k, v in correction.figures.items())
    if unchanged and row.correction:
        return row.correction, income  # saved again with the correction already applied
    record, text = income_correct(
        income=income, reason=correction.reason, actor=actor, request=request, **correction.figures
    )
    return f"{correction.year}年：{text}（{correction.reason.strip()}）", record


@transaction.atomic
def row_update(
    *,
    actor: Any,
    row_id: int,
    version: int,
    status: str,
    cause: str = "",
    verified_income: Decimal | None = None,
    data_error: bool = False,
    correction: Correction | None = None,
    measure_ids: list[int] | None = None,
    responsible_id: int | None = None,
    note: str = "",
    request: HttpRequest | None = None,
) -> IncomeLedgerRow:
    """Record the verification of one row: cause, verified income, a data correction
    (applied to the income record through `registry.services.income_correct`), linked
    measures, responsible person, note and status (待核查 → 已核查 → 已整改)."""
    row = selectors.get_row_for_user(actor, row_id)
    _check_editor(actor, row)
    if row.version != version:
        raise LedgerError(ROW_MOVED_ON)
    _check_transition(row.status, status)
    measures = _measures(row, list(measure_ids or []))
    _check_content(
        new_status=status, cause=cause, data_error=data_error, correction=correction, measures=measures
    )
    responsible = _responsible(row, responsible_id)
    if not IncomeLedgerRow.objects.filter(pk=row.pk, version=version).update(version=F("version") + 1):
        raise LedgerError(ROW_MOVED_ON)
    old_status = row.status
    if correction is not None and data_error:
        text, record = _apply_correction(row, correction, actor, request)
        row.correction = text
        if correction.year == row.ledger.year:
            verified_income = record.per_capita_net
    if status != Status.PENDING and verified_income is None:
        raise LedgerError("核查须填写核实后的人均纯收入")
    if verified_income is not None and verified_income < 0:
        raise LedgerError("核实后的人均纯收入不能为负数")
    row.version = version + 1
    row.status, row.cause, row.data_error = status, cause, data_error
    row.verified_income = verified_income
    row.responsible, row.note = responsible, note.strip()
    row._history_user = actor  # type: ignore[attr-defined]
    row.save()
    row.measures.set(measures)
    audit_record(
        request=request,
        user=actor,
        action=AuditEvent.Action.CHANGE,
        obj=row,
        detail=(
            f"收入下降核查 {row.household.number}：{ROW_STATUS_LABELS[old_status]}→{ROW_STATUS_LABELS[status]}；"
            f"原因 {cause or '—'}；核实后 {verified_income if verified_income is not None else '—'}；"
            f"数据错误 {'是' if data_error else '否'}；措施 {len(measures)} 项"
        ),
    )
    return row


# ---------------------------------------------------------------- the ledger


def _claim_ledger(ledger: IncomeLedger, version: int) -> None:
    if ledger.version != version:
        raise LedgerError(LEDGER_MOVED_ON)
    if not IncomeLedger.objects.filter(pk=ledger.pk, version=version).update(version=F("version") + 1):
        raise LedgerError(LEDGER_MOVED_ON)
    ledger.version = version + 1


def _save_ledger(ledger: IncomeLedger, actor: Any, old: str, request: Any, extra: str = "") -> None:
    ledger._history_user = actor  # type: ignore[attr-defined]
    ledger.save()
    audit_record(
        request=request,
        user=actor,
        action=AuditEvent.Action.CHANGE,
        obj=ledger,
        detail=(
            f"{ledger.township.name}收入下降核查整改台账 {ledger.previous_year}→{ledger.year}："
            f"{LEDGER_STATUS_LABELS[old]}→{LEDGER_STATUS_LABELS[ledger.status]}{extra}"
        ),
    )


@transaction.atomic
def ledger_submit(
    *, actor: Any, ledger_id: int, version: int, request: HttpRequest | None = None
) -> IncomeLedger:
    """报送: a township user submits the township's ledger once no row is 待核查."""
    ledger = selectors.get_ledger_for_user(actor, ledger_id)
    if Role.TOWNSHIP not in roles_of(actor) or not _is_townships_own(actor, ledger):
        raise LedgerError("只有本乡镇用户可以报送台账")
    if ledger.status != IncomeLedger.Status.DRAFTING:
        raise LedgerError("台账已报送，无需重复报送")
    pending = selectors.pending_count(ledger)
    if pending:
        raise LedgerError(f"仍有 {pending} 户待核查，全部核查后才能报送")
    _claim_ledger(ledger, version)
    now = timezone.now()
    deadline = selectors.deadline_of(ledger.year).day
    ledger.status, ledger.submitted_at, ledger.submitted_by = IncomeLedger.Status.SUBMITTED, now, actor
    timing = ""
    if deadline is not None:
        timing = f"（截止 {deadline:%Y-%m-%d}，{'按时' if timezone.localdate(now) <= deadline else '逾期'}）"
    _save_ledger(ledger, actor, IncomeLedger.Status.DRAFTING, request, timing)
    return ledger


def _is_townships_own(actor: Any, ledger: IncomeLedger) -> bool:
    if actor.is_superuser:
        return True
    return actor.org_unit_id is not None and prefix(actor.org_unit.area_id) == prefix(ledger.township_id)


@transaction.atomic
def ledger_reopen(
    *, actor: Any, ledger_id: int, version: int, reason: str, request: HttpRequest | None = None
) -> IncomeLedger:
    """退回: the county admin sends a submitted ledger back to 编制中, with a reason."""
    ledger = selectors.get_ledger_for_user(actor, ledger_id)
    if Role.COUNTY_ADMIN not in roles_of(actor):
        raise LedgerError("只有县级管理员可以退回台账")
    if ledger.status != IncomeLedger.Status.SUBMITTED:
        raise LedgerError("台账尚未报送，无需退回")
    if not reason.strip():
        raise LedgerError("请填写退回理由")
    _claim_ledger(ledger, version)
    ledger.status = IncomeLedger.Status.DRAFTING
    ledger.reopened_reason, ledger.reopened_at, ledger.reopened_by = (
        reason.strip()[:300],
        timezone.now(),
        actor,
    )
    ledger.submitted_at, ledger.submitted_by = None, None
    _save_ledger(ledger, actor, IncomeLedger.Status.SUBMITTED, request, f"；退回理由：{reason.strip()}")
    return ledger
