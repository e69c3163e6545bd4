"""Yearly household incomes 2022–2025 (DOMAIN.md §6).

A household's per-capita net income starts from a lognormal 2022 level shaped by its
labour and burdens, then moves year by year: most rise 3–8%, about 8% fall in a given
year and about 2% fall two years running (the groups the notice's section 2 chases).
Components are whole yuan, so the database's rounded per-capita figure equals
`registry.income.per_capita_net_income` on both SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
import random

from dixian.demo.people import Profile

YEARS = (2022, 2023, 2024, 2025)
INCOME_COLUMNS = (
    "id", "household_id", "year", "wage", "business", "property_income", "transfer",
    "business_expense", "compliant_out_of_pocket", "members",
)  # fmt: skip

MEDIAN_2022 = {True: 14_000.0, False: 13_600.0}  # per capita, 脱贫户 / 一般农户
SIGMA = 0.26
FALL_ODDS = 0.075  # a household's income falls in a given year
TWO_YEAR_FALL_ODDS = 0.02


def base_income(rng: random.Random, profile: Profile, alleviated: bool) -> float:
    """Per-capita net income of 2022."""
    capacity = (profile.labour + 0.5 * profile.weak) / profile.size
    factor = 0.78 + 0.36 * min(1.0, capacity * 1.6)
    if profile.students >= 2:
        factor *= 0.92
    if profile.serious:
        factor *= 0.9
    return MEDIAN_2022[alleviated] * factor * math.exp(rng.gauss(0.0, SIGMA))


def trajectory(rng: random.Random, base: float, overrides: dict[int, float]) -> list[float]:
    """Per-capita net income for each of YEARS; `overrides` fixes a year's growth rate."""
    r = rng.random
    forced: set[int] = set()
    if r() < TWO_YEAR_FALL_ODDS:
        forced = {2023, 2024} if r() < 0.6 else {2024, 2025}
    values = [base]
    fell = False
    for year in YEARS[1:]:
        if year in overrides:
            growth = overrides[year]
        elif year in forced or (not fell and r() < FALL_ODDS):
            growth = -(0.03 + r() * 0.27)
        else:
            x = r()
            growth = 0.03 + r() * 0.05 if x < 0.9 else (0.08 + r() * 0.12 if x < 0.97 else r() * 0.03)
        fell = growth < 0
        values.append(values[-1] * (1 + growth))
    return values


def _shares(r, profile: Profile) -> tuple[float, float, float, float]:
    """(transfer, property, business net, expense ratio) shares of net income."""
    if profile.no_labour:
        transfer = 0.55 + r() * 0.35
    elif profile.dibao or profile.tekun:
        transfer = 0.3 + r() * 0.2
    elif profile.elderly:
        transfer = 0.12 + r() * 0.18
    else:
        transfer = 0.05 + r() * 0.13
    prop = 0.005 + r() * 0.035 if r() < 0.3 else 0.0
    business = 0.05 + r() * 0.35 if profile.labour and r() < 0.45 else 0.0
    business = min(business, max(0.0, 1 - transfer - prop))
    return transfer, prop, business, 0.25 + r() * 0.25


def out_of_pocket(r, profile: Profile) -> int:
    """合规自付支出 of one year."""
    if profile.serious:
        return int(3000 + r() * 27_000)
    if profile.chronic:
        return int(300 + r() * 3700)
    if profile.disabled:
        return int(200 + r() * 1800)
    return 0 if r() < 0.7 else int(50 + r() * 750)


def income_rows(
    rng: random.Random,
    profile: Profile,
    *,
    household_id: int,
    first_id: int,
    per_capita: list[float],
    extra_out_of_pocket: dict[int, int],
) -> list[tuple]:
    """One row per year in INCOME_COLUMNS order; components add up to the household's net."""
    r = rng.random
    transfer_s, prop_s, business_s, expense_ratio = _shares(r, profile)
    rows = []
    for i, (year, pcn) in enumerate(zip(YEARS, per_capita, strict=True)):
        net = round(pcn * profile.size)
        jitter = 0.9 + r() * 0.2
        transfer = round(net * transfer_s * jitter)
        prop = round(net * prop_s)
        business_net = round(net * business_s)
        wage = net - transfer - prop - business_net
        if wage < 0:  # jitter pushed transfers past the total: take it back from them
            transfer += wage
            wage = 0
        business = round(business_net / (1 - expense_ratio)) if business_net else 0
        expense = business - business_net
        oop = out_of_pocket(r, profile) + extra_out_of_pocket.get(year, 0)
        rows.append(
            (first_id + i, household_id, year, wage, business, prop, transfer, expense, oop, profile.size)
        )
    return rows
