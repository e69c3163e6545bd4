"""Import of national-system files (issue 3). The public API:

* `batch_create(*, uploaded_file, filename, user, year, kind=None) -> ImportBatch`
* `batch_stage(*, batch, progress=None) -> ImportBatch`
* `batch_commit(*, batch, mode, actor, create_villages=False) -> ImportBatch`
* `rejected_rows_workbook(batch) -> bytes`
* `village_upsert(*, code, name, township_code, actor=None) -> (Area, changed)`

All run synchronously; `dixian.imports.tasks` runs staging and commit in the background.
"""

from __future__ import annotations

import io

import xlsxwriter

from dixian.imports.commit import CommitRefused, batch_commit, missing_villages
from dixian.imports.models import ImportBatch, StagedRow
from dixian.imports.reader import ImportFileError
from dixian.imports.staging import batch_create, batch_stage
from dixian.imports.villages import village_upsert

__all__ = [
    "CommitRefused",
    "ImportFileError",
    "batch_commit",
    "batch_create",
    "batch_stage",
    "missing_villages",
    "rejected_rows_workbook",
    "village_upsert",
]


def rejected_rows_workbook(batch: ImportBatch) -> bytes:
    """An xlsx listing every error of the batch's rejected rows: 行号, 列, 值, 原因."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet("错误行")
    bold = workbook.add_format({"bold": True})
    text = workbook.add_format({"num_format": "@"})
    sheet.write_row(0, 0, ["行号", "户编号", "证件号码", "列", "值", "原因"], bold)
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 4, 22, text)
    sheet.set_column(5, 5, 60)
    line = 1
    rows = batch.rows.filter(action=StagedRow.Action.REJECT).order_by("row_number")
    for row in rows.iterator(chunk_size=2000):
        for error in row.errors:
            sheet.write_number(line, 0, row.row_number)
            for col, value in enumerate(
                [row.household_number, row.id_number, error["column"], error["value"], error["reason"]],
                start=1,
            ):
                sheet.write_string(line, col, str(value), text)
            line += 1
    workbook.close()
    return buffer.getvalue()
