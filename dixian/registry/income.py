"""Per-capita net income (DOMAIN.md §6), as a plain function."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def per_capita_net_income(
    *,
    wage: Decimal,
    business: Decimal,
    property_income: Decimal,
    transfer: Decimal,
    business_expense: Decimal,
    members: int,
) -> Decimal:
    """(工资性 + 生产经营性 + 财产性 + 转移性 − 生产经营性支出) ÷ 家庭常住人口, to the fen."""
    if members <= 0:
        raise ValueError("家庭常住人口应大于0")
    net = Decimal(wage) + Decimal(business) + Decimal(property_income) + Decimal(transfer)
    net -= Decimal(business_expense)
    return (net / members).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
