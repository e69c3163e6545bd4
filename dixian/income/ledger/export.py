"""The 低收入人口收入下降核查整改台账 workbook: title rows, a merged two-level header, per
township a serial number, a subtotal row, and a county total. ID numbers are always
masked; text that a spreadsheet would read as a formula is stored as text
(`dixian.exports.writers.is_formula_like`)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from typing import Any
from urllib.parse import quote

import xlsxwriter
from django.http import HttpRequest
from django.utils import timezone

from dixian.areas.codes import normalise
from dixian.areas.models import Area
from dixian.core.masking import mask_id_number
from dixian.core.models import AuditEvent
from dixian.core.services import audit_record
from dixian.exports.writers import is_formula_like
from dixian.income.ledger import selectors
from dixian.income.models import IncomeLedgerRow

# (group, [(column header, width)]) — the two header rows.
GROUPS: list[tuple[str, list[tuple[str, int]]]] = [
    (
        "基本信息",
        [("乡镇", 12), ("序号", 6), ("村（社区）", 14), ("户编号", 22), ("户主姓名", 10), ("证件号码", 21)],
    ),
    ("收入情况（人均纯收入，元）", [("上年", 12), ("当年", 12), ("核实后", 12)]),
    ("核查情况", [("下降原因", 12), ("是否数据错误", 8), ("更正情况", 36)]),
    ("整改措施", [("增收措施", 30), ("责任人", 10), ("状态", 8)]),
    ("备注", [("备注", 20)]),
]
COLUMNS = [name for _, cols in GROUPS for name, _ in cols]
COL = {name: i for i, name in enumerate(COLUMNS)}
STATUS_LABELS = dict(IncomeLedgerRow.Status.choices)


@dataclass(frozen=True)
class LedgerLine:
    township: str
    village: str
    number: str
    head_name: str
    head_id_masked: str
    previous_income: Any
    income: Any
    verified_income: Any
    cause: str
    data_error: bool
    correction: str
    measures: str
    responsible: str
    status: str
    note: str


def lines(rows: Iterable[IncomeLedgerRow]) -> Iterable[LedgerLine]:
    for row in rows:
        yield LedgerLine(
            township=row.ledger.township.name,
            village=row.household.area.name,
            number=row.household.number,
            head_name=getattr(row, "head_name", None) or "",
            head_id_masked=mask_id_number(getattr(row, "head_id_number", None)),
            previous_income=row.previous_income,
            income=row.income,
            verified_income=row.verified_income,
            cause=row.cause,
            data_error=row.data_error,
            correction=row.correction,
            measures="；".join(str(m) for m in row.measures.all()),
            responsible=str(row.responsible) if row.responsible else "",
            status=STATUS_LABELS[row.status],
            note=row.note,
        )


def title_for(county: str, township: str, year: int) -> str:
    return f"{county}{township}{year}年低收入人口收入下降核查整改台账"


class _Writer:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        base = {"border": 1, "valign": "vcenter", "font_size": 10}
        self.text = book.add_format({**base, "num_format": "@", "text_wrap": True})
        self.quoted = book.add_format({**base, "num_format": "@", "text_wrap": True, "quote_prefix": True})
        self.money = book.add_format({**base, "num_format": "#,##0.00"})
        self.number = book.add_format({**base, "align": "center"})
        self.header = book.add_format(
            {**base, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#E2EFDA"}
        )
        self.subtotal = book.add_format({**base, "bold": True, "num_format": "@", "bg_color": "#F2F2F2"})
        self.total = book.add_format({**base, "bold": True, "num_format": "@", "bg_color": "#D9D9D9"})
        self.title = book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
        self.subtitle = book.add_format({"font_size": 10, "align": "left", "valign": "vcenter"})

    def string(self, sheet: Any, r: int, c: int, value: str, fmt: Any = None) -> None:
        """Every text cell goes through here: a formula-like value is stored as text."""
        if fmt is None:
            fmt = self.quoted if is_formula_like(value) else self.text
        sheet.write_string(r, c, value, fmt)

    def money_or_blank(self, sheet: Any, r: int, c: int, value: Any) -> None:
        if value is None:
            sheet.write_blank(r, c, None, self.money)
        else:
            sheet.write_number(r, c, float(value), self.money)


def _summary(items: list[LedgerLine]) -> tuple[str, str]:
    errors = sum(1 for line in items if line.data_error)
    by_status = [
        f"{label}{sum(1 for line in items if line.status == label)}" for label in STATUS_LABELS.values()
    ]
    return f"数据错误 {errors} 户", "，".join(by_status)


def ledger_workbook(items: list[LedgerLine], *, title: str, subtitle: str) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    w = _Writer(book)
    sheet = book.add_worksheet("收入下降核查整改台账")
    last = len(COLUMNS) - 1
    sheet.merge_range(0, 0, 0, last, title, w.title)
    sheet.set_row(0, 30)
    sheet.merge_range(1, 0, 1, last, subtitle, w.subtitle)
    col = 0
    for group, cols in GROUPS:
        if len(cols) == 1:
            sheet.merge_range(2, col, 3, col, cols[0][0], w.header)
        else:
            sheet.merge_range(2, col, 2, col + len(cols) - 1, group, w.header)
            for offset, (name, _) in enumerate(cols):
                sheet.write_string(3, col + offset, name, w.header)
        for offset, (_, width) in enumerate(cols):
            sheet.set_column(col + offset, col + offset, width)
        col += len(cols)
    r = 4
    for township, township_lines in groupby(items, key=lambda line: line.township):
        members = list(township_lines)
        for serial, line in enumerate(members, start=1):
            _write_line(w, sheet, r, serial, line)
            r += 1
        _write_summary(w, sheet, r, f"{township}小计", members, w.subtotal)
        r += 1
    _write_summary(w, sheet, r, "合计", items, w.total)
    sheet.freeze_panes(4, 2)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(2, 3)
    book.close()
    return buffer.getvalue()


def _write_line(w: _Writer, sheet: Any, r: int, serial: int, line: LedgerLine) -> None:
    w.string(sheet, r, COL["乡镇"], line.township)
    sheet.write_number(r, COL["序号"], serial, w.number)
    w.string(sheet, r, COL["村（社区）"], line.village)
    w.string(sheet, r, COL["户编号"], line.number)
    w.string(sheet, r, COL["户主姓名"], line.head_name)
    w.string(sheet, r, COL["证件号码"], line.head_id_masked)
    w.money_or_blank(sheet, r, COL["上年"], line.previous_income)
    w.money_or_blank(sheet, r, COL["当年"], line.income)
    w.money_or_blank(sheet, r, COL["核实后"], line.verified_income)
    w.string(sheet, r, COL["下降原因"], line.cause)
    w.string(sheet, r, COL["是否数据错误"], "是" if line.data_error else "否")
    w.string(sheet, r, COL["更正情况"], line.correction)
    w.string(sheet, r, COL["增收措施"], line.measures)
    w.string(sheet, r, COL["责任人"], line.responsible)
    w.string(sheet, r, COL["状态"], line.status)
    w.string(sheet, r, COL["备注"], line.note)


def _write_summary(w: _Writer, sheet: Any, r: int, label: str, items: list[LedgerLine], fmt: Any) -> None:
    errors, by_status = _summary(items)
    for c in range(len(COLUMNS)):
        sheet.write_blank(r, c, None, fmt)
    w.string(sheet, r, COL["乡镇"], label, fmt)
    sheet.merge_range(r, COL["序号"], r, COL["证件号码"], f"共 {len(items)} 户", fmt)
    w.string(sheet, r, COL["是否数据错误"], errors, fmt)
    sheet.merge_range(r, COL["增收措施"], r, COL["备注"], by_status, fmt)


def _county_name(user: Any, townships: set[str]) -> str:
    code = next(iter(townships), None)
    if code is None and getattr(user, "org_unit_id", None):
        code = user.org_unit.area_id
    if code is None:
        return ""
    county = Area.objects.filter(code=normalise(code[:6])).values_list("name", flat=True).first()
    return county or ""


def ledger_workbook_for(user: Any, year: int, *, request: HttpRequest | None = None) -> tuple[bytes, str]:
    """The workbook of year Y over the user's scope (the county: every township; a
    township: its own), the filename, and an audit record of the export."""
    rows = selectors.ledger_rows(user, year=year).prefetch_related("measures")
    items = list(lines(rows))
    ledgers = selectors.ledgers_visible_to(user).filter(year=year).select_related("township")
    townships = {ledger.township_id: ledger.township.name for ledger in ledgers}
    county = _county_name(user, set(townships))
    scope_name = "" if selectors.sees_county(user) or len(townships) != 1 else next(iter(townships.values()))
    title = title_for(county, scope_name, year)
    unit = f"{county}{scope_name}" if scope_name else county
    subtitle = (
        f"收入年度：{year - 1}年→{year}年　填报单位：{unit}　"
        f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}　证件号码已脱敏"
    )
    content = ledger_workbook(items, title=title, subtitle=subtitle)
    audit_record(
        request=request,
        user=user,
        action=AuditEvent.Action.EXPORT,
        detail=f"导出{title}：{len(items)} 户（{len(townships)} 个乡镇），证件号码脱敏",
    )
    return content, quote(f"{title}.xlsx")
