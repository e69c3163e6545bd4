"""Focus-group pages, export and API, scoped: a township sees only its households.

东山镇: A (8,000, no measure) and B (9,000, holds 产业帮扶); 陡水镇: C (7,000); R lives in
陡水镇 but was relocated from 东山镇 (6,000, no measure), so both townships see it. All four
are 脱贫户 below the 2025 focus line (10,000, carried forward from 2024)."""

from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook

from dixian.accounts.roles import Role
from dixian.core.models import AuditEvent
from dixian.income.tests.builders import VILLAGE_A, VILLAGE_B, household
from dixian.monitoring.models import AssistanceMeasure, MeasureType
from dixian.registry.models import Household, PolicyParameter
from dixian.testing import factories as f

pytestmark = pytest.mark.django_db

F01 = "F01-BELOW-10K"
OVERVIEW, LIST, EXPORT = "/income/focus/", f"/income/focus/{F01}/", f"/income/focus/{F01}/export/"
API = f"/api/v1/income/focus/{F01}"


@pytest.fixture
def town():
    a = household("A", {2024: (9000, 1), 2025: (8000, 1)})
    b = household("B", {2025: (9000, 1)})
    c = household("C", {2025: (7000, 1)}, village=VILLAGE_B)
    r = household("R", {2025: (6000, 1)}, village=VILLAGE_B)
    Household.objects.filter(pk=r.pk).update(is_relocated=True, origin_area_id=VILLAGE_A)
    AssistanceMeasure.objects.create(household=b, measure_type=MeasureType.INDUSTRY, detail="产业到户奖补")
    return {"A": a, "B": b, "C": c, "R": r}


@pytest.fixture
def users():
    return {
        "county": f.user("county", Role.COUNTY_ADMIN, "360724000000"),
        "town_a": f.user("town_a", Role.TOWNSHIP, "360724100000"),
        "town_b": f.user("town_b", Role.TOWNSHIP, "360724101000"),
    }


def shown(body: str, town: dict[str, Household]) -> set[str]:
    return {name for name, h in town.items() if h.number in body}


def test_pages_need_login(client, town):
    for url in (OVERVIEW, LIST, EXPORT, "/income/growth/"):
        assert client.get(url).status_code == 302
    assert client.get(API).status_code == 401


def test_overview_counts_per_township_and_links_to_the_lists(client, town, users):
    client.force_login(users["county"])
    page = client.get(OVERVIEW)
    assert page.context["args"].year == 2025  # the latest income year by default
    rows = {
        r.township.name if r.township else "合计": dict((g.code, c) for g, c in r.cells)
        for r in page.context["rows"]
    }
    assert rows["东山镇"][F01] == (2, 1)  # A and B; A has no increase measure
    assert rows["陡水镇"][F01] == (2, 2)  # C and R
    assert rows["合计"][F01] == (4, 3)
    body = page.content.decode()
    assert f'href="{LIST}?year=2025&amp;township=360724100000"' in body
    assert f'href="{LIST}?year=2025&amp;township=360724100000&amp;no_measure=1"' in body


def test_a_township_counts_only_its_own_households(client, town, users):
    client.force_login(users["town_a"])
    page = client.get(OVERVIEW)
    rows = {
        r.township.name if r.township else "合计": dict((g.code, c) for g, c in r.cells)
        for r in page.context["rows"]
    }
    assert list(rows) == ["东山镇", "合计"]
    assert rows["东山镇"][F01] == (2, 1)
    assert rows["合计"][F01] == (3, 2)  # with R, seen for its origin's duties
    assert "陡水镇" not in page.content.decode()


def test_list_shows_masked_ids_reasons_and_the_no_measure_mark(client, town, users):
    client.force_login(users["town_a"])
    body = client.get(LIST, {"year": 2025}).content.decode()
    assert shown(body, town) == {"A", "B", "R"}
    head = town["A"].members.get()
    assert head.id_number not in body and head.id_number[:4] + "**********" + head.id_number[-4:] in body
    assert "2025年人均纯收入 8,000 元 &lt; 重点关注线 10,000 元" in body
    assert body.count("text-bg-danger no-measure") == 2  # A and R
    only = client.get(LIST, {"year": 2025, "no_measure": "1"}).content.decode()
    assert shown(only, town) == {"A", "R"}


def test_another_townships_code_in_the_query_does_not_widen_the_scope(client, town, users):
    client.force_login(users["town_a"])
    body = client.get(LIST, {"year": 2025, "township": "360724101000"}).content.decode()
    assert shown(body, town) == {"R"}  # C lives there but is not town_a's


def test_export_is_masked_titled_scoped_and_audited(client, town, users):
    town["A"].members.update(name="=1+1")  # a cell a spreadsheet would evaluate
    client.force_login(users["town_a"])
    response = client.get(EXPORT, {"year": 2025})
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert sheet[0][0] == "2025年重点关注群体名单：人均纯收入低于重点关注线（F01-BELOW-10K）"
    header = sheet[3]
    assert header[3] == "户编号" and header[5] == "户主证件号码" and header[-2:] == ["入组依据", "增收措施"]
    rows = {r[3]: r for r in sheet[4:]}
    assert set(rows) == {town[n].number for n in ("A", "B", "R")}
    a = rows[town["A"].number]
    assert a[4] == "=1+1"  # stored as text, read back unchanged, never evaluated
    assert "*" in a[5] and a[5] != town["A"].members.get().id_number
    assert a[-1] == "无增收措施" and rows[town["B"].number][-1] == "有"
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.user == users["town_a"] and "F01-BELOW-10K" in event.detail and "3户" in event.detail


def test_api_lists_the_group_in_scope_with_paging(client, town, users):
    client.force_login(users["town_b"])
    data = client.get(API, {"year": 2025, "limit": 1}).json()
    assert data["count"] == 2 and len(data["items"]) == 1
    data = client.get(API, {"year": 2025}).json()
    assert {i["number"] for i in data["items"]} == {town["C"].number, town["R"].number}
    item = next(i for i in data["items"] if i["number"] == town["C"].number)
    assert item["per_capita_net"] == "7000.00" and item["has_increase_measure"] is False
    assert "*" in item["head_id_number_masked"]
    assert item["reason"] == "2025年人均纯收入 7,000 元 < 重点关注线 10,000 元"
    assert client.get(API, {"year": 2025, "no_measure": "true"}).json()["count"] == 2


def test_api_answers_404_for_an_unknown_group_and_422_for_a_bad_township(client, town, users):
    client.force_login(users["county"])
    assert client.get("/api/v1/income/focus/F99").status_code == 404
    assert client.get(API, {"township": "12"}).status_code == 422


def test_a_missing_parameter_is_reported_not_a_crash(client, town, users):
    PolicyParameter.objects.filter(code="focus_income_line").delete()
    client.force_login(users["county"])
    overview = client.get(OVERVIEW)
    assert overview.status_code == 200 and "focus_income_line" in overview.content.decode()
    listing = client.get(LIST)
    assert listing.status_code == 200 and "未设置参数" in listing.content.decode()
    assert client.get(EXPORT).status_code == 409
    assert client.get(API).status_code == 409
    # the other groups still work
    assert client.get("/income/focus/F03-DECLINED-TWO-YEARS/").status_code == 200


def test_unknown_group_page_is_404(client, town, users):
    client.force_login(users["county"])
    assert client.get("/income/focus/F99/").status_code == 404
    assert client.get("/income/focus/F99/export/").status_code == 404
