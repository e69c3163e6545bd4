"""Writing many new rows at once: PostgreSQL `COPY FROM STDIN` (psycopg 3), the ORM's
`bulk_create` elsewhere (SQLite).

Django's bulk INSERT on PostgreSQL binds every value client-side, and psycopg quotes each
array element in Python: for a 100,000-person file that was half of the import's CPU.
COPY sends the rows as text, escaped in psycopg's C code.

`insert_with_history` also writes each new row's "created" (``+``) history row, as
`simple_history.utils.bulk_create_with_history` does (same user, no change reason, one
history date for the batch). Rows are given as ``{attname: value}``; a field left out
takes its model default, ``auto_now``/``auto_now_add`` fields the time of the call, and
generated columns are left to the database: what `Model(**values).save()` would store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any

from django.db import connection, models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

BATCH = 1000


def use_copy() -> bool:
    return connection.vendor == "postgresql"


def _writable(model: type[models.Model]) -> list[models.Field]:
    return [
        f for f in model._meta.concrete_fields if not f.primary_key and not getattr(f, "generated", False)
    ]


def _stamped(field: models.Field) -> bool:
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY the rows (tuples in `columns` order: str, int, bool, date, datetime, Decimal or
    None) into `table` on the current connection, hence inside the current transaction."""
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    connection.ensure_connection()
    sql = f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN"
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _next_ids(model: type[models.Model], n: int) -> list[int]:
    """n primary keys drawn from the table's identity sequence."""
    table = model._meta.db_table
    pk = model._meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, n],
        )
        return [row[0] for row in cursor.fetchall()]


def _default(field: models.Field, per_row: set[str], default: Any) -> Any:
    return field.get_default() if field.attname in per_row else default


# Values COPY takes as they are; anything else goes through the field's get_db_prep_save.
SIMPLE = frozenset({str, int, bool, type(None), dt.date, dt.datetime})


def insert_with_history(model: type[models.Model], records: list[dict[str, Any]], actor: Any) -> list[int]:
    """Insert new rows and their "created" history rows; returns the new primary keys,
    in the order of `records`. Values are Python values or the JSON-ready text the
    field's `to_python` accepts (ISO dates, decimals as strings), as for `Model(**values)`."""
    if not records:
        return []
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    if not use_copy():
        objs = [model(**record) for record in records]
        created = bulk_create_with_history(objs, model, batch_size=BATCH, default_user=user)
        return [obj.pk for obj in created]
    now = timezone.now()
    fields = _writable(model)
    stamped = [f.attname for f in fields if _stamped(f)]
    plain = [(f.attname, f.get_default()) for f in fields if f.attname not in stamped]
    per_row = {f.attname for f in fields if callable(f.default)}  # e.g. uuid4: one per row
    by_attname = {f.attname: f for f in fields}
    pk_name = model._meta.pk.attname  # type: ignore[union-attr]
    columns = [pk_name, *(a for a, _ in plain), *stamped]
    pks = _next_ids(model, len(records))
    rows: list[list[Any]] = []
    stamps = [now] * len(stamped)
    for pk, record in zip(pks, records, strict=True):
        row: list[Any] = [pk]
        for attname, default in plain:
            value = record[attname] if attname in record else _default(by_attname[attname], per_row, default)
            if type(value) not in SIMPLE:
                value = by_attname[attname].get_db_prep_save(value, connection)
            row.append(value)
        rows.append(row + stamps)
    copy_rows(model._meta.db_table, [_column(model, c) for c in columns], rows)
    history = getattr(model, "history", None)
    if history is not None:
        historical = history.model
        position = {c: i for i, c in enumerate(columns)}
        tracked = itemgetter(*(position[f.attname] for f in historical.tracked_fields))
        h_columns = [
            *(f.attname for f in historical.tracked_fields),
            "history_date",
            "history_change_reason",
            "history_type",
            "history_user_id",
        ]
        tail = [now, None, "+", user.pk if user is not None else None]
        copy_rows(
            historical._meta.db_table,
            [_column(historical, c) for c in h_columns],
            ((*tracked(row), *tail) for row in rows),
        )
    return pks


def _column(model: type[models.Model], attname: str) -> str:
    for f in model._meta.concrete_fields:
        if f.attname == attname:
            return str(f.column)
    raise LookupError(f"{model.__name__} has no field {attname}")
