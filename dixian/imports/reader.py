"""Reading the national system's files: xlsx/xls/ods through python-calamine, or CSV.

The header is the first of the first five rows whose cells name known columns (the rows
above it are titles, often merged). Rows come lazily as `RawRow`s keyed by canonical
column name, values as text; what the reader itself finds wrong with a cell (an ID
number stored as a number) travels with the row as an error, so that staging reports it
like any other.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from python_calamine import CalamineWorkbook

from dixian.imports.columns import (
    ID_NUMBER,
    Kind,
    columns_by_name,
    detect_kind,
    is_known_column,
    normalise_header,
    required_columns,
)

HEADER_SEARCH_ROWS = 5
LOST_PRECISION = "证件号码以数字存储，精度已丢失"


class ImportFileError(Exception):
    """The file cannot be imported at all; the message is for the uploader."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.batch: Any = None  # set by batch_create, which keeps the failed batch


@dataclass
class RawRow:
    number: int  # 1-based Excel row number
    values: dict[str, str]
    errors: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Table:
    kind: Kind
    header_row: int
    columns: list[str]  # canonical names of the known columns present, in file order
    extra_columns: list[str]
    _rows: Iterator[list[Any]]
    _positions: list[tuple[int, str]]
    _first_number: int

    def rows(self) -> Iterator[RawRow]:
        """The data rows below the header, blank rows skipped. Single use."""
        number = self._first_number
        for cells in self._rows:
            number += 1
            row = _raw_row(number, cells, self._positions)
            if row is not None:
                yield row


# --- file sniffing -----------------------------------------------------------------

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")


def _sniff(head: bytes, filename: str) -> str:
    """'excel', 'ole' (xls or encrypted xlsx) or 'csv'; raises for anything else."""
    if not head:
        raise ImportFileError("文件为空")
    if head.startswith(ZIP_MAGIC):
        return "excel"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(b"%PDF"):
        raise ImportFileError("该文件不是Excel文件（实为PDF），请上传国家系统导出的xlsx文件")
    if filename.lower().endswith((".csv", ".txt")) and b"\x00" not in head[:4096]:
        return "csv"
    raise ImportFileError("该文件不是Excel文件，请上传国家系统导出的xlsx、xls或ods文件（或csv）")


def open_table(source: str | IO[bytes], *, filename: str = "", kind: Kind | None = None) -> Table:
    """Open a file and locate its header; raises ImportFileError with the reason."""
    stream = open(source, "rb") if isinstance(source, str) else source  # noqa: SIM115
    filename = filename or (source if isinstance(source, str) else getattr(source, "name", "") or "")
    stream.seek(0)
    data = stream.read()
    fmt = _sniff(data[:8192], str(filename))
    if fmt == "csv":
        rows: Iterator[list[Any]] = _csv_rows(data)
    else:
        if fmt == "ole" and ENCRYPTED_MARK in data:
            raise ImportFileError("该Excel文件设有密码，请取消密码保护后重新导出上传")
        rows = _excel_rows(data)
    return _locate_header(rows, kind)


def _refuse_zip_bomb(data: bytes) -> None:
    """An xlsx/ods is a zip: refuse one that would unpack to more than the configured size
    (DIXIAN_IMPORT_MAX_UNPACKED_MB) before the reader unpacks it, as a zip bomb would."""
    limit_mb = getattr(settings, "IMPORT_MAX_UNPACKED_MB", 512)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a readable zip: the reader says the file is damaged
    if unpacked > limit_mb * 1024 * 1024:
        raise ImportFileError(
            f"文件解压后约 {unpacked / 1024 / 1024:,.0f} MB，超过上限 {limit_mb} MB"
            "（疑似压缩炸弹或过大的文件），未读取；请按乡镇分批导出后上传"
        )


def _excel_rows(data: bytes) -> Iterator[list[Any]]:
    if data.startswith(ZIP_MAGIC):
        _refuse_zip_bomb(data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise ImportFileError("Excel文件中没有工作表")
        sheet = workbook.get_sheet_by_index(0)
    except ImportFileError:
        raise
    except Exception as exc:
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise ImportFileError("该Excel文件设有密码，请取消密码保护后重新导出上传") from None
        raise ImportFileError("Excel文件已损坏或格式无法识别，请重新导出后上传") from None
    if not sheet.height and len(workbook.sheet_names) > 1:
        # Only the first sheet is read (the national files have one): say so, rather
        # than calling a workbook with data on its other sheets empty.
        raise ImportFileError(
            f"只读取第一个工作表，但第一个工作表「{workbook.sheet_names[0]}」是空的"
            f"（共{len(workbook.sheet_names)}个工作表），请把数据放在第一个工作表后重新上传"
        )
    return _rows_from_the_top(sheet)


def _rows_from_the_top(sheet: Any) -> Iterator[list[Any]]:
    """The sheet's rows from Excel's row 1, so that row numbers stay Excel's.
    python-calamine 0.9 yields the blank rows above the used range itself; earlier
    versions start at the first used row, which is never blank: pad only then."""
    start_row = (sheet.start or (0, 0))[0] if sheet.height else 0
    rows = iter(sheet.iter_rows())
    if not start_row:
        return rows
    first = next(rows, None)
    if first is None:
        return iter(())
    if any(cell not in ("", None) for cell in first):
        return _prepend_blank(start_row, itertools.chain([first], rows))
    return itertools.chain([first], rows)


def _prepend_blank(count: int, rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
    for _ in range(count):
        yield []
    yield from rows


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError("CSV文件编码无法识别，请另存为UTF-8编码")
    if data.startswith(codecs.BOM_UTF8):
        text = text.lstrip("\ufeff")
    return iter(csv.reader(io.StringIO(text)))


def _locate_header(rows: Iterator[list[Any]], kind: Kind | None) -> Table:
    seen_any = False
    for index in range(HEADER_SEARCH_ROWS):
        try:
            cells = next(rows)
        except StopIteration:
            break
        texts = [cell_text(c) for c in cells]
        seen_any = seen_any or any(texts)
        names = [normalise_header(t) if t else "" for t in texts]
        known = [n for n in names if n and is_known_column(n)]
        if len(known) < 2:
            continue
        detected = detect_kind(known)
        if detected is None:
            continue
        if kind is not None and detected != kind:
            raise ImportFileError(f"文件内容是「{detected.label}」，与所选类型「{kind.label}」不符")
        return _table(detected, index, names, rows)
    if not seen_any:
        raise ImportFileError("文件中没有数据（工作簿为空）")
    raise ImportFileError(
        "前5行中找不到表头：无法识别的文件类型（应为户信息、监测对象信息、已外出务工信息或计划外出务工信息）"
    )


def _table(kind: Kind, index: int, names: list[str], rows: Iterator[list[Any]]) -> Table:
    known = columns_by_name(kind)
    positions: list[tuple[int, str]] = []
    extra: list[str] = []
    for pos, name in enumerate(names):
        if not name:
            continue
        if name in known and name not in {n for _, n in positions}:
            positions.append((pos, name))
        else:
            extra.append(name)
    present = {n for _, n in positions}
    missing = [n for n in required_columns(kind) if n not in present]
    if missing:
        raise ImportFileError(f"「{kind.label}」文件缺少必需的列：{'、'.join(missing)}")
    return Table(
        kind=kind,
        header_row=index + 1,
        columns=[n for _, n in positions],
        extra_columns=extra,
        _rows=rows,
        _positions=positions,
        _first_number=index + 1,
    )


def _raw_row(number: int, cells: list[Any], positions: list[tuple[int, str]]) -> RawRow | None:
    values: dict[str, str] = {}
    errors: list[dict[str, str]] = []
    width = len(cells)
    for pos, name in positions:
        cell = cells[pos] if pos < width else ""
        if type(cell) is str:
            values[name] = cell.strip()
        elif name == ID_NUMBER and isinstance(cell, float | int) and not isinstance(cell, bool):
            text, lost = numeric_id_text(cell)
            if lost:
                errors.append({"column": name, "value": text, "reason": LOST_PRECISION})
            values[name] = text
        else:
            values[name] = cell_text(cell)
    if not any(values.values()):
        return None
    return RawRow(number=number, values=values, errors=errors)


# --- cell values -------------------------------------------------------------------


def cell_text(cell: Any) -> str:
    """A cell as the text the national system meant: whole numbers without '.0',
    dates as YYYY-MM-DD, booleans as 是/否."""
    if type(cell) is str:  # nearly every cell of a national file
        return cell.strip()
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "是" if cell else "否"
    if isinstance(cell, float):
        if cell.is_integer():
            return str(int(cell))
        return repr(cell)
    if isinstance(cell, dt.datetime):
        return cell.strftime("%Y-%m-%d") if cell.time() == dt.time() else cell.isoformat(sep=" ")
    if isinstance(cell, dt.date):
        return cell.strftime("%Y-%m-%d")
    return str(cell).strip()


def numeric_id_text(cell: float | int) -> tuple[str, bool]:
    """An ID cell stored as a number: its digits, and whether precision was lost.
    Excel keeps 15 significant digits, so no 18-digit ID survives being a number."""
    value = int(cell) if float(cell).is_integer() else cell
    text = f"{value:.0f}" if isinstance(value, float) else str(value)
    lost = abs(cell) >= 10**15
    return text, lost


EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_MONTH_PATTERNS = [
    re.compile(r"^(\d{4})(\d{2})$"),
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月$"),
]


def excel_serial_date(value: float) -> dt.date:
    return EXCEL_EPOCH + dt.timedelta(days=int(value))


def parse_date(text: str) -> dt.date:
    """YYYY-MM-DD, YYYY/M/D, YYYYMMDD, YYYY年M月D日 or an Excel serial number (1–99999).
    Raises ValueError."""
    text = (text or "").strip()
    if " " in text:
        text = text.split(" ", 1)[0]
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if re.fullmatch(r"\d{1,5}(\.\d+)?", text) and float(text) >= 1:
        return excel_serial_date(float(text))
    raise ValueError(text)


def parse_month(text: str) -> dt.date:
    """YYYYMM (the national system's month), YYYY-MM, or any date: the first day of the month."""
    text = (text or "").strip()
    for pattern in _MONTH_PATTERNS:
        m = pattern.match(text)
        if m:
            return dt.date(int(m[1]), int(m[2]), 1)
    return parse_date(text).replace(day=1)
