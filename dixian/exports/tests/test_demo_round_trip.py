"""The round trip of issue 3's "Done when": the demo county exported by the county admin
with full values imports back as the same records, and one edited name is one update."""

from __future__ import annotations

import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from dixian.accounts.models import User
from dixian.exports.tests.helpers import NAME, body, xlsx_rows
from dixian.imports.models import ImportBatch
from dixian.imports.services import batch_commit, batch_create, batch_stage
from dixian.monitoring.models import MonitoringCase
from dixian.registry.models import Household, HouseholdIncome, Person

HOUSEHOLDS = 200
YEAR = 2024


@pytest.fixture
def county(db, settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", "--households", str(HOUSEHOLDS), "--seed", "11", stdout=io.StringIO())
    admin = User.objects.get(username="county")
    client.force_login(admin)
    return admin


def snapshot() -> dict[str, list]:
    return {
        "households": list(Household.objects.order_by("pk").values()),
        "persons": list(Person.objects.order_by("pk").values()),
        "incomes": list(HouseholdIncome.objects.order_by("pk").values()),
        "cases": list(MonitoringCase.objects.order_by("pk").values()),
    }


def history_count() -> int:
    return sum(m.history.count() for m in (Household, Person, HouseholdIncome, MonitoringCase))


def import_back(content: bytes, user: User) -> ImportBatch:
    upload = SimpleUploadedFile("户信息_导出.xlsx", content)
    batch = batch_create(uploaded_file=upload, filename=upload.name, user=user, year=YEAR)
    batch = batch_stage(batch=batch)
    assert batch.status == ImportBatch.Status.STAGED, batch.error_message
    rejected = list(batch.rows.filter(action="reject").values_list("row_number", "errors")[:5])
    assert batch.count_rejected == 0, rejected
    return batch_commit(batch=batch, mode="all", actor=user)


def rewrite(rows: list[list]) -> bytes:
    """The exported sheet as a user saves it after editing: titles, header, text cells."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value != "":
                sheet.write_string(r, c, str(value))
    book.close()
    return buffer.getvalue()


def test_demo_county_exported_in_full_imports_back_unchanged_then_one_edit_is_one_update(client, county):
    persons = Person.objects.count()
    content = body(client.get(reverse("export_households_xlsx"), {"full_pii": "1"}))
    before, history_before = snapshot(), history_count()

    same = import_back(content, county)
    assert (same.count_create, same.count_update, same.count_rejected) == (0, 0, 0)
    assert same.count_unchanged == persons
    assert snapshot() == before
    assert history_count() == history_before

    rows = xlsx_rows(content)
    edited = next(r for r in rows[3:] if r and r[NAME])
    old_name = edited[NAME]
    edited[NAME] = old_name + "改"
    later = import_back(rewrite(rows), county)
    assert (later.count_create, later.count_update) == (0, 1)
    assert later.count_unchanged == persons - 1
    person = Person.objects.get(name=old_name + "改")
    # demo data is bulk-loaded without history: the edit is the person's first history row
    assert [(h.history_type, h.name) for h in person.history.all()] == [("~", old_name + "改")]
    assert history_count() == history_before + 1
    after = snapshot()
    changed = [p for p, q in zip(before["persons"], after["persons"], strict=True) if p != q]
    assert len(changed) == 1 and changed[0]["id"] == person.pk
    assert {k: v for k, v in before.items() if k != "persons"} == {
        k: v for k, v in after.items() if k != "persons"
    }
