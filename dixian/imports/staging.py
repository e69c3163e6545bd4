"""Upload and staging: a file becomes an ImportBatch with one StagedRow per data row,
each with its errors and the action a commit would take. Reads the file lazily and
writes staged rows in chunks, so a county-wide file never sits in memory as objects."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import connection, transaction
from django.db.models import Count, QuerySet

from dixian.accounts.scope import area_prefix_of
from dixian.areas.models import Area
from dixian.imports import columns as C
from dixian.imports.bulk import copy_rows, use_copy
from dixian.imports.columns import Kind
from dixian.imports.models import ImportBatch, StagedRow
from dixian.imports.reader import ImportFileError, open_table
from dixian.imports.snapshot import Snapshot, differs
from dixian.imports.validation import INCOME_TOLERANCE, err, income_components, parse_row
from dixian.registry.choices import Relation
from dixian.registry.income import per_capita_net_income

CHUNK = 1000
FLUSH = 5000  # staged rows written per COPY / bulk_create
PROGRESS_SECONDS = 1.0
Progress = Callable[[int, int], None]
A = StagedRow.Action
HOUSEHOLD_KINDS = (Kind.HOUSEHOLD, Kind.MONITORING)


def batch_create(
    *, uploaded_file: Any, filename: str, user: Any, year: int, kind: Kind | str | None = None
) -> ImportBatch:
    """Keep the uploaded file and open it far enough to know its kind and columns.

    Raises PermissionDenied for a user without an area role, and ImportFileError (its
    `batch` the failed batch, file kept) when the file cannot be imported at all.
    """
    scope = area_prefix_of(user)
    if scope is None and not getattr(user, "is_superuser", False):
        raise PermissionDenied("只有县、乡、村级用户可以导入国家系统数据")
    batch = ImportBatch(
        original_filename=filename,
        year=year,
        created_by=user if getattr(user, "pk", None) else None,
        scope_prefix="" if getattr(user, "is_superuser", False) and scope is None else scope or "",
        kind=str(Kind(kind)) if kind else "",
    )
    batch.file.save(
        filename, uploaded_file if isinstance(uploaded_file, File) else File(uploaded_file), save=False
    )
    batch.save()
    try:
        with batch.file.open("rb") as stream:
            table = open_table(stream, filename=filename, kind=Kind(kind) if kind else None)
    except ImportFileError as exc:
        batch.status = ImportBatch.Status.FAILED
        batch.error_message = exc.message
        batch.save(update_fields=["status", "error_message"])
        exc.batch = batch
        raise
    batch.kind = table.kind.value
    batch.extra_columns = table.extra_columns
    batch.save(update_fields=["kind", "extra_columns"])
    return batch


def batch_stage(*, batch: ImportBatch, progress: Progress | None = None) -> ImportBatch:
    """Read and validate the whole file into StagedRows; sets counts and status STAGED
    (FAILED with error_message when the file cannot be read)."""
    batch.status = ImportBatch.Status.STAGING
    batch.save(update_fields=["status"])
    StagedRow.objects.filter(batch=batch).delete()
    try:
        with batch.file.open("rb") as stream:
            table = open_table(stream, filename=batch.original_filename, kind=Kind(batch.kind))
            kind = table.kind
            areas = AreaIndex()
            tracker = _Tracker(batch, progress)
            buffer: list[tuple[Any, ...]] = []
            for raw in table.rows():
                buffer.append(_stage_row(batch, kind, raw.number, raw.values, raw.errors, areas))
                if len(buffer) >= FLUSH:
                    _flush(batch, buffer, tracker)
            _flush(batch, buffer, tracker)
    except ImportFileError as exc:
        batch.status = ImportBatch.Status.FAILED
        batch.error_message = exc.message
        batch.save(update_fields=["status", "error_message"])
        return batch
    tracker.total = tracker.done * 2
    _analyze_staged_rows()
    duplicates = _duplicate_rows(batch)
    if kind in HOUSEHOLD_KINDS:
        for page in household_pages(StagedRow.objects.filter(batch=batch)):
            _check_households(batch, kind, page, duplicates)
            tracker.add(len(page))
    else:
        for chunk in _pk_chunks(batch):
            _check_people(batch, kind, chunk, duplicates)
            tracker.add(len(chunk))
    if not StagedRow.objects.filter(batch=batch).exists():
        batch.status = ImportBatch.Status.FAILED
        batch.error_message = "文件表头下没有数据行"
        batch.save(update_fields=["status", "error_message"])
        return batch
    update_counts(batch)
    batch.status = ImportBatch.Status.STAGED
    batch.error_message = ""
    batch.save()
    return batch


def _analyze_staged_rows() -> None:
    """Fresh planner statistics once a batch's rows are in: with the statistics of an
    emptier table PostgreSQL sorts all remaining rows of the batch for every page of
    `_household_chunks` (and of the commit's), which made large files quadratic."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {StagedRow._meta.db_table}")


def update_counts(batch: ImportBatch) -> None:
    counts = dict(StagedRow.objects.filter(batch=batch).values_list("action").annotate(n=Count("id")))
    batch.count_create = counts.get(A.CREATE, 0)
    batch.count_update = counts.get(A.UPDATE, 0)
    batch.count_unchanged = counts.get(A.UNCHANGED, 0)
    batch.count_rejected = counts.get(A.REJECT, 0)


class _Tracker:
    """Progress for the preview page's polling: written at most every PROGRESS_SECONDS
    (each write is a commit of its own); the final figures are saved with the batch."""

    def __init__(self, batch: ImportBatch, progress: Progress | None) -> None:
        self.batch, self.progress, self.done, self.total = batch, progress, 0, 0
        self.written = 0.0

    def add(self, n: int) -> None:
        self.done += n
        self.total = max(self.total, self.done)
        if time.monotonic() - self.written >= PROGRESS_SECONDS:
            ImportBatch.objects.filter(pk=self.batch.pk).update(
                progress_done=self.done, progress_total=self.total
            )
            self.written = time.monotonic()
        self.batch.progress_done, self.batch.progress_total = self.done, self.total
        if self.progress:
            self.progress(self.done, self.total)


# Staged rows as written: (row_number, household_number, id_number, data, errors,
# action, missing_village).
STAGED_COLUMNS = (
    "row_number",
    "household_number",
    "id_number",
    "data",
    "errors",
    "action",
    "missing_village",
)


def _flush(batch: ImportBatch, buffer: list[tuple[Any, ...]], tracker: _Tracker) -> None:
    """Write the buffered rows: COPY on PostgreSQL (the JSON as text), bulk_create elsewhere."""
    if not buffer:
        return
    if use_copy():
        copy_rows(
            StagedRow._meta.db_table,
            ["batch_id", *STAGED_COLUMNS],
            ((batch.pk, n, h, i, json.dumps(d), json.dumps(e), a, m) for n, h, i, d, e, a, m in buffer),
        )
    else:
        StagedRow.objects.bulk_create(
            [StagedRow(batch=batch, **dict(zip(STAGED_COLUMNS, row, strict=True))) for row in buffer]
        )
    tracker.add(len(buffer))
    buffer.clear()


# --- areas -------------------------------------------------------------------------


class AreaIndex:
    """Townships of the county by name, villages by (township, name): a few hundred rows."""

    def __init__(self) -> None:
        county = settings.DIXIAN_COUNTY_CODE
        self.county_name = Area.objects.filter(code=county).values_list("name", flat=True).first() or ""
        rows = Area.objects.filter(code__startswith=county[:6], level__in=["township", "village"])
        self.townships: dict[str, str] = {}
        self.villages: dict[tuple[str, str], str] = {}
        for code, name, level, parent in rows.values_list("code", "name", "level", "parent_id"):
            if level == "township":
                self.townships[name] = code
            else:
                self.villages[(parent, name)] = code


def _resolve_area(
    values: dict[str, str], data: dict[str, Any], errors: list[dict[str, str]], areas: AreaIndex, scope: str
) -> None:
    county = values.get(C.COUNTY, "")
    if county and areas.county_name and county != areas.county_name:
        errors.append(err(C.COUNTY, county, f"不是本县（{areas.county_name}）"))
    township, village = values.get(C.TOWNSHIP, ""), values.get(C.VILLAGE, "")
    if not township or not village:
        return
    township_code = areas.townships.get(township)
    if township_code is None:
        errors.append(err(C.TOWNSHIP, township, "本县没有这个乡镇"))
        return
    village_code = areas.villages.get((township_code, village))
    data["area"].update(township_code=township_code, village_code=village_code)
    if scope and not (village_code or township_code).startswith(scope):
        column, value = (
            (C.TOWNSHIP, township) if not township_code.startswith(scope[:9]) else (C.VILLAGE, village)
        )
        errors.append(err(column, value, "不在您的管辖范围内，不能导入"))


def _without_nul(value: Any) -> Any:
    """Staged data goes into jsonb, which cannot hold NUL; such a cell is already rejected
    by validation, so replacing the character loses nothing the user needs."""
    if isinstance(value, str):
        return value.replace("\x00", "\u2400")
    if isinstance(value, dict):
        return {k: _without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    return value


def _stage_row(
    batch: ImportBatch,
    kind: Kind,
    number: int,
    values: dict[str, str],
    errors: list[dict[str, str]],
    areas: AreaIndex,
) -> tuple[Any, ...]:
    """One row as `_flush` writes it (STAGED_COLUMNS)."""
    data, row_errors = parse_row(kind, values)
    if "\x00" in "".join(values.values()):
        data = _without_nul(data)  # the data only holds what the cells held
    errors = errors + row_errors
    if kind in HOUSEHOLD_KINDS:
        _resolve_area(values, data, errors, areas, batch.scope_prefix)
    person = data.get("person", {})
    area = data.get("area", {})
    missing = ""
    if area.get("township_code") and not area.get("village_code") and not errors:
        missing = f"{area['township_code']}|{area['village_name']}"
    return (
        number,
        values.get(C.HOUSEHOLD_NUMBER, "")[:32],
        person.get("id_number") or values.get(C.ID_NUMBER, "")[:20],
        data,
        errors,
        A.REJECT if errors else A.CREATE,
        missing[:80],
    )


def _duplicate_rows(batch: ImportBatch) -> dict[str, list[int]]:
    dup_ids = (
        StagedRow.objects.filter(batch=batch)
        .exclude(id_number="")
        .values("id_number")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values("id_number")
    )
    found: dict[str, list[int]] = {}
    rows = StagedRow.objects.filter(batch=batch, id_number__in=dup_ids).order_by("row_number")
    for id_number, row_number in rows.values_list("id_number", "row_number"):
        found.setdefault(id_number, []).append(row_number)
    return found


def _mark_duplicate(row: Staged | StagedRow, duplicates: dict[str, list[int]]) -> None:
    numbers = duplicates.get(row.id_number)
    if numbers:
        others = "、".join(str(n) for n in numbers if n != row.row_number)
        row.errors.append(err(C.ID_NUMBER, row.id_number, f"同一人在文件中重复出现（另见第{others}行）"))


# --- households --------------------------------------------------------------------


@dataclass(slots=True)
class Staged:
    """A staged row as the household checks and the commit read it: lighter than a
    StagedRow instance (a 100,000-row file is read twice)."""

    pk: int
    row_number: int
    household_number: str
    id_number: str
    data: dict[str, Any]
    errors: list[dict[str, str]]
    action: str


STAGED_FIELDS = ("pk", "row_number", "household_number", "id_number", "data", "errors", "action")


def household_pages(rows: QuerySet[StagedRow]) -> Iterator[list[Staged]]:
    """Rows in pages of whole households, ordered and paged by household number (keyset)."""
    last: str | None = None
    while True:
        qs = rows if last is None else rows.filter(household_number__gt=last)
        page = [
            Staged(*t)
            for t in qs.order_by("household_number", "row_number").values_list(*STAGED_FIELDS)[:CHUNK]
        ]
        if not page:
            return
        boundary = page[-1].household_number
        page = [r for r in page if r.household_number != boundary]
        tail = rows.filter(household_number=boundary).order_by("row_number").values_list(*STAGED_FIELDS)
        page += [Staged(*t) for t in tail]
        yield page
        last = boundary


def _check_households(
    batch: ImportBatch, kind: Kind, rows: list[Staged], duplicates: dict[str, list[int]]
) -> None:
    before = _states(rows)
    for row in rows:
        _mark_duplicate(row, duplicates)
    groups = [list(g) for number, g in groupby(rows, key=lambda r: r.household_number) if number]
    snapshot = Snapshot.load(
        year=batch.year,
        household_numbers=[g[0].household_number for g in groups],
        id_numbers=[r.id_number for r in rows if r.id_number],
        monitoring=kind is Kind.MONITORING,
        person_households=False,
    )
    for group in groups:
        household_errors(group)
        if any(r.errors for r in group):
            _reject_household(group)
        else:
            _set_actions(group, snapshot)
    for row in rows:
        if row.errors:
            row.action = A.REJECT
    _save_states(rows, before)


def _states(rows: list[Staged] | list[StagedRow]) -> dict[int, tuple[str, int]]:
    return {r.pk: (r.action, len(r.errors)) for r in rows}


def _save_states(rows: list[Staged] | list[StagedRow], before: dict[int, tuple[str, int]]) -> None:
    """Write the rows' new actions and errors: rows that gained errors one bulk_update,
    the others one UPDATE per action (a 1,000-row bulk_update is a slow CASE statement)."""
    with_errors = [
        StagedRow(pk=r.pk, action=r.action, errors=r.errors) for r in rows if len(r.errors) != before[r.pk][1]
    ]
    if with_errors:
        StagedRow.objects.bulk_update(with_errors, ["action", "errors"], batch_size=CHUNK)
    by_action: dict[str, list[int]] = {}
    for r in rows:
        if len(r.errors) == before[r.pk][1] and r.action != before[r.pk][0]:
            by_action.setdefault(r.action, []).append(r.pk)
    for action, pks in by_action.items():
        StagedRow.objects.filter(pk__in=pks).update(action=action)


def household_errors(group: list[Staged]) -> None:
    """Checks that need all rows of a household: one head, member count, one village,
    income components against the per-capita figure. Errors go on the rows concerned."""
    heads = [r for r in group if r.data.get("person", {}).get("relation") == Relation.HEAD]
    if len(heads) != 1:
        reason = (
            "该户没有户主"
            if not heads
            else f"该户有{len(heads)}个户主（第{'、'.join(str(r.row_number) for r in heads)}行）"
        )
        for r in heads or group:
            r.errors.append(err(C.RELATION, r.data.get("person", {}).get("relation", ""), reason))
    for r in group:
        stated = r.data.get("member_count")
        if stated is not None and stated != len(group):
            r.errors.append(
                err(C.MEMBER_COUNT, str(stated), f"家庭人口数为{stated}，但文件中该户有{len(group)}人")
            )
    places = {(r.data["area"].get("township_name"), r.data["area"].get("village_name")) for r in group}
    if len(places) > 1:
        shown = "、".join(sorted(f"{t}{v}" for t, v in places))
        for r in group:
            area = r.data["area"]
            r.errors.append(
                err(
                    C.VILLAGE,
                    f"{area.get('township_name')}{area.get('village_name')}",
                    f"同一户的成员分属不同乡镇或村：{shown}",
                )
            )
    head = heads[0] if len(heads) == 1 else None
    if head is not None and "per_capita" in head.data and "income" in head.data:
        computed = per_capita_net_income(**_income_args(head.data), members=len(group))
        stated = head.data["per_capita"]
        if abs(computed - _decimal(stated)) > INCOME_TOLERANCE:
            head.errors.append(
                err(C.PER_CAPITA, stated, f"按收入各项和{len(group)}名成员计算为{computed}元，相差超过1元")
            )


def _income_args(data: dict[str, Any]) -> dict[str, Any]:
    parts = income_components(data)
    parts.pop("compliant_out_of_pocket")
    return parts


def _decimal(text: str) -> Decimal:
    return Decimal(text)


def _reject_household(group: list[Staged]) -> None:
    bad = [r.row_number for r in group if r.errors]
    for r in group:
        if not r.errors:
            shown = "、".join(str(n) for n in bad)
            r.errors.append(err(C.HOUSEHOLD_NUMBER, r.household_number, f"同户第{shown}行有错误，整户未导入"))


def _set_actions(group: list[Staged], snapshot: Snapshot) -> None:
    head = next(r for r in group if r.data["person"]["relation"] == Relation.HEAD)
    village_code = head.data["area"].get("village_code")
    household_changed = snapshot.household_changed(head.data, village_code, len(group))
    for r in group:
        if r.id_number not in snapshot.persons:
            r.action = A.CREATE
        elif snapshot.person_changed(r.data, r.household_number) or (r is head and household_changed):
            r.action = A.UPDATE
        else:
            r.action = A.UNCHANGED


# --- employment files --------------------------------------------------------------


def _pk_chunks(batch: ImportBatch) -> Any:
    last = 0
    while True:
        page = list(StagedRow.objects.filter(batch=batch, pk__gt=last).order_by("pk")[:CHUNK])
        if not page:
            return
        yield page
        last = page[-1].pk


def _check_people(
    batch: ImportBatch, kind: Kind, rows: list[StagedRow], duplicates: dict[str, list[int]]
) -> None:
    snapshot = Snapshot.load(year=batch.year, household_numbers=[], id_numbers=[r.id_number for r in rows])
    snapshot.load_work()
    section = "employment" if kind is Kind.EMPLOYMENT else "work_plan"
    before = _states(rows)
    for row in rows:
        _mark_duplicate(row, duplicates)
        if row.errors:
            row.action = A.REJECT
            continue
        person = snapshot.persons.get(row.id_number)
        if person is None:
            row.errors.append(err(C.ID_NUMBER, row.id_number, "系统中没有此人（请先导入户信息）"))
        elif batch.scope_prefix and not person.household.area_id.startswith(batch.scope_prefix):
            row.errors.append(err(C.ID_NUMBER, row.id_number, "此人不在您的管辖范围内，不能导入"))
        if row.errors or person is None:
            row.action = A.REJECT
            continue
        records = snapshot.employment if section == "employment" else snapshot.work_plans
        current = records.get(person.pk)
        if current is None:
            row.action = A.CREATE
        elif differs(current, row.data.get(section, {})):
            row.action = A.UPDATE
        else:
            row.action = A.UNCHANGED
    with transaction.atomic():
        _save_states(rows, before)
