"""Screening (预警筛查): run the rules and keep the stored warnings in step with them.

Per rule, in one transaction: the rule's one set-based query gives the households it fires
for with their evidence; households newly firing get a pending warning (one set-based
insert: `COPY` into a temporary table and `INSERT … SELECT` on PostgreSQL, `bulk_create`
elsewhere); pending warnings still firing keep their row, with the evidence refreshed when
it changed (again `COPY` + one `UPDATE … FROM` on PostgreSQL, `bulk_update` elsewhere);
pending warnings whose household no longer fires become expired (`.update()` on the
filtered queryset, a few thousand rows a statement). A household whose warning of the same
rule and year was already closed by a person (turned into a clue, or verified and
dismissed) is not warned again that year: the decision stands until a new year's data.

Bulk writes bypass django-simple-history: a warning's own created/updated/closed times
record what screening did; people's changes of status go through history as usual.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, QuerySet
from django.utils import timezone

from dixian.core import generations
from dixian.monitoring.models import ScreeningWarning
from dixian.monitoring.rules import RULES, Context, Rule, latest_income_year
from dixian.registry.models import Household
from dixian.registry.selectors import parameter_value

# Every parameter some rule reads: checked before any write, so that a year missing one
# fails the whole run (MissingParameter) instead of leaving half the rules updated.
REQUIRED_PARAMETERS = (
    "income_drop_ratio",
    "many_students_min",
    "monitoring_line",
    "measure_due_days",
    "open_case_review_days",
    "elimination_min_months",
    "identification_days",
)
EVIDENCE_MAX = ScreeningWarning._meta.get_field("evidence").max_length
BATCH = 2000
Status = ScreeningWarning.Status


@dataclass
class RuleRun:
    """What one rule did in a run, and how long each phase took (seconds): `query` the
    rule's query and evidence text, `reconcile` reading the stored warnings and comparing,
    `write` inserting, refreshing and expiring warnings."""

    code: str
    pending: int = 0
    fired: int = 0
    created: int = 0
    refreshed: int = 0
    expired: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(self.seconds.values())


def screening_year(year: int | None, as_of: dt.date) -> int:
    """Y: the year asked for, else the latest year with income data, else as_of's year."""
    return year or latest_income_year() or as_of.year


def run_screening(
    *,
    year: int | None = None,
    as_of: dt.date,
    households: QuerySet[Household] | None = None,
    report: Callable[[RuleRun], None] | None = None,
) -> dict[str, int]:
    """Run every rule over `households` (default: the county) and return, per rule code,
    the number of pending warnings among those households afterwards; `report`, if given,
    is called with each rule's `RuleRun` as it finishes. Raises MissingParameter (before
    writing anything) when Y lacks a parameter."""
    y = screening_year(year, as_of)
    for code in REQUIRED_PARAMETERS:
        parameter_value(code, y)
    ctx = Context(y, as_of, households if households is not None else Household.objects.all())
    counts = {}
    for code, rule in RULES.items():
        run = _apply(rule, ctx, scoped=households is not None)
        counts[code] = run.pending
        if report is not None:
            report(run)
    generations.bump(generations.MONITORING)  # the warnings were written in bulk, past the signals
    return counts


class _Clock:
    def __init__(self, run: RuleRun) -> None:
        self.run, self.last = run, time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.run.seconds[phase] = now - self.last
        self.last = now


def _apply(rule: Rule, ctx: Context, *, scoped: bool) -> RuleRun:
    run = RuleRun(rule.code)
    clock = _Clock(run)
    with transaction.atomic():
        _tune_for_set_queries()
        fired = {hid: evidence[:EVIDENCE_MAX] for hid, evidence in rule.evaluate(ctx)}
        run.fired = len(fired)
        clock.lap("query")

        of_rule = ScreeningWarning.objects.filter(rule=rule.code)
        if scoped:
            of_rule = of_rule.filter(household__in=ctx.households.values("pk"))
        pending = of_rule.filter(status=Status.PENDING)
        existing = {
            hid: (pk, evidence, year)
            for pk, hid, evidence, year in pending.order_by().values_list(
                "pk", "household_id", "evidence", "year"
            )
        }
        closed_this_year = of_rule.filter(year=ctx.year, status__in=(Status.CONVERTED, Status.DISMISSED))
        closed = set(closed_this_year.order_by().values_list("household_id", flat=True))
        # In household order: the indexes and the foreign-key checks then touch their
        # pages in order (186,764 rows went in in less than half the time they took in a
        # random order; bench/screening_results.md).
        new = sorted((hid, ev) for hid, ev in fired.items() if hid not in existing and hid not in closed)
        changed = [
            (pk, fired[hid])
            for hid, (pk, evidence, year) in existing.items()
            if hid in fired and (evidence != fired[hid] or year != ctx.year)
        ]
        gone = [pk for hid, (pk, _, _) in existing.items() if hid not in fired]
        clock.lap("reconcile")

        now = timezone.now()
        run.created = _insert(rule.code, ctx, new, now)
        run.refreshed = _refresh(ctx, changed, now)
        run.expired = _expire(ctx, gone, now)
        run.pending = pending.count()
    clock.lap("write")  # with the commit, where PostgreSQL checks the deferred foreign keys
    return run


def _tune_for_set_queries() -> None:
    """PostgreSQL, for this transaction only: no JIT (compiling the big grouped queries
    took longer than running them) and plan the streamed rule query for all its rows, not
    the first tenth (a server-side cursor's default, which favours nested loops)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")


def _expire(ctx: Context, pks: Sequence[int], now: dt.datetime) -> int:
    expired = 0
    for chunk in _chunks(pks, BATCH):
        expired += ScreeningWarning.objects.filter(pk__in=chunk, status=Status.PENDING).update(
            status=Status.EXPIRED, closed_at=now, updated_at=now, as_of=ctx.as_of
        )
    return expired


def _chunks(items: Iterable[int], size: int) -> Iterator[list[int]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


# ---------------------------------------------------------------- the two ways of writing
#
# Same semantics, two speeds: the ORM's batched INSERT/UPDATE works on every database; on
# PostgreSQL the rows go through COPY into a temporary table, then one INSERT … SELECT
# (ON CONFLICT DO NOTHING, as bulk_create's ignore_conflicts: a concurrent run that
# inserted the pending warning first wins) or one UPDATE … FROM.

# Off: the ORM path on PostgreSQL too (the tests run both paths on PostgreSQL with it).
COPY_ON_POSTGRESQL = True
STAGE = "screening_stage"


def _use_copy() -> bool:
    return COPY_ON_POSTGRESQL and connection.vendor == "postgresql"


def _insert(code: str, ctx: Context, new: Sequence[tuple[int, str]], now: dt.datetime) -> int:
    if not new:
        return 0
    if not _use_copy():
        ScreeningWarning.objects.bulk_create(
            (
                ScreeningWarning(household_id=hid, rule=code, year=ctx.year, as_of=ctx.as_of, evidence=ev)
                for hid, ev in new
            ),
            batch_size=BATCH,
            ignore_conflicts=True,  # a concurrent run inserted it first: the row is there
        )
        return len(new)
    columns = ", ".join(
        _column(f)
        for f in ("household", "rule", "year", "as_of", "evidence", "status", "created_at", "updated_at")
    )
    with connection.cursor() as cursor:
        _stage(cursor, "household_id", new)
        cursor.execute(
            f"INSERT INTO {_table()} ({columns}) "
            f"SELECT household_id, %s, %s, %s, evidence, %s, %s, %s FROM {STAGE} ORDER BY household_id "
            "ON CONFLICT DO NOTHING",  # as ignore_conflicts above
            [code, ctx.year, ctx.as_of, Status.PENDING, now, now],
        )
        created: int = cursor.rowcount
        cursor.execute(f"DROP TABLE {STAGE}")
    return created


def _refresh(ctx: Context, changed: Sequence[tuple[int, str]], now: dt.datetime) -> int:
    if not changed:
        return 0
    if not _use_copy():
        ScreeningWarning.objects.bulk_update(
            [
                ScreeningWarning(pk=pk, evidence=ev, year=ctx.year, as_of=ctx.as_of, updated_at=now)
                for pk, ev in changed
            ],
            ["evidence", "year", "as_of", "updated_at"],
            batch_size=500,
        )
        return len(changed)
    with connection.cursor() as cursor:
        _stage(cursor, "warning_id", changed)
        cursor.execute(
            f"UPDATE {_table()} AS w SET {_column('evidence')} = s.evidence, {_column('year')} = %s, "
            f"{_column('as_of')} = %s, {_column('updated_at')} = %s "
            f"FROM {STAGE} AS s WHERE w.{_column('id')} = s.warning_id",
            [ctx.year, ctx.as_of, now],
        )
        refreshed: int = cursor.rowcount
        cursor.execute(f"DROP TABLE {STAGE}")
    return refreshed


def _stage(cursor: CursorWrapper, key: str, rows: Sequence[tuple[int, str]]) -> None:
    """A temporary table (`key` bigint, evidence text) holding `rows`, filled by COPY
    through the psycopg 3 cursor under Django's wrapper."""
    cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
    cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({key} bigint NOT NULL, evidence text NOT NULL)")
    with cursor.cursor.copy(f"COPY {STAGE} ({key}, evidence) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _table() -> str:
    return connection.ops.quote_name(ScreeningWarning._meta.db_table)


def _column(name: str) -> str:
    model_field = ScreeningWarning._meta.get_field(name)
    assert isinstance(model_field, Field) and model_field.column
    return connection.ops.quote_name(model_field.column)
