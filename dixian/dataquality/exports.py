"""The rectification list (整改清单) workbook: one row per finding, IDs always masked,
the 整改要求 and 整改情况 columns left blank for the township to fill in."""

from __future__ import annotations

import io
from collections.abc import Iterable

import xlsxwriter

from dixian.core.masking import mask_id_number
from dixian.dataquality.checks import Check
from dixian.dataquality.selectors import FindingRow, area_names

HEADERS = [
    "乡镇",
    "村",
    "户编号",
    "姓名",
    "证件号码",
    "检查代码",
    "严重程度",
    "问题描述",
    "整改要求",
    "整改情况",
]
WIDTHS = [12, 14, 22, 10, 22, 12, 8, 50, 30, 20]


def rectification_workbook(findings: Iterable[tuple[Check, list[FindingRow]]], title: str) -> bytes:
    """The workbook as bytes: a title row, the header row, then the findings."""
    findings = list(findings)
    areas = area_names({row.area_id for _, rows in findings for row in rows})
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("整改清单")
    bold = book.add_format({"bold": True})
    text = book.add_format({"num_format": "@"})
    sheet.write(0, 0, title, book.add_format({"bold": True, "font_size": 14}))
    for col, (header, width) in enumerate(zip(HEADERS, WIDTHS, strict=True)):
        sheet.write(1, col, header, bold)
        sheet.set_column(col, col, width, text)
    row_index = 2
    for check, rows in findings:
        for row in rows:
            village = areas.get(row.area_id)
            township = village.parent.name if village and village.parent else ""
            values = [
                township,
                village.name if village else row.area_id,
                row.number,
                row.name,
                mask_id_number(row.id_number),
                check.code,
                str(check.severity),
                check.description,
                "",
                "",
            ]
            sheet.write_row(row_index, 0, values, text)
            row_index += 1
    sheet.freeze_panes(2, 0)
    sheet.autofilter(1, 0, max(row_index - 1, 1), len(HEADERS) - 1)
    book.close()
    return buffer.getvalue()
