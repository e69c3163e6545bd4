"""`dixian income_ledger --generate --year Y`: make the income-decline ledgers of Y−1 → Y;
without --generate, list each township's ledger of Y."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Q

from dixian.income.ledger import services
from dixian.income.models import IncomeLedger, IncomeLedgerRow


class Command(BaseCommand):
    help = "生成（--generate）或列出某收入年度的低收入人口收入下降核查整改台账（上年→当年）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="收入年度 Y（与 Y−1 年比较）")
        parser.add_argument("--generate", action="store_true", help="生成台账：新增收入下降户，已有行不变")

    def handle(self, *args: Any, year: int, generate: bool, **options: Any) -> None:
        if year < 2000:
            raise CommandError("--year 应为四位年份")
        if generate:
            result = services.ledger_generate(year=year)
            self.stdout.write(
                f"{year - 1}→{year}：新建台账 {result.ledgers_created} 本，新增 {result.rows_added} 户"
                + (
                    f"；{result.skipped_submitted} 户所在乡镇台账已报送，未加入"
                    if result.skipped_submitted
                    else ""
                )
            )
        pending = Count("rows", filter=Q(rows__status=IncomeLedgerRow.Status.PENDING))
        ledgers = (
            IncomeLedger.objects.filter(year=year)
            .select_related("township")
            .annotate(n=Count("rows"), p=pending)
        )
        for ledger in ledgers.order_by("township_id"):
            self.stdout.write(
                f"{ledger.township_id}\t{ledger.township.name}\t{ledger.get_status_display()}\t{ledger.n}\t待核查 {ledger.p}"
            )
