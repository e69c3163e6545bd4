"""Committing a staged batch: one transaction that writes only what differs from the
database, so that the same file committed twice changes nothing and leaves no new
history rows, and a later file updates records and leaves history."""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from django.db import models, transaction
from django.utils import timezone

from dixian.core import generations
from dixian.employment.models import EmploymentRecord, WorkPlan
from dixian.imports import columns as C
from dixian.imports.bulk import insert_with_history
from dixian.imports.columns import Kind
from dixian.imports.models import ImportBatch, StagedRow
from dixian.imports.snapshot import Snapshot, case_fields, differs, risk_list
from dixian.imports.staging import CHUNK, HOUSEHOLD_KINDS, Staged, household_pages, update_counts
from dixian.imports.validation import err, income_components
from dixian.imports.villages import village_upsert
from dixian.monitoring.models import AssistanceMeasure, CaseRisk, MonitoringCase
from dixian.registry.choices import Relation
from dixian.registry.models import Household, HouseholdIncome, Person

A = StagedRow.Action


class CommitRefused(Exception):
    """The batch cannot be committed as asked; nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def missing_villages(batch: ImportBatch) -> list[tuple[str, str]]:
    """(township code, village name) of villages the file names but the system lacks."""
    values = (
        StagedRow.objects.filter(batch=batch).exclude(missing_village="").exclude(action=A.REJECT)
    ).values_list("missing_village", flat=True)
    return sorted({tuple(v.split("|", 1)) for v in values})  # type: ignore[misc]


def batch_commit(*, batch: ImportBatch, mode: str, actor: Any, create_villages: bool = False) -> ImportBatch:
    """Write a staged batch. mode "all": refuse (CommitRefused) if any row is rejected or a
    village is missing; "valid": write the valid rows only. Missing villages are created
    with create_villages=True, else their rows are rejected ("valid") or the commit refused."""
    if batch.status not in (ImportBatch.Status.STAGED, ImportBatch.Status.FAILED) or not batch.rows.exists():
        raise CommitRefused("该批次尚未完成校验，不能导入")
    if mode not in ImportBatch.Mode.values:
        raise CommitRefused(f"未知的导入方式 {mode}")
    missing = missing_villages(batch)
    if mode == ImportBatch.Mode.ALL:
        if batch.rows.filter(action=A.REJECT).exists():
            raise CommitRefused(f"有{batch.rows.filter(action=A.REJECT).count()}行有错误，未导入任何数据")
        if missing and not create_villages:
            names = "、".join(name for _, name in missing)
            raise CommitRefused(f"以下村不在系统中：{names}。请先导入村名单，或选择自动创建这些村")
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.COMMITTING)
    try:
        with transaction.atomic():
            generations.bump(generations.MONITORING)  # new households and persons go in by COPY
            _commit(batch, actor, missing, create_villages)
    except Exception as exc:
        batch.status = ImportBatch.Status.FAILED
        batch.error_message = f"导入失败，未写入任何数据：{exc}"
        batch.save(update_fields=["status", "error_message"])
        raise
    return batch


def _commit(batch: ImportBatch, actor: Any, missing: list[tuple[str, str]], create_villages: bool) -> None:
    kind = Kind(batch.kind)
    if missing and create_villages:
        for township_code, name in missing:
            area, _ = village_upsert(code=None, name=name, township_code=township_code, actor=actor)
            _set_village(batch, f"{township_code}|{name}", area.code)
    elif missing:
        for township_code, name in missing:
            key = f"{township_code}|{name}"
            for row in batch.rows.filter(missing_village=key).exclude(action=A.REJECT):
                row.errors = [err(C.VILLAGE, name, "该村不在系统中（可导入村名单或选择自动创建）")]
                row.action = A.REJECT
                row.save(update_fields=["errors", "action"])
    if kind in HOUSEHOLD_KINDS:
        for page in household_pages(batch.rows.exclude(action=A.REJECT)):
            _write_households(batch, kind, page, actor)
    else:
        _write_work(batch, kind, actor)
    update_counts(batch)
    batch.status = ImportBatch.Status.COMMITTED
    batch.committed_at = timezone.now()
    batch.commit_mode = ImportBatch.Mode.ALL if not batch.count_rejected else ImportBatch.Mode.VALID
    batch.error_message = ""
    _attach(batch, actor).save()


def _set_village(batch: ImportBatch, key: str, code: str) -> None:
    for row in batch.rows.filter(missing_village=key):
        row.data["area"]["village_code"] = code
        row.save(update_fields=["data"])


def _attach(instance: Any, actor: Any) -> Any:
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor
    return instance


def _typed(model: type[models.Model], fields: dict[str, Any]) -> dict[str, Any]:
    return {name: _concrete_field(model, name).to_python(value) for name, value in fields.items()}


@cache
def _concrete_field(model: type[models.Model], name: str) -> models.Field:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{model.__name__}.{name} is not a concrete field"
    return field


def _save_if_changed(
    instance: models.Model | None, model: type[models.Model], fields: dict[str, Any], actor: Any, **fixed: Any
) -> models.Model:
    if instance is None:
        instance = model(**_typed(model, fields), **fixed)
    elif not differs(instance, fields) and all(getattr(instance, k) == v for k, v in fixed.items()):
        return instance
    else:
        for name, value in {**_typed(model, fields), **fixed}.items():
            setattr(instance, name, value)
    _attach(instance, actor).save()
    return instance


def _write_households(batch: ImportBatch, kind: Kind, rows: list[Staged], actor: Any) -> None:
    snap = Snapshot.load(
        year=batch.year,
        household_numbers={r.household_number for r in rows},
        id_numbers=[r.id_number for r in rows],
        monitoring=kind is Kind.MONITORING,
        person_households=False,
    )
    groups: dict[str, list[Staged]] = {}
    for row in rows:
        groups.setdefault(row.household_number, []).append(row)
    # New households and persons are inserted in bulk (with their history rows); existing
    # ones are saved one by one, and only when they differ.
    heads: dict[str, Staged] = {}
    households: dict[str, Any] = {}
    new_households: list[Household] = []
    for number, group in groups.items():
        head = heads[number] = next(r for r in group if r.data["person"]["relation"] == Relation.HEAD)
        fields = dict(head.data["household"])
        area = head.data["area"]["village_code"]
        current = snap.households.get(number)
        if current is None:
            households[number] = Household(**_typed(Household, fields), area_id=area)
            new_households.append(households[number])
        else:
            households[number] = _save_if_changed(current, Household, fields, actor, area_id=area)
    _create_households(new_households, actor)
    new_persons: list[dict[str, Any]] = []
    for number, group in groups.items():
        for row in group:
            person = snap.persons.get(row.id_number)
            if person is None:
                new_persons.append({**row.data["person"], "household_id": households[number].pk})
            else:
                _save_if_changed(
                    person, Person, row.data["person"], actor, household_id=households[number].pk
                )
    insert_with_history(Person, new_persons, actor)
    if kind is Kind.MONITORING:
        for number, group in groups.items():
            _write_monitoring(batch, snap, households[number], heads[number].data, len(group), actor)


def _create_households(objs: list[Household], actor: Any) -> None:
    """Insert new households with their "created" history rows (COPY on PostgreSQL) and
    give the instances their primary keys, as a save() would."""
    fields = [f.attname for f in Household._meta.concrete_fields if not f.primary_key]
    pks = insert_with_history(Household, [{a: getattr(h, a) for a in fields} for h in objs], actor)
    for household, pk in zip(objs, pks, strict=True):
        household.pk = pk
        household._state.adding = False
        household._state.db = Household.objects.db


def _write_monitoring(
    batch: ImportBatch, snap: Snapshot, household: Any, head: dict[str, Any], members: int, actor: Any
) -> None:
    if "income" in head:
        wanted = {**{k: str(v) for k, v in income_components(head).items()}, "members": members}
        _save_if_changed(
            snap.incomes.get(household.pk),
            HouseholdIncome,
            wanted,
            actor,
            household_id=household.pk,
            year=batch.year,
        )
    case = None
    if head.get("case"):
        current = snap.matching_case(household.pk, head["case"])
        fields = case_fields(current, head["case"]) if current is not None else head["case"]
        case = cast(
            MonitoringCase,
            _save_if_changed(current, MonitoringCase, fields, actor, household_id=household.pk),
        )
        risks = risk_list(head)
        existing = list(case.risks.all()) if current is not None else []
        if [r.risk_type for r in existing] != risks:
            for risk in existing:
                _attach(risk, actor).delete()
            for position, risk_type in enumerate(risks, start=1):
                _attach(CaseRisk(case=case, position=position, risk_type=risk_type), actor).save()
    if "case" in head or "measures" in head:
        held = {m.measure_type: m for m in snap.measures.get(household.pk, [])}
        wanted_measures = head.get("measures", {})
        for measure_type, detail in wanted_measures.items():
            fixed = {
                "household_id": household.pk,
                "measure_type": measure_type,
                "year": batch.year,
                "source": AssistanceMeasure.Source.IMPORT,
            }
            if case is not None:
                fixed["case_id"] = case.pk
            _save_if_changed(held.get(measure_type), AssistanceMeasure, {"detail": detail}, actor, **fixed)
        for measure_type, measure in held.items():
            if measure_type not in wanted_measures:
                _attach(measure, actor).delete()


def _write_work(batch: ImportBatch, kind: Kind, actor: Any) -> None:
    section = "employment" if kind is Kind.EMPLOYMENT else "work_plan"
    model: type[models.Model] = EmploymentRecord if kind is Kind.EMPLOYMENT else WorkPlan
    last = 0
    while True:
        page = list(batch.rows.exclude(action=A.REJECT).filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not page:
            return
        last = page[-1].pk
        snap = Snapshot.load(year=batch.year, household_numbers=[], id_numbers=[r.id_number for r in page])
        snap.load_work()
        records = snap.employment if section == "employment" else snap.work_plans
        for row in page:
            person = snap.persons[row.id_number]
            _save_if_changed(records.get(person.pk), model, row.data.get(section, {}), actor, person=person)
