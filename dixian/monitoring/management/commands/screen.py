"""`dixian screen [--year Y] [--as-of D] [--timings]`: run every screening rule over the
county and print `CODE<TAB>count` per rule (pending warnings after the run).

With --timings, stderr gets one line per rule as it finishes: the code, the pending
count, the seconds of each phase (查询 the rule's query and evidence, 比对 reading and
comparing the stored warnings, 写入 inserting/refreshing/expiring warnings), the rule's
total, and how many households fired, how many warnings were created, refreshed and
expired; then a 合计 line with the whole run's seconds.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dixian.monitoring.management.commands._screening_args import add_year_and_as_of, today
from dixian.monitoring.screening_services import RuleRun, run_screening
from dixian.registry.selectors import MissingParameter

PHASES = (("query", "查询"), ("reconcile", "比对"), ("write", "写入"))


class Command(BaseCommand):
    help = "运行全部预警规则，输出每条规则的待核实预警数"

    def add_arguments(self, parser: CommandParser) -> None:
        add_year_and_as_of(parser)
        parser.add_argument(
            "--timings", action="store_true", help="在标准错误输出中给出每条规则各阶段的用时（秒）"
        )

    def handle(self, *args: Any, year: int | None, as_of: Any, timings: bool = False, **options: Any) -> None:
        started = time.perf_counter()
        try:
            counts = run_screening(
                year=year, as_of=as_of or today(), report=self._report_timing if timings else None
            )
        except MissingParameter as exc:
            raise CommandError(str(exc)) from exc
        for code, count in counts.items():
            self.stdout.write(f"{code}\t{count}")
        if timings:
            self.stderr.write(f"合计\t{len(counts)}条规则\t{time.perf_counter() - started:.2f}s")

    def _report_timing(self, run: RuleRun) -> None:
        phases = "\t".join(f"{label} {run.seconds.get(key, 0.0):.2f}s" for key, label in PHASES)
        self.stderr.write(
            f"{run.code}\t{run.pending}\t{phases}\t合计 {run.total:.2f}s\t"
            f"命中 {run.fired}，新增 {run.created}，更新 {run.refreshed}，失效 {run.expired}"
        )
