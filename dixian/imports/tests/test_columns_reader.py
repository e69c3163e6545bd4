from __future__ import annotations

import datetime as dt
import io

import pytest

from dixian.imports import columns as C
from dixian.imports.columns import Kind, detect_kind, normalise_header
from dixian.imports.reader import LOST_PRECISION, ImportFileError, open_table, parse_date, parse_month
from dixian.imports.tests.helpers import HEAD_ID, table, xlsx


def test_normalise_header_maps_brackets_spaces_and_area_names():
    assert normalise_header("人均纯收入(元)") == "人均纯收入（元）"
    assert normalise_header(" 人均纯收入 （元） ") == "人均纯收入（元）"
    assert normalise_header("县") == C.COUNTY
    assert normalise_header("乡") == C.TOWNSHIP
    assert normalise_header("村") == C.VILLAGE
    assert normalise_header("乡（镇）") == C.TOWNSHIP
    assert normalise_header("县（市、区、旗）") == C.COUNTY


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (C.column_names(Kind.HOUSEHOLD), Kind.HOUSEHOLD),
        (C.column_names(Kind.MONITORING), Kind.MONITORING),
        (C.column_names(Kind.EMPLOYMENT), Kind.EMPLOYMENT),
        (C.column_names(Kind.WORK_PLAN), Kind.WORK_PLAN),
        (["序号", "备注"], None),
    ],
)
def test_detect_kind(header, kind):
    assert detect_kind(header) == kind


def test_monitoring_has_one_column_per_measure_type():
    from dixian.monitoring.models import MeasureType

    names = C.column_names(Kind.MONITORING)
    assert all(m.value in names for m in MeasureType)


def test_header_on_row_three_with_short_area_names_and_extra_columns():
    header = ["县", "乡", "村", *C.column_names(Kind.HOUSEHOLD)[3:], "备注"]
    data = xlsx(header, [["上犹县", "东山镇", "东山A1村", "户1", "李大", "居民身份证", HEAD_ID]])
    t = open_table(io.BytesIO(data), filename="a.xlsx")
    assert t.kind is Kind.HOUSEHOLD and t.header_row == 3
    assert t.extra_columns == ["备注"]
    row = next(t.rows())
    assert row.number == 4 and row.values[C.TOWNSHIP] == "东山镇" and row.values[C.ID_NUMBER] == HEAD_ID


def test_numeric_id_that_lost_precision_is_an_error_not_a_guess():
    data = xlsx(C.column_names(Kind.WORK_PLAN), [[360724197005010011, "是", ""]])
    row = next(open_table(io.BytesIO(data), filename="a.xlsx").rows())
    assert row.errors == [{"column": C.ID_NUMBER, "value": row.values[C.ID_NUMBER], "reason": LOST_PRECISION}]


def test_dates():
    assert parse_date("2024-03-01") == dt.date(2024, 3, 1)
    assert parse_date("20240301") == dt.date(2024, 3, 1)
    assert parse_date("2024/3/1") == dt.date(2024, 3, 1)
    assert parse_date("45352") == dt.date(2024, 3, 1)  # Excel serial
    assert parse_month("202403") == dt.date(2024, 3, 1)
    assert parse_month("2024-03-15") == dt.date(2024, 3, 1)
    with pytest.raises(ValueError):
        parse_date("三月")


def test_csv_is_accepted():
    text = ",".join(C.column_names(Kind.WORK_PLAN)) + f"\n{HEAD_ID},是,技能培训\n"
    t = open_table(io.BytesIO(text.encode("utf-8-sig")), filename="plan.csv")
    assert t.kind is Kind.WORK_PLAN and next(t.rows()).values["就业服务需求"] == "技能培训"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4 some pdf", "户信息.xlsx", "不是Excel文件"),
        (b"PK\x03\x04garbage-not-a-zip", "户信息.xlsx", "已损坏"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\0" * 600,
            "a.xlsx",
            "密码",
        ),
        (b"", "a.xlsx", "文件为空"),
    ],
)
def test_unreadable_files(content, name, message):
    with pytest.raises(ImportFileError, match=message):
        open_table(io.BytesIO(content), filename=name)


def test_empty_workbook():
    with pytest.raises(ImportFileError, match="没有数据"):
        open_table(io.BytesIO(xlsx([], [], titles=False)), filename="a.xlsx")


def test_unknown_header():
    with pytest.raises(ImportFileError, match="找不到表头"):
        open_table(io.BytesIO(xlsx(["序号", "名称", "金额"], [["1", "x", "2"]])), filename="a.xlsx")


def test_missing_required_columns_are_named():
    header = [n for n in C.column_names(Kind.HOUSEHOLD) if n not in (C.RELATION, "劳动技能")]
    with pytest.raises(ImportFileError, match="缺少必需的列：与户主关系、劳动技能"):
        open_table(io.BytesIO(table(Kind.HOUSEHOLD, [], header=header)), filename="a.xlsx")


def test_kind_chosen_must_match_the_file():
    with pytest.raises(ImportFileError, match="不符"):
        open_table(io.BytesIO(table(Kind.WORK_PLAN, [])), filename="a.xlsx", kind=Kind.HOUSEHOLD)
