"""The bulk paths of a large import (COPY on PostgreSQL, bulk_create on SQLite): what a
user sees must be what one save() per row gave: history by the importer, defaults,
generated columns, paging that never splits a household, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from dixian.imports import commit as commit_module
from dixian.imports import staging
from dixian.imports.columns import Kind
from dixian.imports.models import ImportBatch
from dixian.imports.services import batch_commit
from dixian.imports.tests.conftest import import_file, stage
from dixian.imports.tests.helpers import HEAD_ID, family, person, table
from dixian.registry import idcard
from dixian.registry.models import Household, Person


def households_file(count: int, size: int = 3) -> bytes:
    rows = []
    for h in range(count):
        number = f"3607241002010{h:05d}"
        for m in range(size):
            id_number = idcard.make("360724", dt.date(1960 + m, 1 + h % 12, 1 + m), 100 + h * size + m)
            relation = "户主" if m == 0 else "之子"
            rows.append(person(number, f"成员{h}-{m}", id_number, relation, members=size))
    return table(Kind.HOUSEHOLD, rows)


def test_created_rows_have_history_by_the_importer_and_database_defaults(county_user):
    import_file(table(Kind.HOUSEHOLD, family()), county_user)
    household = Household.objects.get(number="360724100201000001")
    assert household.created_at is not None and household.updated_at is not None
    [created] = household.history.all()
    assert (created.history_type, created.history_user, created.number) == (
        "+",
        county_user,
        household.number,
    )
    assert created.area_id == "360724100201" and created.poverty_exit_year == 2019
    people = Person.history.filter(household_id=household.pk)
    assert sorted(h.history_type for h in people) == ["+", "+", "+"]
    assert {h.history_user for h in people} == {county_user}
    head = Person.objects.get(id_number=HEAD_ID)
    # A column the file lacks takes the model default; the generated column is the database's.
    assert head.ethnicity == "汉族" and head.phone == "" and head.id_last4 == HEAD_ID[-4:]
    assert head.birth_date == dt.date(1970, 5, 1) and head.medical_insurance is True


def test_pages_never_split_a_household(county_user, monkeypatch):
    # Pages of 4 rows and COPY/bulk writes of 2: every 3-person household straddles a page.
    monkeypatch.setattr(staging, "CHUNK", 4)
    monkeypatch.setattr(staging, "FLUSH", 2)
    content = households_file(7)
    batch = import_file(content, county_user)
    assert (batch.count_create, batch.count_rejected) == (21, 0)
    assert Household.objects.count() == 7
    assert all(h.members.count() == 3 for h in Household.objects.all())
    assert Person.history.count() == 21 and Household.history.count() == 7
    again = import_file(content, county_user)
    assert (again.count_create, again.count_update, again.count_unchanged) == (0, 0, 21)
    assert Person.history.count() == 21 and Household.history.count() == 7


def test_a_person_moving_to_another_household_is_an_update(county_user):
    import_file(households_file(2), county_user)
    moved = Person.objects.get(name="成员1-2")
    rows = []
    for p in Person.objects.select_related("household").order_by("household__number", "pk"):
        number = "360724100201000000" if p.pk == moved.pk else p.household.number
        members = 4 if number == "360724100201000000" else 2
        rows.append(person(number, p.name, p.id_number, p.relation, members=members))
    later = import_file(table(Kind.HOUSEHOLD, rows), county_user)
    assert later.count_rejected == 0 and later.count_update >= 1
    moved.refresh_from_db()
    assert moved.household.number == "360724100201000000"
    assert [h.household_id for h in moved.history.order_by("history_date")][-1] == moved.household_id


def test_a_failing_commit_writes_nothing(county_user, monkeypatch):
    batch = stage(households_file(3), county_user)

    def broken(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(commit_module, "update_counts", broken)
    with pytest.raises(RuntimeError):
        batch_commit(batch=batch, mode="all", actor=county_user)
    assert Household.objects.count() == 0 and Person.objects.count() == 0
    assert Household.history.count() == 0 and Person.history.count() == 0
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and "未写入任何数据" in batch.error_message
    assert batch.rows.count() == 9  # the staged rows stay for another try


def test_cells_with_nul_are_rejected_and_staged(county_user):
    rows = family()
    rows[1]["姓名"] = "王\x00二"
    batch = stage(table(Kind.HOUSEHOLD, rows), county_user)
    assert batch.status == ImportBatch.Status.STAGED and batch.count_rejected == 3
    bad = batch.rows.get(row_number=5)
    assert bad.errors[0]["column"] == "姓名" and bad.errors[0]["value"] == "王\u2400二"
