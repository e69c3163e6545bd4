"""A focus group's list as an Excel workbook: title rows, a header row, one row per
household. The head's ID number leaves masked; text cells a spreadsheet would read as a
formula are stored as text (`exports.writers.is_formula_like`)."""

from __future__ import annotations

from typing import IO, Any

import xlsxwriter
from django.db.models import QuerySet

from dixian.core.masking import mask_id_number
from dixian.exports.writers import is_formula_like
from dixian.income.focus import FocusContext, FocusGroup
from dixian.registry.models import Household


def header(group: FocusGroup, year: int) -> list[str]:
    incomes = [f"{year - back}年人均纯收入（元）" for back in range(group.years_back, -1, -1)]
    return [
        "序号",
        "乡镇",
        "村（社区）",
        "户编号",
        "户主姓名",
        "户主证件号码",
        "户类型",
        "监测对象类别",
        "家庭人口",
        *incomes,
        "入组依据",
        "增收措施",
    ]


def row_values(n: int, h: Any, group: FocusGroup, ctx: FocusContext) -> list[Any]:
    area = h.area
    incomes = [getattr(h, name) for name in ("before_previous", "previous")[2 - group.years_back :]]
    return [
        n,
        area.parent.name if area.parent else "",
        area.name,
        h.number,
        h.head_name or "",
        mask_id_number(h.head_id_number),
        h.household_type,
        h.monitoring_category or "",
        h.people,
        *[float(v) for v in [*incomes, h.income]],
        group.describe(h, ctx),
        "有" if h.has_increase_measure else "无增收措施",
    ]


def write_focus_xlsx(
    out: IO[bytes],
    *,
    title_rows: list[str],
    group: FocusGroup,
    ctx: FocusContext,
    households: QuerySet[Household],
) -> int:
    """Write the workbook to `out`; return the number of household rows written."""
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet(group.code[:31])
    title = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "bg_color": "#E2EFDA", "border": 1, "text_wrap": True})
    text = book.add_format({"num_format": "@"})
    quoted = book.add_format({"num_format": "@", "quote_prefix": True})
    money = book.add_format({"num_format": "#,##0.00"})
    columns = header(group, ctx.year)
    widths = {"村（社区）": 14, "户编号": 22, "户主证件号码": 22, "入组依据": 60, "增收措施": 12}
    for col, name in enumerate(columns):
        sheet.set_column(col, col, widths.get(name, 12 if "收入" in name else 10))
    for r, line in enumerate(title_rows):
        sheet.write_string(r, 0, line, title if r == 0 else text)
    header_row = len(title_rows)
    sheet.write_row(header_row, 0, columns, head)
    count = 0
    for count, h in enumerate(households.iterator(chunk_size=2000), start=1):
        for col, value in enumerate(row_values(count, h, group, ctx)):
            r = header_row + count
            if isinstance(value, float):
                sheet.write_number(r, col, value, money)
            elif isinstance(value, int):
                sheet.write_number(r, col, value)
            elif value:
                sheet.write_string(r, col, value, quoted if is_formula_like(value) else text)
    sheet.freeze_panes(header_row + 1, 0)
    book.close()
    return count
