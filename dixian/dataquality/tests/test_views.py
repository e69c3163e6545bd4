"""Pages and export: a township user sees only its own township's findings."""

import io
import re

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from dixian.conftest import TOWN_A, TOWN_B
from dixian.core.masking import mask_id_number
from dixian.core.models import AuditEvent

OVERVIEW = reverse("dataquality_overview")
UNINSURED = "DQ-REG-05"
DETAIL = reverse("dataquality_check", args=[UNINSURED])
EXPORT = reverse("dataquality_export")


@pytest.fixture
def uninsured(world):
    """Every household of the world has one uninsured member: one finding each."""
    for h in world.households().values():
        h.members.update(medical_insurance=False)
    return world


def numbers_on(response):
    return set(re.findall(r'href="/households/\d+/">(\d+)</a>', response.content.decode()))


def export_rows(response):
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    return sheet[2:]


def test_anonymous_is_sent_to_login(client):
    assert client.get(OVERVIEW).status_code == 302


def test_overview_counts_only_own_township(client, uninsured):
    client.force_login(uninsured.town_a)
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    assert [t.code for t in response.context["townships"]] == [TOWN_A]
    row = next(r for r in response.context["rows"] if r["check"].code == UNINSURED)
    # a1 and a2 live in 东山镇; the relocated household lives in 陡水镇: its findings are 陡水镇's.
    assert row["cells"][0][1] == 2 and row["total"] == 2
    assert "陡水镇" not in response.content.decode()


def test_county_overview_has_every_township_column(client, uninsured):
    client.force_login(uninsured.county)
    row = next(r for r in client.get(OVERVIEW).context["rows"] if r["check"].code == UNINSURED)
    counts = {t.code: n for t, n in row["cells"]}
    assert counts[TOWN_A] == 2 and counts[TOWN_B] == 2 and row["total"] == 4


def test_drill_down_lists_own_households_with_masked_ids(client, uninsured):
    client.force_login(uninsured.town_a)
    response = client.get(DETAIL, {"township": TOWN_A})
    assert numbers_on(response) == {uninsured.a1.number, uninsured.a2.number}
    html = response.content.decode()
    member = uninsured.a1.members.get()
    assert mask_id_number(member.id_number) in html and member.id_number not in html
    assert numbers_on(client.get(DETAIL)) == {uninsured.a1.number, uninsured.a2.number}


def test_drill_down_into_another_township_is_not_found(client, uninsured):
    client.force_login(uninsured.town_a)
    assert client.get(DETAIL, {"township": TOWN_B}).status_code == 404
    assert client.get(reverse("dataquality_check", args=["DQ-NOPE-01"])).status_code == 404


def test_cadre_sees_only_paired_household(client, uninsured):
    client.force_login(uninsured.cadre)
    assert numbers_on(client.get(DETAIL)) == {uninsured.b1.number}


def test_export_holds_only_own_township_masked_and_is_audited(client, uninsured):
    client.force_login(uninsured.town_a)
    response = client.get(EXPORT, {"check": UNINSURED})
    assert response.status_code == 200
    rows = export_rows(response)
    assert {r[2] for r in rows} == {uninsured.a1.number, uninsured.a2.number}
    assert {r[0] for r in rows} == {"东山镇"}
    ids = {m.id_number for h in (uninsured.a1, uninsured.a2) for m in h.members.all()}
    assert {r[4] for r in rows} == {mask_id_number(i) for i in ids}
    assert all(r[5] == UNINSURED and r[8] == "" and r[9] == "" for r in rows)
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.user == uninsured.town_a and "整改清单" in event.detail


def test_full_export_of_township_never_contains_another_township(client, uninsured):
    client.force_login(uninsured.town_b)
    rows = export_rows(client.get(EXPORT))
    assert rows and {r[0] for r in rows} == {"陡水镇"}
    assert uninsured.a1.number not in {r[2] for r in rows}
    assert client.get(EXPORT, {"township": TOWN_A}).status_code == 404
