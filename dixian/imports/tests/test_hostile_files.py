"""Bad input (issue 3): each file a user could upload by mistake or malice gets a clear
message, leaves the database as it was, and the uploaded file is kept with the batch.

A county already holds one monitored household (the `loaded` fixture) so that "nothing
changed" is checked against real records, and most hostile files name its people.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import time
import tracemalloc
from typing import Any

import pytest
import xlsxwriter

from dixian.imports import columns as C
from dixian.imports.columns import Kind
from dixian.imports.models import ImportBatch
from dixian.imports.reader import LOST_PRECISION, ImportFileError, open_table
from dixian.imports.selectors import batch_preview
from dixian.imports.services import CommitRefused, batch_commit
from dixian.imports.tests import bigfile
from dixian.imports.tests.conftest import errors_of, import_file, stage, upload
from dixian.imports.tests.helpers import HEAD_ID, SON_ID, family, monitoring_family, table, xlsx
from dixian.monitoring.models import MonitoringCase
from dixian.registry.models import Household, HouseholdIncome, Person

HOUSEHOLD = C.column_names(Kind.HOUSEHOLD)


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Household, Person, HouseholdIncome, MonitoringCase)) + tuple(
        m.history.count() for m in (Household, Person)
    )


def names() -> list[tuple[str, str]]:
    return list(Person.objects.order_by("id_number").values_list("id_number", "name"))


@pytest.fixture
def loaded(county_user):
    batch = import_file(table(Kind.MONITORING, monitoring_family()), county_user)
    assert batch.status == ImportBatch.Status.COMMITTED and batch.count_create == 3
    return counts(), names()


def kept(batch: ImportBatch, content: bytes) -> None:
    """The upload is stored with the batch, byte for byte."""
    assert batch.pk and batch.file.name
    with batch.file.open("rb") as stream:
        assert stream.read() == content


def refused(content: bytes, user: Any, message: str, **kwargs: Any) -> ImportBatch:
    """The file is refused at upload with `message`; the failed batch keeps it."""
    with pytest.raises(ImportFileError) as caught:
        upload(content, user, **kwargs)
    assert message in caught.value.message, caught.value.message
    batch = ImportBatch.objects.get(pk=caught.value.batch.pk)
    assert (batch.status, batch.error_message) == (ImportBatch.Status.FAILED, caught.value.message)
    assert not batch.rows.exists()
    kept(batch, content)
    return batch


def rejected(content: bytes, user: Any, **kwargs: Any) -> tuple[ImportBatch, list]:
    """The file stages with rejected rows; neither commit mode writes anything."""
    batch = stage(content, user, **kwargs)
    assert batch.status == ImportBatch.Status.STAGED, batch.error_message
    assert batch.count_rejected > 0
    with pytest.raises(CommitRefused, match="有错误，未导入任何数据"):
        batch_commit(batch=batch, mode="all", actor=user)
    if batch.count_rejected == batch.rows.count():
        batch_commit(batch=batch, mode="valid", actor=user)
    kept(batch, content)
    return batch, errors_of(batch)


def untouched(loaded: tuple) -> None:
    assert (counts(), names()) == loaded


def household_file(rows: list[dict[str, Any]]) -> bytes:
    return table(Kind.HOUSEHOLD, rows)


def workbook(build) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    build(book)
    book.close()
    return buffer.getvalue()


def ole_encrypted() -> bytes:
    """What Excel writes for a password-protected xlsx, reduced to what the reader sniffs:
    an OLE compound file (D0 CF 11 E0 A1 B1 1A E1, version 3, 512-byte sectors) whose
    directory sector names the EncryptionInfo and EncryptedPackage streams. The streams
    themselves are zeros: no real encryption is needed to recognise the container."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<II", header, 44, 1, 0)  # one FAT sector, directory starts at sector 0
    directory = bytearray()
    for name, kind in (
        ("Root Entry", 5),
        ("EncryptionInfo", 2),
        ("EncryptedPackage", 2),
        ("\x06DataSpaces", 1),
    ):
        entry = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        entry[0 : len(encoded)] = encoded
        struct.pack_into("<HB", entry, 64, len(encoded), kind)
        directory += entry
    return bytes(header) + bytes(directory) + b"\0" * 1024


# --- files that are not importable at all --------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        pytest.param(
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
            "户信息_20240630.xlsx",
            "该文件不是Excel文件（实为PDF）",
            id="pdf",
        ),
        pytest.param(b"", "户信息_20240630.xlsx", "文件为空", id="zero-bytes"),
        pytest.param(
            b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "户信息.xlsx", "该文件不是Excel文件，请上传", id="png"
        ),
        pytest.param(
            ole_encrypted(),
            "户信息.xlsx",
            "该Excel文件设有密码，请取消密码保护后重新导出上传",
            id="encrypted",
        ),
        pytest.param(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000,
            "户信息.xls",
            "Excel文件已损坏或格式无法识别",
            id="bad-xls",
        ),
    ],
)
def test_unreadable_file_is_refused_and_kept(loaded, county_user, content, name, message):
    refused(content, county_user, message, name=name)
    untouched(loaded)


def test_truncated_xlsx_is_corrupt(loaded, county_user):
    whole = household_file(family())
    for length in (len(whole) // 2, len(whole) - 30, 200):
        refused(whole[:length], county_user, "Excel文件已损坏或格式无法识别，请重新导出后上传")
    untouched(loaded)


def test_empty_workbook(loaded, county_user):
    content = workbook(lambda book: book.add_worksheet("Sheet1"))
    refused(content, county_user, "文件中没有数据（工作簿为空）")
    untouched(loaded)


def test_header_matching_no_known_file(loaded, county_user):
    content = xlsx(["序号", "单位名称", "金额", "备注"], [["1", "某单位", "100", ""]])
    refused(content, county_user, "前5行中找不到表头：无法识别的文件类型")
    untouched(loaded)


def test_missing_required_columns_are_named(loaded, county_user):
    header = [n for n in HOUSEHOLD if n not in (C.ID_NUMBER, "劳动技能", "户类型")]
    refused(
        table(Kind.HOUSEHOLD, family(), header=header),
        county_user,
        "「户信息」文件缺少必需的列：证件号码、劳动技能、户类型",
    )
    untouched(loaded)


def test_header_only_file_has_no_rows(loaded, county_user):
    content = household_file([])
    batch = stage(content, county_user)
    assert (batch.status, batch.error_message) == (ImportBatch.Status.FAILED, "文件表头下没有数据行")
    with pytest.raises(CommitRefused, match="尚未完成校验"):
        batch_commit(batch=batch, mode="valid", actor=county_user)
    kept(batch, content)
    untouched(loaded)


# --- layouts that import: titles, extra columns, sheets, dates ------------------------


def test_extra_columns_are_ignored_and_listed_in_the_preview(loaded, county_user):
    header = ["序号", *HOUSEHOLD[:5], "备注", *HOUSEHOLD[5:], "核实人"]
    rows = [{**r, "序号": str(i), "备注": "x", "核实人": "张"} for i, r in enumerate(family(), 1)]
    batch = stage(table(Kind.HOUSEHOLD, rows, header=header), county_user)
    assert batch_preview(batch).extra_columns == ["序号", "备注", "核实人"]
    assert (batch.count_unchanged, batch.count_rejected) == (3, 0)
    assert all(set(r.data["person"]) <= {f.name for f in Person._meta.fields} for r in batch.rows.all())
    untouched(loaded)


def test_title_cells_merged_over_both_title_rows(loaded, county_user):
    def build(book):
        sheet = book.add_worksheet()
        sheet.merge_range(0, 0, 1, len(HOUSEHOLD) - 1, "全国防返贫监测信息系统 户信息 导出时间：2024-06-30")
        sheet.write_row(2, 0, HOUSEHOLD)
        for r, row in enumerate(family(), start=3):
            sheet.write_row(r, 0, [str(row.get(n, "")) for n in HOUSEHOLD])

    content = workbook(build)
    assert open_table(io.BytesIO(content), filename="a.xlsx").header_row == 3
    batch = stage(content, county_user)
    assert (batch.status, batch.count_unchanged, batch.count_rejected) == (ImportBatch.Status.STAGED, 3, 0)
    assert sorted(batch.rows.values_list("row_number", flat=True)) == [4, 5, 6]
    kept(batch, content)
    untouched(loaded)


def test_blank_rows_above_the_header_keep_excel_row_numbers(loaded, county_user):
    """No titles, four blank rows, the header on row 5: found, and errors name Excel's rows."""

    def build(book):
        sheet = book.add_worksheet()
        sheet.write_row(4, 0, HOUSEHOLD)
        for r, row in enumerate(family(), start=5):
            sheet.write_row(r, 0, [str(row.get(n, "")) for n in HOUSEHOLD])
        sheet.write_string(7, HOUSEHOLD.index("健康状况"), "很好")

    batch, errors = rejected(workbook(build), county_user)
    assert open_table(io.BytesIO(workbook(build)), filename="a.xlsx").header_row == 5
    assert sorted(batch.rows.values_list("row_number", flat=True)) == [6, 7, 8]
    assert [e[:3] for e in errors if e[1] == "健康状况"] == [(8, "健康状况", "很好")]
    untouched(loaded)


def test_fifty_sheets_only_the_first_is_read(loaded, county_user):
    def build(book):
        first = book.add_worksheet("户信息")
        first.write_row(2, 0, HOUSEHOLD)
        for r, row in enumerate(family(), start=3):
            first.write_row(r, 0, [str(row.get(n, "")) for n in HOUSEHOLD])
        for i in range(2, 51):
            other = book.add_worksheet(f"Sheet{i}")
            other.write_row(0, 0, C.column_names(Kind.WORK_PLAN))
            other.write_row(1, 0, [SON_ID, "否", f"第{i}个工作表"])

    content = workbook(build)
    batch = stage(content, county_user)
    assert batch.kind == Kind.HOUSEHOLD and batch.rows.count() == 3
    assert (batch.count_unchanged, batch.count_rejected) == (3, 0)
    untouched(loaded)


def test_fifty_sheets_with_an_empty_first_sheet_say_so(loaded, county_user):
    def build(book):
        book.add_worksheet("说明")
        for i in range(2, 51):
            book.add_worksheet(f"Sheet{i}").write_row(2, 0, HOUSEHOLD)

    refused(workbook(build), county_user, "只读取第一个工作表，但第一个工作表「说明」是空的（共50个工作表）")
    untouched(loaded)


def test_birth_dates_in_three_formats_are_accepted_and_equal(loaded, county_user):
    serial = (dt.date(1970, 5, 1) - dt.date(1899, 12, 30)).days
    staged = []
    for written in ("1970-05-01", "19700501", serial):
        rows = family()
        rows[0][C.BIRTH_DATE] = written
        batch = stage(household_file(rows), county_user)
        assert batch.count_rejected == 0, errors_of(batch)
        staged.append(batch.rows.get(id_number=HEAD_ID).data)
    assert staged[0] == staged[1] == staged[2]
    assert staged[0]["person"]["birth_date"] == "1970-05-01"
    untouched(loaded)


def test_an_impossible_birth_date_is_rejected(loaded, county_user):
    rows = family()
    rows[0][C.BIRTH_DATE] = "19701301"
    _, errors = rejected(household_file(rows), county_user)
    assert (4, C.BIRTH_DATE, "19701301", "日期格式无法识别（应为YYYY-MM-DD或YYYYMMDD）") in errors
    untouched(loaded)


# --- rows rejected with a reason -------------------------------------------------------


def test_eighteen_digit_id_stored_as_a_number_lost_precision(loaded, county_user):
    rows = family()
    rows[2][C.ID_NUMBER] = int(SON_ID)  # written as a number: Excel keeps 15 digits
    _, errors = rejected(household_file(rows), county_user)
    (row, column, value, reason) = next(e for e in errors if e[0] == 6)
    assert (column, reason) == (C.ID_NUMBER, LOST_PRECISION)
    assert value[:15] == SON_ID[:15] and value != SON_ID  # shown as read, never guessed
    assert (4, C.HOUSEHOLD_NUMBER, rows[0][C.HOUSEHOLD_NUMBER], "同户第6行有错误，整户未导入") in errors
    untouched(loaded)


def test_fifteen_digit_number_cannot_be_an_id(loaded, county_user):
    rows = family()
    rows[2][C.ID_NUMBER] = 360724200001023  # 15 significant digits, all kept, yet not 18 characters
    _, errors = rejected(household_file(rows), county_user)
    assert (6, C.ID_NUMBER, "360724200001023", "证件号码应为18位，实为15位") in errors
    untouched(loaded)


def test_household_split_across_two_townships(loaded, county_user):
    rows = family()
    rows[2].update({C.TOWNSHIP: "陡水镇", C.VILLAGE: "陡水B1村"})
    _, errors = rejected(household_file(rows), county_user)
    reason = "同一户的成员分属不同乡镇或村：东山镇东山A1村、陡水镇陡水B1村"
    assert {(e[0], e[3]) for e in errors if e[1] == C.VILLAGE} == {(4, reason), (5, reason), (6, reason)}
    untouched(loaded)


def test_formula_cells_are_never_evaluated(loaded, county_user):
    """python-calamine gives a formula cell's cached value, never its formula, and
    nothing evaluates it: a formula saved without a cached value (as scripts write
    them) reads as empty, so a required column is reported empty; a cached value is
    what the spreadsheet showed, and is read as that text."""
    rows = family()
    name, members = HOUSEHOLD.index(C.NAME), HOUSEHOLD.index(C.MEMBER_COUNT)

    def build(cached_name: str, cached_members: str):
        def write(book):
            sheet = book.add_worksheet()
            sheet.write_row(2, 0, HOUSEHOLD)
            for r, row in enumerate(rows, start=3):
                sheet.write_row(r, 0, [str(row.get(n, "")) for n in HOUSEHOLD])
            sheet.write_formula(5, name, '=HYPERLINK("http://x","y")', None, cached_name)
            sheet.write_formula(5, members, "=1+1", None, cached_members)

        return workbook(write)

    no_cache = build("", "")
    raw = next(r for r in open_table(io.BytesIO(no_cache), filename="a.xlsx").rows() if r.number == 6)
    assert (raw.values[C.NAME], raw.values[C.MEMBER_COUNT]) == ("", "")
    _, errors = rejected(no_cache, county_user)
    assert (6, C.NAME, "", "必填项为空") in errors
    assert (4, C.HOUSEHOLD_NUMBER, rows[0][C.HOUSEHOLD_NUMBER], "同户第6行有错误，整户未导入") in errors

    cached = stage(build("y", "2"), county_user)
    son = cached.rows.get(row_number=6)
    assert son.data["person"]["name"] == "y" and son.data["member_count"] == 2
    assert any(e[1:] == (C.MEMBER_COUNT, "2", "家庭人口数为2，但文件中该户有3人") for e in errors_of(cached))
    assert not any("HYPERLINK" in str(r.data) or "1+1" in str(r.data) for r in cached.rows.all())
    untouched(loaded)


def test_cells_of_100000_characters_are_rejected_not_a_crash(loaded, county_user):
    """xlsx holds at most 32,767 characters a cell; CSV holds any number."""
    rows = family()
    rows[1][C.NAME] = "王" * 32_767
    _, errors = rejected(household_file(rows), county_user)
    assert (5, C.NAME, "王" * 100 + "…", "内容过长：32767个字符，最多50个") in errors

    rows = family()
    rows[0]["民族"] = "汉" * 100_000
    rows[2][C.HOUSEHOLD_NUMBER] = "3" * 100_000
    lines = [",".join(HOUSEHOLD), *(",".join(str(r.get(n, "")) for n in HOUSEHOLD) for r in rows)]
    content = "\n".join(lines).encode("utf-8-sig")
    batch, errors = rejected(content, county_user, name="户信息.csv")
    assert (2, "民族", "汉" * 100 + "…", "内容过长：100000个字符，最多16个") in errors
    assert (4, C.HOUSEHOLD_NUMBER, "3" * 100 + "…", "内容过长：100000个字符，最多32个") in errors
    assert max(len(e[2]) for e in errors) <= 101
    untouched(loaded)


@pytest.mark.parametrize(
    "bad", ["李\x07大", "李\x00大", "李大\x1b[31m", "李\u0085大"], ids=["bel", "nul", "esc", "nel"]
)
def test_control_characters_in_names_are_rejected(loaded, county_user, bad):
    rows = family()
    rows[0][C.NAME] = bad
    _, errors = rejected(household_file(rows), county_user)
    code = next(ch for ch in bad if ord(ch) < 32 or 127 <= ord(ch) < 160)
    shown = bad.replace("\x00", "\u2400")  # NUL is shown as ␀: PostgreSQL's jsonb cannot hold it
    assert (4, C.NAME, shown, f"含有不可见的控制字符（U+{ord(code):04X}），请删除后重新上传") in errors
    untouched(loaded)


# --- size ------------------------------------------------------------------------------


def test_ten_thousand_column_header_is_read_in_bounded_time(loaded, county_user):
    header = [*HOUSEHOLD, *(f"自定义列{i}" for i in range(10_000 - len(HOUSEHOLD)))]
    content = table(Kind.HOUSEHOLD, family(), header=header)
    started = time.perf_counter()
    batch = stage(content, county_user)
    assert time.perf_counter() - started < 10
    assert (batch.count_unchanged, batch.count_rejected) == (3, 0)
    extra = batch_preview(batch).extra_columns
    assert len(extra) == 10_000 - len(HOUSEHOLD) and extra[0] == "自定义列0"
    untouched(loaded)


ROWS = 20_000


def test_a_large_file_streams_with_bounded_python_memory(tmp_path):
    """The reader holds one row at a time: 20,000 rows here; bench/reader_memory.py runs
    200,000 and also reports the process RSS (python-calamine keeps its own copy of the
    sheet on the Rust side, which tracemalloc does not see)."""
    path = tmp_path / "户信息_大.xlsx"
    assert bigfile.household_file(path, ROWS) == ROWS
    tracemalloc.start()
    try:
        rows, last = 0, None
        with path.open("rb") as stream:
            for raw in open_table(stream, filename=path.name).rows():
                rows, last = rows + 1, raw
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert last is not None
    assert (rows, last.number, last.values[C.NAME]) == (ROWS, ROWS + 3, f"李{ROWS - 1}")
    assert peak < path.stat().st_size + 16 * 2**20, f"{peak / 2**20:.1f} MiB"


def test_a_zip_bomb_is_refused_before_it_is_unpacked(loaded, county_user, settings):
    """A real workbook whose sheet XML is padded so that it unpacks to far more than it
    weighs: refused unread, with the size, and nothing changes (the limit is lowered so the
    test needs only a few MB)."""
    import zipfile

    settings.IMPORT_MAX_UNPACKED_MB = 4
    source = zipfile.ZipFile(io.BytesIO(household_file(family())))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                content = content.replace(b"<sheetData>", b"<sheetData>" + b" " * (8 * 1024 * 1024))
            bomb.writestr(info.filename, content)
    data = out.getvalue()
    assert len(data) < 200_000  # ~8 MB of XML in a small file
    refused(data, county_user, "超过上限 4 MB", name="户信息.xlsx")
    untouched(loaded)
