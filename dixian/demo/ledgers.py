"""The demo's income-decline ledgers (notice §2): generated for the demo's latest year
pair so every township has one, with the first few rows of each township marked 已核查
(deterministically: by 户编号, causes in turn). Written like the bulk-loaded demo rows:
set-based, without history rows."""

from __future__ import annotations

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from dixian.income.ledger import services
from dixian.income.models import DeclineCause, IncomeLedgerRow

VERIFIED_PER_TOWNSHIP = 3
DEMO_CAUSES = [c for c in DeclineCause.values if c != DeclineCause.DATA_ERROR]


def generate_ledgers(year: int) -> str:
    result = services.ledger_generate(year=year)
    first = (
        IncomeLedgerRow.objects.filter(ledger__year=year, status=IncomeLedgerRow.Status.PENDING)
        .annotate(n=Window(RowNumber(), partition_by=[F("ledger_id")], order_by=F("household__number").asc()))
        .values_list("pk", "n")
    )
    chosen = sorted(pk for pk, n in first if n <= VERIFIED_PER_TOWNSHIP)
    for i, cause in enumerate(DEMO_CAUSES):
        IncomeLedgerRow.objects.filter(pk__in=chosen[i :: len(DEMO_CAUSES)]).update(
            status=IncomeLedgerRow.Status.VERIFIED, cause=cause, verified_income=F("income"), version=1
        )
    return (
        f"收入下降核查整改台账 {year - 1}→{year}：{result.ledgers_created} 个乡镇，"
        f"{result.rows_added} 户，其中 {len(chosen)} 户已核查"
    )
