import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from dixian.conftest import VISIBLE
from dixian.core.masking import mask_id_number, mask_phone
from dixian.core.models import AuditEvent
from dixian.exports.layout import HOUSEHOLD_HEADER
from dixian.exports.models import ExportJob
from dixian.exports.tests.helpers import (
    ID_NUMBER,
    NAME,
    PHONE,
    body,
    csv_rows,
    data_rows,
    numbers,
    sheet_xml,
    xlsx_rows,
)
from dixian.testing import factories as f

XLSX = reverse("export_households_xlsx")
CSV = reverse("export_households_csv")


def export(client, url, params=None) -> list[list]:
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:200]
    content = body(response)
    return xlsx_rows(content) if url == XLSX else csv_rows(content)


def numbers_of(world, names) -> set[str]:
    return {world.households()[n].number for n in names}


@pytest.mark.parametrize("url", [XLSX, CSV])
@pytest.mark.parametrize("who", ["county", "town_a", "town_b", "village_a1", "cadre", "nobody"])
def test_export_holds_exactly_the_households_in_scope(client, world, who, url):
    client.force_login(world.users()[who])
    assert numbers(export(client, url)) == numbers_of(world, VISIBLE[who])


def test_township_export_has_one_row_per_member_with_household_fields_repeated(client, world):
    f.PersonFactory(household=world.a2, relation="配偶")
    client.force_login(world.town_a)
    rows = data_rows(export(client, XLSX, {"village": world.village_a2.code}))
    assert [r[NAME] for r in rows] == [p.name for p in world.a2.members.order_by("pk")]
    column = {name: i for i, name in enumerate(HOUSEHOLD_HEADER)}
    for row in rows:
        assert row[column["户编号"]] == world.a2.number
        assert row[column["户类型"]] == "一般农户"
        assert row[column["乡(镇)"]] == "东山镇"
        assert row[column["行政村"]] == "东山A2村"
        assert row[column["家庭人口数"]] == "2"
    assert rows[0][column["与户主关系"]] == "户主"


@pytest.mark.parametrize("url", [XLSX, CSV])
def test_title_rows_then_national_header_on_row_three(client, world, url):
    client.force_login(world.town_a)
    rows = export(client, url)
    assert "户信息" in rows[0][0]
    assert "导出时间" in rows[1][0] and "东山镇" in rows[1][0]
    assert [c for c in rows[2] if c] == HOUSEHOLD_HEADER


def test_filters_of_the_list_apply(client, world):
    client.force_login(world.county)
    rows = export(client, CSV, {"township": "360724101000"})
    assert numbers(rows) == numbers_of(world, {"b1", "moved"})
    assert numbers(export(client, CSV, {"q": world.a1.number})) == {world.a1.number}


def test_area_outside_scope_is_a_bad_request_not_a_wider_export(client, world):
    client.force_login(world.town_a)
    assert client.get(XLSX, {"village": world.village_b1.code}).status_code == 400
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("url", [XLSX, CSV])
def test_ids_and_phones_are_masked_by_default(client, world, url):
    client.force_login(world.county)  # holds the permission but did not tick the box
    rows = data_rows(export(client, url, {"q": world.a1.number}))
    person = world.a1.members.get()
    assert rows[0][ID_NUMBER] == mask_id_number(person.id_number)
    assert rows[0][PHONE] == mask_phone(world.a1.phone)
    event = AuditEvent.objects.get()
    assert event.action == AuditEvent.Action.EXPORT and event.user == world.county
    assert "已脱敏" in event.detail and "1行" in event.detail


@pytest.mark.parametrize("url", [XLSX, CSV])
def test_full_values_with_permission_and_checkbox_are_audited(client, world, url):
    client.force_login(world.county)
    rows = data_rows(export(client, url, {"q": world.a1.number, "full_pii": "1"}))
    person = world.a1.members.get()
    assert rows[0][ID_NUMBER] == person.id_number
    assert isinstance(rows[0][ID_NUMBER], str)
    assert rows[0][PHONE] == world.a1.phone
    event = AuditEvent.objects.get()
    assert "完整证件号码和电话" in event.detail
    assert "1行" in event.detail and f"q={world.a1.number}" in event.detail


def test_full_values_without_permission_are_refused(client, world):
    client.force_login(world.town_a)
    assert client.get(XLSX, {"full_pii": "1"}).status_code == 403
    assert not AuditEvent.objects.exists()


def test_permission_granted_to_a_township_user_allows_full_values(client, world):
    world.town_a.user_permissions.add(Permission.objects.get(codename="view_full_pii"))
    client.force_login(world.town_a)
    rows = data_rows(export(client, CSV, {"q": world.a1.number, "full_pii": "on"}))
    assert rows[0][ID_NUMBER] == world.a1.members.get().id_number


def test_disability_certificate_number_keeps_its_two_digits(client, world):
    person = world.a1.members.get()
    person.id_type, person.disability_suffix = "残疾人证", "23"
    person.save()
    client.force_login(world.county)
    rows = data_rows(export(client, CSV, {"q": world.a1.number, "full_pii": "1"}))
    assert rows[0][ID_NUMBER] == person.id_number + "23"


def test_formula_in_a_name_is_never_a_formula(client, world):
    evil = '=HYPERLINK("http://evil.example","点我")'
    f.PersonFactory(household=world.a1, relation="之子", name=evil)
    f.PersonFactory(household=world.a1, relation="之女", name="@SUM(1)")
    client.force_login(world.county)
    xlsx = body(client.get(XLSX, {"q": world.a1.number}))
    names = [r[NAME] for r in data_rows(xlsx_rows(xlsx))]
    assert evil in names and "@SUM(1)" in names  # read back unchanged, as text
    xml = sheet_xml(xlsx)
    assert "<f>" not in xml and "<f " not in xml
    csv_names = [r[NAME] for r in data_rows(csv_rows(body(client.get(CSV, {"q": world.a1.number}))))]
    assert "'" + evil in csv_names and "'@SUM(1)" in csv_names


def test_xlsx_cells_are_text_so_ids_keep_every_digit(client, world):
    client.force_login(world.county)
    rows = data_rows(export(client, XLSX, {"full_pii": "1"}))
    assert all(isinstance(cell, str) for row in rows for cell in row)
    assert {len(r[ID_NUMBER]) for r in rows} == {18}


def test_export_is_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for _ in range(30):
        h = f.HouseholdFactory(area=world.village_a1)
        f.PersonFactory(household=h)
        f.PersonFactory(household=h, relation="配偶")
    client.force_login(world.county)
    with django_assert_max_num_queries(12):
        assert len(data_rows(export(client, XLSX))) == 64


def test_anonymous_user_is_sent_to_login(client, world):
    response = client.get(CSV)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_small_export_leaves_no_job(client, world):
    client.force_login(world.county)
    export(client, XLSX)
    assert not ExportJob.objects.exists()


def test_list_page_offers_export_buttons_with_the_filters(client, world):
    client.force_login(world.county)
    html = client.get(reverse("household_list"), {"township": "360724100000", "page": "1"}).content.decode()
    assert 'id="export-xlsx"' in html and 'id="export-csv"' in html
    assert 'name="township" value="360724100000"' in html
    assert 'name="page"' not in html
    assert 'id="export-full-pii"' in html


def test_list_page_hides_full_value_checkbox_without_permission(client, world):
    client.force_login(world.town_a)
    html = client.get(reverse("household_list")).content.decode()
    assert 'id="export-xlsx"' in html and 'id="export-full-pii"' not in html
