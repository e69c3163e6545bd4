"""Reading exports back the way a user's spreadsheet would."""

from __future__ import annotations

import csv
import io
import zipfile

from python_calamine import CalamineWorkbook

from dixian.exports.layout import HOUSEHOLD_HEADER

NUMBER = HOUSEHOLD_HEADER.index("户编号")
NAME = HOUSEHOLD_HEADER.index("姓名")
ID_NUMBER = HOUSEHOLD_HEADER.index("证件号码")
PHONE = HOUSEHOLD_HEADER.index("户联系电话")


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def xlsx_rows(content: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def data_rows(rows: list[list]) -> list[list]:
    """The rows under the header (row 3)."""
    return [r for r in rows[3:] if any(r)]


def numbers(rows: list[list]) -> set[str]:
    return {r[NUMBER] for r in data_rows(rows)}
