"""`dixian income_focus --group CODE --year Y`: the 户编号 of every household of a focus
group (county-wide, no user), one per line, sorted. `--timings` writes the group's size and
the seconds it took to stderr; `--count` prints only the number of households."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dixian.income import focus
from dixian.registry.selectors import MissingParameter


class Command(BaseCommand):
    help = "列出重点关注群体（F01/F02/F03）的户编号"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--group", required=True, help=f"群体代码：{'、'.join(focus.GROUPS)}")
        parser.add_argument("--year", type=int, help="收入年度（默认取最近有收入记录的年度）")
        parser.add_argument("--count", action="store_true", help="只输出户数")
        parser.add_argument("--timings", action="store_true", help="在标准错误输出户数和用时")

    def handle(
        self, *args: Any, group: str, year: int | None, count: bool, timings: bool, **options: Any
    ) -> None:
        if group not in focus.GROUPS:
            raise CommandError(f"未知群体 {group}；可用：{'、'.join(focus.GROUPS)}")
        if year is None:
            years = focus.income_years()
            if not years:
                raise CommandError("没有收入记录")
            year = years[0]
        started = time.perf_counter()
        try:
            members = focus.group_members(group, year)
        except MissingParameter as exc:
            raise CommandError(str(exc)) from None
        n = 0
        if count:
            n = members.count()
            self.stdout.write(str(n))
        else:
            # One plain fetch, not .iterator(): PostgreSQL plans a server-side cursor for
            # the first rows (cursor_tuple_fraction) and picks nested loops that make the
            # whole group several times slower; the numbers of a group fit in memory.
            numbers = list(members.order_by("number").values_list("number", flat=True))
            n = len(numbers)
            if numbers:
                self.stdout.write("\n".join(numbers))
        if timings:
            self.stderr.write(f"{group}\t{year}\t{n}户\t{time.perf_counter() - started:.2f}s")
