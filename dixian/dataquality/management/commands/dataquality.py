"""`dixian dataquality`: run the data-quality checks (疑点数据核查) over the whole county.

    dixian dataquality --catalogue            CODE<TAB>severity<TAB>description, by code
    dixian dataquality [--check CODE] [--year Y] [--as-of YYYY-MM-DD] [--timings]
                                              CODE<TAB>户编号<TAB>masked 证件号码 per finding

Findings go to stdout sorted by code, 户编号 and ID (empty ID for household-level checks);
a count per check goes to stderr (with --timings also the seconds the check took, and a
total line at the end).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dixian.core.masking import mask_id_number
from dixian.dataquality.checks import BY_CODE, CATALOGUE, Level
from dixian.dataquality.selectors import county_context, finding_rows
from dixian.registry.parameters import ParameterError


class Command(BaseCommand):
    help = "疑点数据核查：列出检查目录，或运行检查并逐行输出疑点（证件号码脱敏）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--catalogue", action="store_true", help="只列出检查目录")
        parser.add_argument("--check", action="append", default=[], help="只运行此检查代码（可重复）")
        parser.add_argument("--year", type=int, help="数据年度（收入与年度参数），默认基准日前一年")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, help="年龄与期限的基准日，默认今天")
        parser.add_argument("--timings", action="store_true", help="在标准错误输出中给出每项检查的用时（秒）")

    def handle(
        self,
        *args: Any,
        catalogue: bool,
        check: list[str],
        year: int | None,
        as_of: Any,
        timings: bool = False,
        **_: Any,
    ) -> None:
        if catalogue:
            for c in CATALOGUE:
                self.stdout.write(f"{c.code}\t{c.severity}\t{c.description}")
            return
        unknown = [code for code in check if code.upper() not in BY_CODE]
        if unknown:
            raise CommandError(f"未知检查代码：{', '.join(unknown)}")
        selected = [BY_CODE[code.upper()] for code in check] if check else CATALOGUE
        ctx = county_context(year=year, as_of=as_of)
        started = time.monotonic()
        for c in sorted(selected, key=lambda c: c.code):
            began = time.monotonic()
            try:
                rows = finding_rows(c, ctx)
            except ParameterError as exc:
                self.stderr.write(f"{c.code}\t未运行：{exc}")
                continue
            for row in rows:
                masked = mask_id_number(row.id_number) if c.level is Level.PERSON else ""
                self.stdout.write(f"{c.code}\t{row.number}\t{masked}")
            seconds = f"\t{time.monotonic() - began:.2f}s" if timings else ""
            self.stderr.write(f"{c.code}\t{len(rows)}{seconds}")
        if timings:
            self.stderr.write(f"合计\t{len(selected)}项检查\t{time.monotonic() - started:.2f}s")
