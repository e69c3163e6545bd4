"""The warnings list as an Excel workbook: a title row, a header row, one row per
warning. Only what the list page shows leaves: no ID numbers, phones or health data."""

from __future__ import annotations

from typing import IO, Any

import xlsxwriter
from django.db.models import QuerySet
from django.utils import timezone

from dixian.monitoring.models import ScreeningWarning
from dixian.monitoring.rules import RULE_LABELS

HEADER = [
    "户编号",
    "乡镇",
    "村（社区）",
    "户类型",
    "规则代码",
    "规则",
    "收入年度",
    "筛查基准日",
    "预警依据",
    "状态",
    "预警时间",
]
WIDTHS = [20, 12, 14, 10, 30, 18, 9, 12, 70, 12, 18]


def write_warnings_xlsx(
    out: IO[bytes], *, title: str, user: Any, warnings: QuerySet[ScreeningWarning]
) -> int:
    """Write the workbook to `out`; return the number of warning rows written."""
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet("预警线索")
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#E2EFDA", "border": 1})
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    sheet.write(0, 0, f"{title}  导出：{user} {timezone.localtime():%Y-%m-%d %H:%M}", bold)
    sheet.write_row(1, 0, HEADER, head)
    rows = 0
    for rows, w in enumerate(warnings.iterator(chunk_size=2000), start=1):
        area = w.household.area
        sheet.write_row(
            rows + 1,
            0,
            [
                w.household.number,
                area.parent.name if area.parent else "",
                area.name,
                w.household.household_type,
                w.rule,
                RULE_LABELS.get(w.rule, ""),
                w.year,
                w.as_of.isoformat(),
                w.evidence,
                w.get_status_display(),
                timezone.localtime(w.created_at).strftime("%Y-%m-%d %H:%M"),
            ],
        )
    book.close()
    return rows
