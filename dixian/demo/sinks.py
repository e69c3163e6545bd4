"""Where generated rows go: one prepared INSERT per table and batch (`executemany`) on
SQLite, COPY FROM STDIN (psycopg 3) on PostgreSQL.

Generated columns (Person.id_last4, HouseholdIncome.per_capita_net) are never written:
the database computes them. Nothing here goes through model `save()`, so no
django-simple-history rows are written: the history tables of demo rows stay empty.
"""

from __future__ import annotations

import queue
import threading

from django.db import connection, models
from django.utils import timezone

from dixian.demo import assistance, cases, events, incomes, people, work
from dixian.demo.generator import HOUSEHOLD_COLUMNS, PAIRING_COLUMNS, TABLES, Batch
from dixian.employment.models import EmploymentRecord, WorkPlan
from dixian.monitoring.models import (
    AssistanceMeasure,
    CaseRisk,
    HouseholdEvent,
    HouseholdVisit,
    JointAssessment,
    MonitoringCase,
    Publicity,
    Review,
)
from dixian.registry.models import Household, HouseholdIncome, Pairing, Person

MODELS: dict[str, type[models.Model]] = {
    "household": Household,
    "person": Person,
    "income": HouseholdIncome,
    "case": MonitoringCase,
    "risk": CaseRisk,
    "pairing": Pairing,
    "measure": AssistanceMeasure,
    "employment": EmploymentRecord,
    "workplan": WorkPlan,
    "event": HouseholdEvent,
    "visit": HouseholdVisit,
    "assessment": JointAssessment,
    "publicity": Publicity,
    "review": Review,
}
COLUMNS = {
    "household": HOUSEHOLD_COLUMNS,
    "person": people.PERSON_COLUMNS,
    "income": incomes.INCOME_COLUMNS,
    "case": cases.CASE_COLUMNS,
    "risk": cases.RISK_COLUMNS,
    "pairing": PAIRING_COLUMNS,
    "measure": assistance.MEASURE_COLUMNS,
    "employment": work.EMPLOYMENT_COLUMNS,
    "workplan": work.WORK_PLAN_COLUMNS,
    "event": events.EVENT_COLUMNS,
    "visit": cases.VISIT_COLUMNS,
    "assessment": cases.ASSESSMENT_COLUMNS,
    "publicity": cases.PUBLICITY_COLUMNS,
    "review": cases.REVIEW_COLUMNS,
}
# auto_now / auto_now_add columns, which only `save()` would fill: the load's start time.
STAMPED = {
    "household": ("created_at", "updated_at"),
    "employment": ("updated_at",),
    "workplan": ("updated_at",),
    "event": ("created_at",),
    **{step: ("recorded_at",) for step in ("visit", "assessment", "publicity", "review")},
}
FLUSH_HOUSEHOLDS = 5_000  # rows are written once this many households are buffered


def column_list(model: type[models.Model], attnames: list[str]) -> str:
    """Quoted database columns of the given attribute names (``household_id`` …)."""
    by_attname = {f.attname: str(f.column) for f in model._meta.concrete_fields}
    return ", ".join(connection.ops.quote_name(by_attname[a]) for a in attnames)


class Sink:
    """Buffers batches and writes them table by table, parents first."""

    def __init__(self) -> None:
        self.buffer: dict[str, list[tuple]] = {t: [] for t in TABLES}
        self.now = timezone.now()

    def add(self, batch: Batch) -> None:
        for table, rows in batch.rows.items():
            self.buffer[table] += rows
        if len(self.buffer["household"]) >= FLUSH_HOUSEHOLDS:
            self.flush()

    def flush(self) -> None:
        self.write_all(self.buffer)
        self.buffer = {t: [] for t in TABLES}

    def close(self) -> None:
        self.flush()

    def abort(self) -> None:
        """Drop what is buffered: the caller is rolling back."""
        self.buffer = {t: [] for t in TABLES}

    def write_all(self, buffer: dict[str, list[tuple]]) -> None:
        for table in TABLES:
            if buffer[table]:
                model, columns, rows = self.prepared(table, buffer[table])
                self.write(model, columns, rows)

    def prepared(self, table: str, rows: list[tuple]) -> tuple[type[models.Model], list[str], list[tuple]]:
        """The model, the columns and the rows; timestamps are added here (auto_now
        fields are only filled by `save()`)."""
        columns = list(COLUMNS[table])
        if table in STAMPED:
            columns += STAMPED[table]
            stamp = (self.timestamp(),) * len(STAMPED[table])
            rows = [row + stamp for row in rows]
        return MODELS[table], columns, rows

    def timestamp(self) -> object:
        return self.now

    def write(self, model: type[models.Model], columns: list[str], rows: list[tuple]) -> None:
        raise NotImplementedError


class ExecuteManySink(Sink):
    """SQLite: one prepared INSERT run over the rows. (bulk_create did the same job
    three times slower, compiling every value through the ORM: 20 s against 6 s for the
    default county.)"""

    def timestamp(self) -> object:
        return connection.ops.adapt_datetimefield_value(self.now)

    def write(self, model: type[models.Model], columns: list[str], rows: list[tuple]) -> None:
        names = column_list(model, columns)
        marks = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {model._meta.db_table} ({names}) VALUES ({marks})", rows)


class CopySink(Sink):
    """PostgreSQL COPY FROM STDIN, written by a second thread.

    The thread waits on the server most of the time (with the GIL released), so the
    next villages are generated while PostgreSQL stores the last ones: on two cores
    this nearly halves the load. The thread uses the same psycopg connection, hence the
    same transaction; the main thread does not touch the database until `close`.
    """

    def __init__(self) -> None:
        super().__init__()
        connection.ensure_connection()
        self.raw = connection.connection
        self.queue: queue.Queue[dict[str, list[tuple]] | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="demo-copy", daemon=True)
        self.thread.start()

    def flush(self) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(self.buffer)
        self.buffer = {t: [] for t in TABLES}

    def close(self) -> None:
        self.flush()
        self._stop()
        if self.error is not None:
            raise self.error

    def abort(self) -> None:
        super().abort()
        self.error = self.error or RuntimeError("aborted")  # the writer skips what is queued
        self._stop()

    def _stop(self) -> None:
        self.queue.put(None)
        self.thread.join()

    def _run(self) -> None:
        while (buffer := self.queue.get()) is not None:
            if self.error is not None:
                continue  # drain, so that the producer never blocks on a dead consumer
            try:
                self.write_all(buffer)
            except BaseException as exc:  # handed to the main thread
                self.error = exc

    def write(self, model: type[models.Model], columns: list[str], rows: list[tuple]) -> None:
        sql = f"COPY {model._meta.db_table} ({column_list(model, columns)}) FROM STDIN"
        with self.raw.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
