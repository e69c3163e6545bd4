"""The county workbook: title, merged two-level header, serials per township, subtotals
and total, masked IDs, formula-like text kept as text, audit; and it opens in LibreOffice.

The LibreOffice check is skipped only when `libreoffice` is missing and env CI is unset;
under CI a missing LibreOffice fails."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from dixian.core.models import AuditEvent
from dixian.income.ledger import services
from dixian.income.ledger.services import Correction
from dixian.income.models import IncomeLedgerRow
from dixian.income.tests.ledger_builders import YEAR, generated, income, measure
from dixian.testing import factories as f

TITLE = "上犹县2025年低收入人口收入下降核查整改台账"


@pytest.fixture
def ledgers(world):
    rows = generated(world)
    second = f.HouseholdFactory(area=world.village_a2)
    f.PersonFactory(household=second, name="=HYPERLINK(1)")
    income(second, YEAR - 1, 30000), income(second, YEAR, 20000)
    services.ledger_generate(year=YEAR, actor=world.county)
    row = rows[world.a1.number]
    services.row_update(
        actor=world.town_a,
        row_id=row.pk,
        version=row.version,
        status=IncomeLedgerRow.Status.VERIFIED,
        cause="数据录入错误",
        data_error=True,
        correction=Correction(year=YEAR, reason="漏录工资", figures={"members": 2, "wage": Decimal("21000")}),
        measure_ids=[measure(world.a1, "产业帮扶", "种植脐橙").pk],
        responsible_id=world.town_a.pk,
        note="-2+3 已核实",
    )
    return rows


def sheet_of(content: bytes):
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    sheet = book.get_sheet_by_index(0)
    return sheet, sheet.to_python(skip_empty_area=False)


def export(client, user) -> bytes:
    client.force_login(user)
    response = client.get(reverse("income_ledger_export"), {"year": YEAR})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return response.content


def test_county_workbook_has_title_header_serials_subtotals_and_total(client, world, ledgers):
    sheet, cells = sheet_of(export(client, world.county))
    assert cells[0][0] == TITLE
    assert "2024年→2025年" in cells[1][0]
    assert [cells[2][c] for c in (0, 6, 9, 12, 15)] == [
        "基本信息",
        "收入情况（人均纯收入，元）",
        "核查情况",
        "整改措施",
        "备注",
    ]
    assert cells[3][:12] == [
        "乡镇",
        "序号",
        "村（社区）",
        "户编号",
        "户主姓名",
        "证件号码",
        "上年",
        "当年",
        "核实后",
        "下降原因",
        "是否数据错误",
        "更正情况",
    ]
    merged = {(tuple(start), tuple(end)) for start, end in sheet.merged_cell_ranges}
    assert ((0, 0), (0, 15)) in merged and ((2, 0), (2, 5)) in merged and ((2, 15), (3, 15)) in merged
    body = cells[4:]
    # 东山镇: two households, serial 1 and 2, then its subtotal; 陡水镇: one, its subtotal; the total.
    assert [(r[0], r[1]) for r in body] == [
        ("东山镇", 1.0),
        ("东山镇", 2.0),
        ("东山镇小计", "共 2 户"),
        ("陡水镇", 1.0),
        ("陡水镇小计", "共 1 户"),
        ("合计", "共 3 户"),
    ]
    a1 = next(r for r in body if r[3] == world.a1.number)
    head = world.a1.members.get()
    assert a1[5] == head.id_number[:4] + "*" * 10 + head.id_number[-4:]
    assert a1[6:9] == [10000.0, 8000.0, 10500.0]
    assert a1[9:12] == ["数据录入错误", "是", a1[11]] and "工资性收入 16000.00→21000" in a1[11]
    assert a1[12:16] == ["产业帮扶 种植脐橙", "town_a", "已核查", "-2+3 已核实"]
    assert body[2][10] == "数据错误 1 户" and body[-1][10] == "数据错误 1 户"
    assert "待核查2" in body[-1][12] and "已核查1" in body[-1][12]
    assert "=HYPERLINK(1)" in [r[4] for r in body]  # read back as text, never a formula
    every_cell = {str(c) for r in cells for c in r}
    for person in f.PersonFactory._meta.model.objects.all():
        assert person.id_number not in every_cell
    audit = AuditEvent.objects.get(action="export", user=world.county)
    assert TITLE in audit.detail and "3 户" in audit.detail


def test_township_workbook_holds_only_its_own_rows(client, world, ledgers):
    _, cells = sheet_of(export(client, world.town_b))
    assert cells[0][0] == "上犹县陡水镇2025年低收入人口收入下降核查整改台账"
    numbers = {r[3] for r in cells[4:]}
    assert world.moved.number in numbers and world.a1.number not in numbers
    assert cells[-1][:2] == ["合计", "共 1 户"]


def test_a_user_without_ledgers_gets_no_workbook(client, world, ledgers):
    client.force_login(world.cadre)
    response = client.get(reverse("income_ledger_export"), {"year": YEAR})
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_workbook_opens_in_libreoffice(client, world, ledgers, tmp_path: Path):
    libreoffice, pdftotext = shutil.which("libreoffice"), shutil.which("pdftotext")
    if libreoffice is None or pdftotext is None:
        if os.environ.get("CI"):
            pytest.fail("libreoffice and pdftotext (poppler-utils) must be installed in CI", pytrace=False)
        pytest.skip("libreoffice or pdftotext not installed")
    workbook = tmp_path / "ledger.xlsx"
    workbook.write_bytes(export(client, world.county))
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            libreoffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "ledger.pdf"
    assert pdf.exists() and pdf.stat().st_size > 0
    text = subprocess.run(
        [pdftotext, str(pdf), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode()
    assert TITLE in text.replace(" ", "")
    assert world.a1.number in text
