"""PostgreSQL bulk-load helpers: index and foreign-key deferral, TRUNCATE, sequences,
statistics. Everything runs inside the caller's transaction, so a failure restores
the schema with the data."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import connection, models

_FOREIGN_KEYS = """
    SELECT t.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
    JOIN pg_class t ON t.oid = c.conrelid
    WHERE c.contype = 'f' AND t.relname = ANY(%s) AND pg_table_is_visible(t.oid)"""
# Plain indexes: not the primary key and not backing a unique constraint.
_INDEXES = """
    SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
    WHERE t.relname = ANY(%s) AND pg_table_is_visible(t.oid) AND NOT x.indisprimary
    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"""
# The tables and, recursively, every table with a foreign key to one of them.
_REFERENCING_CLOSURE = """
    WITH RECURSIVE refs(oid) AS (
        SELECT oid FROM pg_class WHERE relname = ANY(%s) AND pg_table_is_visible(oid)
        UNION SELECT c.conrelid FROM pg_constraint c JOIN refs ON c.confrelid = refs.oid WHERE c.contype = 'f'
    ) SELECT relname FROM pg_class WHERE oid IN (SELECT oid FROM refs)"""


def _tables(model_list: list[type[models.Model]]) -> list[str]:
    return [m._meta.db_table for m in model_list]


@contextmanager
def without_secondary_indexes(
    model_list: list[type[models.Model]], report: Callable[[str], None]
) -> Iterator[None]:
    """Drop the foreign keys and plain indexes of the tables, run the body, then build
    them again in one pass each (as pg_restore does): far cheaper than maintaining eight
    indexes on the persons table row by row. Primary keys and unique constraints stay,
    so a load still cannot write a duplicate. Takes ACCESS EXCLUSIVE locks on the
    tables (and those their foreign keys point to) until the transaction ends."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # PostgreSQL will not alter a table with pending trigger events: run the deferred
        # checks of the rows written so far in this transaction (villages, users).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(_FOREIGN_KEYS, [_tables(model_list)])
        foreign_keys = cursor.fetchall()
        cursor.execute(_INDEXES, [_tables(model_list)])
        indexes = cursor.fetchall()
        for table, name, _ in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's constraints are initially deferred
    report(f"  重建索引 {len(indexes)} 个、外键 {len(foreign_keys)} 个（{time.monotonic() - started:.1f} s）")


def truncate(model_list: list[type[models.Model]]) -> bool:
    """TRUNCATE the tables (with the tables of other apps that point at them, if those
    are empty by now); return False, doing nothing, if such a table still has rows."""
    tables = _tables(model_list)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(_REFERENCING_CLOSURE, [tables])
        others = sorted({name for (name,) in cursor.fetchall()} - set(tables))
        for name in others:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(name)})")
            if cursor.fetchone()[0]:
                return False
        # Rows written earlier in the same transaction leave deferred foreign-key checks
        # pending, and PostgreSQL refuses to TRUNCATE a table with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE " + ", ".join(quote(t) for t in [*tables, *others]))
    return True


def reset_sequences(model_list: list[type[models.Model]]) -> None:
    """Move the identity sequences past the ids the load assigned itself."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), model_list):
            cursor.execute(sql)


def analyze(model_list: list[type[models.Model]]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in _tables(model_list)))
