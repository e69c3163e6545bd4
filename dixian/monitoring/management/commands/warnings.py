"""`dixian warnings --rule CODE [--year Y] [--as-of D]`: the 户编号 of each household with
a pending warning of the rule, one per line, sorted. With --year or --as-of, only the
warnings of that run's year (Y as `screen` resolves it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dixian.monitoring.management.commands._screening_args import add_year_and_as_of, today
from dixian.monitoring.models import ScreeningWarning
from dixian.monitoring.rules import RULES
from dixian.monitoring.screening_services import screening_year


class Command(BaseCommand):
    help = "按规则列出有待核实预警的户编号"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rule", required=True, help="规则代码，如 R05-BELOW-LINE-UNMONITORED")
        add_year_and_as_of(parser)

    def handle(self, *args: Any, rule: str, year: int | None, as_of: Any, **options: Any) -> None:
        if rule not in RULES:
            raise CommandError(f"未知规则 {rule}；可用：{', '.join(RULES)}")
        warnings = ScreeningWarning.objects.filter(rule=rule, status=ScreeningWarning.Status.PENDING)
        if year is not None or as_of is not None:
            warnings = warnings.filter(year=screening_year(year, as_of or today()))
        numbers = warnings.values_list("household__number", flat=True).order_by("household__number")
        for number in numbers.iterator(chunk_size=5000):
            self.stdout.write(number)
