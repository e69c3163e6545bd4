"""`dixian screen [--year Y] [--as-of D]`: run every screening rule over the county and
print `CODE<TAB>count` per rule (pending warnings after the run)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dixian.monitoring.management.commands._screening_args import add_year_and_as_of, today
from dixian.monitoring.screening_services import run_screening
from dixian.registry.selectors import MissingParameter


class Command(BaseCommand):
    help = "运行全部预警规则，输出每条规则的待核实预警数"

    def add_arguments(self, parser: CommandParser) -> None:
        add_year_and_as_of(parser)

    def handle(self, *args: Any, year: int | None, as_of: Any, **options: Any) -> None:
        try:
            counts = run_screening(year=year, as_of=as_of or today())
        except MissingParameter as exc:
            raise CommandError(str(exc)) from exc
        for code, count in counts.items():
            self.stdout.write(f"{code}\t{count}")
