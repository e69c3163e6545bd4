"""The person list's 户信息 export and the 监测对象信息 export (from the household list and
the case list): scope, filters, layout, masking, the full-value permission, audit, jobs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from dixian.conftest import VISIBLE
from dixian.core.masking import mask_id_number, mask_phone
from dixian.core.models import AuditEvent
from dixian.exports.layout import HOUSEHOLD_HEADER, MONITORING_HEADER
from dixian.exports.tests.helpers import body, csv_rows, data_rows, xlsx_rows
from dixian.exports.tests.test_export_jobs import IMMEDIATE, start
from dixian.monitoring.models import AssistanceMeasure, CaseRisk, MonitoringCase
from dixian.registry.models import HouseholdIncome
from dixian.testing import factories as f

P_XLSX, P_CSV = reverse("export_persons_xlsx"), reverse("export_persons_csv")
M_XLSX, M_CSV = reverse("export_households_monitoring_xlsx"), reverse("export_households_monitoring_csv")
C_XLSX, C_CSV = reverse("export_cases_monitoring_xlsx"), reverse("export_cases_monitoring_csv")
COL = {name: i for i, name in enumerate(MONITORING_HEADER)}  # 户信息 columns come first, same order


@pytest.fixture
def large(settings, tmp_path):
    """Every export counts as large; tasks run in-process; files land in a temp MEDIA_ROOT."""
    settings.DIXIAN_EXPORT_ASYNC_ROWS = 0
    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def export(client, url, params=None) -> list[list]:
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:200]
    content = body(response)
    rows = xlsx_rows(content) if url.endswith(".xlsx") else csv_rows(content)
    return rows


def numbers(rows) -> set[str]:
    return {r[COL["户编号"]] for r in data_rows(rows)}


def numbers_of(world, names) -> set[str]:
    return {world.households()[n].number for n in names}


def approve(household, **extra) -> MonitoringCase:
    fields = {"category": "脱贫不稳定户", "identified_on": dt.date(2024, 3, 17)} | extra
    return MonitoringCase.objects.create(household=household, status=MonitoringCase.Status.APPROVED, **fields)


# ---------------------------------------------------------------- person list export


@pytest.mark.parametrize("url", [P_XLSX, P_CSV])
@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_person_export_holds_exactly_the_persons_in_scope(client, world, who, url):
    client.force_login(world.users()[who])
    assert numbers(export(client, url)) == numbers_of(world, VISIBLE[who])


def test_person_export_holds_the_filtered_persons_with_the_household_size(client, world):
    f.PersonFactory(household=world.a1, relation="之女", name="女儿", school_stage="七年级")
    f.PersonFactory(household=world.a2, relation="之子", name="儿子", school_stage="学前教育")
    client.force_login(world.town_a)
    rows = data_rows(export(client, P_XLSX, {"school_stage": "any"}))
    assert [r[COL["姓名"]] for r in rows] == ["女儿"]
    assert rows[0][COL["家庭人口数"]] == "2" and rows[0][COL["户编号"]] == world.a1.number
    assert rows[0][COL["在校生状况"]] == "七年级"
    header = export(client, P_CSV)[2]
    assert [c for c in header if c] == HOUSEHOLD_HEADER


@pytest.mark.parametrize("url", [P_XLSX, P_CSV])
def test_person_export_masks_id_phone_and_birth_date_and_is_audited(client, world, url):
    person = world.a1.members.get()
    client.force_login(world.county)  # may see full values but did not tick the box
    row = data_rows(export(client, url, {"q": world.a1.number}))[0]
    assert row[COL["证件号码"]] == mask_id_number(person.id_number)
    assert row[COL["户联系电话"]] == mask_phone(world.a1.phone)
    assert row[COL["出生日期"]] == f"{person.birth_date.year}-**-**"
    assert person.id_number not in {c for c in row}
    event = AuditEvent.objects.get()
    assert event.action == AuditEvent.Action.EXPORT and event.user == world.county
    assert event.detail.startswith("人员导出 户信息") and "已脱敏" in event.detail and "1行" in event.detail


def test_person_export_in_full_needs_the_permission_and_says_so_in_the_audit(client, world):
    person = world.a1.members.get()
    client.force_login(world.town_a)
    assert client.get(P_XLSX, {"full_pii": "1"}).status_code == 403
    assert not AuditEvent.objects.exists()
    world.town_a.user_permissions.add(Permission.objects.get(codename="view_full_pii"))
    row = data_rows(export(client, P_CSV, {"q": world.a1.number, "full_pii": "1"}))[0]
    assert row[COL["证件号码"]] == person.id_number and row[COL["户联系电话"]] == world.a1.phone
    assert row[COL["出生日期"]] == person.birth_date.isoformat()
    event = AuditEvent.objects.get()
    assert "完整证件号码和电话" in event.detail and f"q={world.a1.number}" in event.detail


def test_person_export_refuses_an_area_outside_scope(client, world):
    client.force_login(world.town_a)
    response = client.get(P_CSV, {"village": world.village_b1.code})
    assert response.status_code == 400 and world.b1.number not in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_large_person_export_is_a_job_that_reapplies_the_person_filters(
    client, world, large, django_capture_on_commit_callbacks
):
    f.PersonFactory(household=world.a1, relation="配偶", name="配偶乙", sex="女")
    client.force_login(world.town_a)
    job = start(client, django_capture_on_commit_callbacks, P_CSV, {"relation": "配偶"})
    job.refresh_from_db()
    assert (job.source, job.layout, job.status, job.row_count) == ("persons", "household", "done", 1)
    assert job.filename.startswith("户信息_")
    rows = data_rows(csv_rows(Path(large / job.file.name).read_bytes()))
    assert [r[COL["姓名"]] for r in rows] == ["配偶乙"]
    page = client.get(reverse("export_job", args=[job.pk])).content.decode()
    assert "人员名单" in page and reverse("person_list") in page
    assert AuditEvent.objects.get().detail.startswith("人员导出 户信息")


# ---------------------------------------------------------------- 监测对象信息


def monitored_a1(world) -> MonitoringCase:
    """a1: an approved open case with two risks, income of 2024 and three measures."""
    case = approve(world.a1)
    CaseRisk.objects.create(case=case, position=1, risk_type="因病")
    CaseRisk.objects.create(case=case, position=2, risk_type="因学")
    HouseholdIncome.objects.filter(household=world.a1).update(members=1, transfer=Decimal("1234.50"))
    for kind, detail in (
        ("健康帮扶", "医疗救助"),
        ("综合保障", "低保"),
        ("综合保障", "临时救助"),
        ("产业帮扶", ""),
    ):
        AssistanceMeasure.objects.create(
            household=world.a1, case=case, measure_type=kind, detail=detail, year=2024
        )
    AssistanceMeasure.objects.create(  # ended before 2024: not held that year
        household=world.a1,
        measure_type="金融帮扶",
        detail="小额信贷",
        year=2020,
        ended_on=dt.date(2023, 6, 30),
    )
    return case


def test_monitoring_export_writes_the_case_risks_income_and_measures(client, world):
    monitored_a1(world)
    client.force_login(world.county)
    rows = export(client, M_XLSX, {"monitoring_category": "any", "full_pii": "1"})
    assert "监测对象信息" in rows[0][0] and "收入年度：2024" in rows[1][0]
    assert [c for c in rows[2] if c] == MONITORING_HEADER
    (row,) = data_rows(rows)
    cell = {name: row[i] for name, i in COL.items()}
    assert (cell["户编号"], cell["监测对象类别"], cell["识别监测时间"]) == (
        world.a1.number,
        "脱贫不稳定户",
        "202403",
    )
    assert (cell["风险是否已消除"], cell["风险消除方式"], cell["消除监测时间"]) == ("否", "", "")
    assert [cell[f"致贫/返贫风险{i}"] for i in range(1, 6)] == ["因病", "因学", "", "", ""]
    assert (cell["工资性收入"], cell["转移性收入"], cell["人均纯收入（元）"]) == (
        "20000.00",
        "1234.50",
        "21234.50",
    )
    assert (cell["健康帮扶"], cell["综合保障"], cell["产业帮扶"]) == ("医疗救助", "低保；临时救助", "是")
    assert cell["金融帮扶"] == "" and cell["就业帮扶"] == ""


def test_monitoring_export_takes_the_income_year_of_the_list(client, world):
    monitored_a1(world)
    client.force_login(world.county)
    (row,) = data_rows(export(client, M_CSV, {"monitoring_category": "any", "income_year": "2023"}))
    assert row[COL["工资性收入"]] == "" and row[COL["人均纯收入（元）"]] == ""
    assert row[COL["健康帮扶"]] == ""  # the measures began in 2024
    assert row[COL["金融帮扶"]] == "小额信贷"


def test_an_eliminated_case_is_written_with_its_method_and_month(client, world):
    approve(world.b1, category="边缘易致贫户", eliminated=True, elimination_method="自然消除",
            eliminated_on=dt.date(2025, 1, 9))  # fmt: skip
    MonitoringCase.objects.create(
        household=world.b1, status=MonitoringCase.Status.CLUE, opened_on=dt.date(2025, 5, 1)
    )
    client.force_login(world.town_b)
    rows = data_rows(export(client, M_CSV, {"q": world.b1.number}))
    cells = {name: rows[0][i] for name, i in COL.items()}
    assert (cells["监测对象类别"], cells["风险是否已消除"], cells["风险消除方式"], cells["消除监测时间"]) == (
        "边缘易致贫户",
        "是",
        "自然消除",
        "202501",
    )


def test_a_household_without_an_approved_case_has_empty_monitoring_columns(client, world):
    MonitoringCase.objects.create(
        household=world.a2, status=MonitoringCase.Status.CLUE, opened_on=dt.date(2025, 5, 1)
    )
    client.force_login(world.county)
    (row,) = data_rows(export(client, M_CSV, {"q": world.a2.number}))
    assert (
        row[COL["监测对象类别"]] == "" and row[COL["识别监测时间"]] == "" and row[COL["风险是否已消除"]] == ""
    )


@pytest.mark.parametrize("url", [M_XLSX, C_CSV])
@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_monitoring_exports_hold_only_households_in_scope(client, world, who, url):
    for household in world.households().values():
        approve(household)
    client.force_login(world.users()[who])
    assert numbers(export(client, url)) == numbers_of(world, VISIBLE[who])


def test_monitoring_export_masks_and_audits(client, world):
    monitored_a1(world)
    person = world.a1.members.get()
    client.force_login(world.town_a)
    (row,) = data_rows(export(client, M_CSV, {"monitoring_category": "any"}))
    assert row[COL["证件号码"]] == mask_id_number(person.id_number)
    assert row[COL["户联系电话"]] == mask_phone(world.a1.phone)
    event = AuditEvent.objects.get()
    assert event.detail.startswith("农户导出 监测对象信息 csv 1行 证件号码和电话已脱敏")
    assert "monitoring_category=any" in event.detail
    assert client.get(M_CSV, {"full_pii": "1"}).status_code == 403


def test_case_list_export_follows_the_list_filters(client, world, settings):
    today = dt.date.today()
    approve(world.a1)
    MonitoringCase.objects.create(household=world.a2, status="clue", opened_on=today - dt.timedelta(days=40))
    MonitoringCase.objects.create(
        household=world.b1, status="visited", opened_on=today - dt.timedelta(days=2)
    )
    client.force_login(world.county)
    assert numbers(export(client, C_CSV)) == {world.a1.number, world.a2.number, world.b1.number}
    assert numbers(export(client, C_CSV, {"status": "approved"})) == {world.a1.number}
    assert numbers(export(client, C_CSV, {"overdue": "1"})) == {world.a2.number}
    listed = client.get(reverse("workflow_case_list"), {"overdue": "1"}).context["cases"]
    assert {c.household.number for c in listed} == {world.a2.number}
    event = AuditEvent.objects.order_by("-pk").first()
    assert event.detail.startswith("监测对象导出 监测对象信息") and "overdue=1" in event.detail


def test_large_monitoring_export_is_a_job_named_after_its_layout(
    client, world, large, django_capture_on_commit_callbacks
):
    monitored_a1(world)
    client.force_login(world.county)
    job = start(client, django_capture_on_commit_callbacks, C_XLSX, {"status": "approved"})
    job.refresh_from_db()
    assert (job.source, job.layout, job.status, job.row_count) == ("cases", "monitoring", "done", 1)
    assert job.filename.startswith("监测对象信息_") and job.filename.endswith(".xlsx")
    rows = xlsx_rows(client.get(reverse("export_job_download", args=[job.pk])).getvalue())
    assert data_rows(rows)[0][COL["监测对象类别"]] == "脱贫不稳定户"
    assert "识别与消除" in client.get(reverse("export_job", args=[job.pk])).content.decode()


def test_monitoring_export_is_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for _ in range(30):
        h = f.HouseholdFactory(area=world.village_a1)
        f.PersonFactory(household=h)
        f.PersonFactory(household=h, relation="配偶")
        case = approve(h)
        CaseRisk.objects.create(case=case, position=1, risk_type="因病")
        AssistanceMeasure.objects.create(household=h, measure_type="健康帮扶", detail="医疗救助", year=2024)
    client.force_login(world.county)
    with django_assert_max_num_queries(16):
        assert len(data_rows(export(client, M_XLSX, {"monitoring_category": "any"}))) == 60


# ---------------------------------------------------------------- buttons


def test_household_list_offers_the_monitoring_export_when_filtered_to_monitored(client, world):
    client.force_login(world.county)
    plain = client.get(reverse("household_list")).content.decode()
    assert 'id="export-xlsx"' in plain and 'id="export-monitoring-xlsx"' not in plain
    approve(world.a1)
    html = client.get(reverse("household_list"), {"monitoring_category": "any"}).content.decode()
    assert 'id="export-monitoring-xlsx"' in html and M_XLSX in html and M_CSV in html
    assert 'name="monitoring_category" value="any"' in html


def test_case_list_offers_the_monitoring_export_with_its_filters(client, world):
    approve(world.a1)
    client.force_login(world.town_a)
    html = client.get(reverse("workflow_case_list"), {"status": "approved"}).content.decode()
    assert 'id="export-monitoring-xlsx"' in html and C_XLSX in html and C_CSV in html
    assert 'name="status" value="approved"' in html and 'id="export-monitoring-full-pii"' not in html
