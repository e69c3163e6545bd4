"""Builders of small national-system files for the import tests."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import xlsxwriter

from dixian.imports import columns as C
from dixian.registry import idcard

HEAD_ID = idcard.make("360724", dt.date(1970, 5, 1), 11)  # 男
WIFE_ID = idcard.make("360724", dt.date(1972, 3, 8), 22)  # 女
SON_ID = idcard.make("360724", dt.date(2000, 1, 2), 33)  # 男
OTHER_HEAD_ID = idcard.make("360724", dt.date(1965, 7, 9), 45)


def xlsx(header: list[str], rows: list[list[Any]], *, titles: bool = True) -> bytes:
    """Two title rows (the first merged), the header on row 3, then the rows."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet()
    start = 0
    if titles:
        sheet.merge_range(0, 0, 0, max(len(header) - 1, 1), "全国防返贫监测信息系统")
        sheet.write(1, 0, "导出时间：2024-06-30")
        start = 2
    sheet.write_row(start, 0, header)
    for i, row in enumerate(rows, start=start + 1):
        for j, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, int | float):
                sheet.write_number(i, j, value)
            else:
                sheet.write_string(i, j, str(value))
    book.close()
    return buffer.getvalue()


def person(
    number: str = "360724100201000001",
    name: str = "李大",
    id_number: str = HEAD_ID,
    relation: str = "户主",
    *,
    township: str = "东山镇",
    village: str = "东山A1村",
    members: int | str = 3,
    **overrides: Any,
) -> dict[str, Any]:
    parsed = idcard.parse(id_number) if len(id_number) in (18, 20) else None
    row = {
        C.COUNTY: "上犹县",
        C.TOWNSHIP: township,
        C.VILLAGE: village,
        C.HOUSEHOLD_NUMBER: number,
        C.NAME: name,
        C.ID_TYPE: "居民身份证" if len(id_number) != 20 else "残疾人证",
        C.ID_NUMBER: id_number,
        C.RELATION: relation,
        C.SEX: parsed.sex if parsed else "男",
        C.BIRTH_DATE: parsed.birth_date.isoformat() if parsed else "1970-01-01",
        "民族": "汉族",
        "文化程度": "初中",
        "在校生状况": "非在校生",
        "健康状况": "健康",
        "残疾等级": "",
        "劳动技能": "普通劳动力",
        "户类型": "脱贫户",
        "脱贫年度": "2019",
        "是否参加城乡居民基本医疗保险": "是",
        "是否参加大病保险": "是",
        "享受低保政策情况": "未享受",
        "享受特困供养政策情况": "不享受",
        "是否易地扶贫搬迁户": "否",
        "是否危房户": "否",
        "是否解决安全饮用水": "是",
        "户联系电话": "13800000001",
        C.MEMBER_COUNT: str(members),
    }
    row.update(overrides)
    return row


def family(**overrides: Any) -> list[dict[str, Any]]:
    return [
        person(**overrides),
        person(name="王二", id_number=WIFE_ID, relation="配偶", **overrides),
        person(name="李三", id_number=SON_ID, relation="之子", **overrides),
    ]


MONITORING_EXTRA = {
    C.CATEGORY: "脱贫不稳定户",
    C.IDENTIFIED: "202403",
    C.ELIMINATED: "否",
    C.ELIMINATION_METHOD: "",
    C.ELIMINATED_ON: "",
    "致贫/返贫风险1": "因病",
    "致贫/返贫风险2": "因学",
    C.PER_CAPITA: "6000.00",
    "工资性收入": "15000",
    "生产经营性收入": "3000",
    "财产性收入": "0",
    "转移性收入": "2000",
    "生产经营性支出": "2000",
    "合规自付支出": "500",
    "健康帮扶": "家庭医生签约",
    "就业帮扶": "外出务工补贴",
}


def monitoring_family(**overrides: Any) -> list[dict[str, Any]]:
    return [{**r, **MONITORING_EXTRA} for r in family(**overrides)]


def table(kind: C.Kind, rows: list[dict[str, Any]], *, header: list[str] | None = None) -> bytes:
    names = header or C.column_names(kind)
    keys = [C.normalise_header(n) for n in names]
    return xlsx(names, [[r.get(k, "") for k in keys] for r in rows])
