"""Writing rows to xlsx and CSV (no database). Every cell is text; a cell that a
spreadsheet would read as a formula is neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import xlsxwriter

# Leading characters that make Excel, LibreOffice or WPS evaluate a cell (OWASP CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PROGRESS_EVERY = 2000


def is_formula_like(value: str) -> bool:
    return value.startswith(FORMULA_TRIGGERS)


def csv_safe(value: str) -> str:
    """A CSV cell with a leading apostrophe when it would be read as a formula."""
    return "'" + value if is_formula_like(value) else value


def csv_chunks(title_rows: list[str], header: list[str], rows: Iterable[list[str]]) -> Iterator[bytes]:
    """The CSV file as UTF-8 byte chunks with a BOM (so Excel reads the Chinese), the
    title rows first and the header on row 3 like the national files."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff".encode()
    for title in title_rows:
        writer.writerow([csv_safe(title)])
    writer.writerow(header)
    for n, row in enumerate(rows, start=1):
        writer.writerow([csv_safe(cell) for cell in row])
        if n % 500 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def write_csv(
    path: Path,
    title_rows: list[str],
    header: list[str],
    rows: Iterable[list[str]],
    progress: Callable[[int], None] | None = None,
    sheet_name: str = "",
) -> int:
    count = _Counter(rows, progress)
    with path.open("wb") as out:
        for chunk in csv_chunks(title_rows, header, count):
            out.write(chunk)
    return count.n


def write_xlsx(
    path: Path,
    title_rows: list[str],
    header: list[str],
    rows: Iterable[list[str]],
    progress: Callable[[int], None] | None = None,
    sheet_name: str = "户信息",
) -> int:
    """Write a workbook row by row in constant-memory mode; returns the number of data rows.

    Cells are strings in text format ("@"), so IDs and phones keep every digit and a
    cell starting with = + - @ is stored as a string with Excel's quote prefix: it shows
    as text and is never evaluated, and its value reads back unchanged."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    try:
        sheet = workbook.add_worksheet(sheet_name or "户信息")
        text = workbook.add_format({"num_format": "@"})
        quoted = workbook.add_format({"num_format": "@", "quote_prefix": True})
        bold = workbook.add_format({"bold": True, "num_format": "@"})
        title = workbook.add_format({"bold": True, "font_size": 14})
        for col, name in enumerate(header):
            sheet.set_column(col, col, max(8, min(24, len(name) * 2 + 2)), text)
        for r, line in enumerate(title_rows):
            sheet.write_string(r, 0, line, title if r == 0 else text)
        header_row = len(title_rows)
        for col, name in enumerate(header):
            sheet.write_string(header_row, col, name, bold)
        count = _Counter(rows, progress)
        for r, row in enumerate(count, start=header_row + 1):
            for col, cell in enumerate(row):
                if cell:
                    sheet.write_string(r, col, cell, quoted if is_formula_like(cell) else text)
        sheet.freeze_panes(header_row + 1, 0)
    finally:
        workbook.close()
    return count.n


class _Counter:
    """Iterate rows, counting them and reporting progress every few thousand."""

    def __init__(self, rows: Iterable[list[str]], progress: Callable[[int], None] | None) -> None:
        self.rows, self.progress, self.n = rows, progress, 0

    def __iter__(self) -> Iterator[list[str]]:
        for row in self.rows:
            self.n += 1
            if self.progress is not None and self.n % PROGRESS_EVERY == 0:
                self.progress(self.n)
            yield row
        if self.progress is not None:
            self.progress(self.n)
