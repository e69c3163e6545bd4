"""dixian import_villages FILE: village areas and committees from a list (区划代码/代码, 名称, 乡镇代码)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dixian.imports.reader import ImportFileError, _csv_rows, _excel_rows, _sniff, cell_text
from dixian.imports.villages import village_upsert

CODE, NAME, TOWNSHIP = "区划代码", "名称", "乡镇代码"
ALIASES = {"代码": CODE, "村名称": NAME, "村名": NAME, "乡镇区划代码": TOWNSHIP}


class Command(BaseCommand):
    help = "导入村（社区）名单：区划代码、名称、乡镇代码"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        data = path.read_bytes()
        try:
            fmt = _sniff(data[:8192], path.name)
            rows = _csv_rows(data) if fmt == "csv" else _excel_rows(data)
        except ImportFileError as exc:
            raise CommandError(exc.message) from None
        header: dict[str, int] | None = None
        created = failed = 0
        with transaction.atomic():
            for number, cells in enumerate(rows, start=1):
                texts = [cell_text(c) for c in cells]
                if header is None:
                    names = [ALIASES.get(t.strip(), t.strip()) for t in texts]
                    if {CODE, NAME, TOWNSHIP} <= set(names):
                        header = {n: i for i, n in enumerate(names)}
                    continue
                if not any(texts):
                    continue
                code, name = _cell(texts, header, CODE), _cell(texts, header, NAME)
                township = _cell(texts, header, TOWNSHIP).ljust(12, "0")
                try:
                    _, changed = village_upsert(code=code or None, name=name, township_code=township)
                except ValueError as exc:
                    failed += 1
                    self.stdout.write(f"第{number}行\t{code}\t{name}\t{exc}")
                    continue
                created += changed
        if header is None:
            raise CommandError(f"找不到表头（应有列：{CODE}、{NAME}、{TOWNSHIP}）")
        self.stdout.write(f"新增或更新{created}个村，{failed}行有错误")
        if failed and not created:
            raise CommandError("没有导入任何村")


def _cell(texts: list[str], header: dict[str, int], column: str) -> str:
    index = header[column]
    return texts[index].strip() if index < len(texts) else ""
