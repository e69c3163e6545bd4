"""Income growth of the 脱贫 population and of monitored households against the national
and county benchmarks (notice §2, DOMAIN.md §6), and the income distribution.

Average per-capita net income of a group in year Y is weighted by people: the group's
total net income (工资性 + 生产经营性 + 财产性 + 转移性 − 生产经营性支出, over its income
records of Y) divided by the total resident members of those records — what a statistics
bureau's "人均" means, so a one-person household weighs less than a six-person one.
The growth rate of Y is that average over the previous year's, minus one, and is
compared with the year's `national_rural_growth` and `county_rural_growth` parameters.

Populations: 脱贫人口 = households of type 脱贫户 (monitored or not); 监测对象 = households
monitored now (`monitoring.rules.base.monitored_cases`), followed over every year.

Scope: figures per township are data about that township's households, so a user sees
rows only for what their scope covers — a county-wide user every township and the county
total; anyone else one row over their own scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Exists, F, QuerySet, Sum, Value
from django.db.models.functions import Floor, Substr

from dixian.accounts.roles import AREA_ROLES
from dixian.accounts.scope import area_prefix_of, households_visible_to
from dixian.areas.codes import SIGNIFICANT_DIGITS, Level
from dixian.areas.models import Area
from dixian.core.db import ExactDivide
from dixian.monitoring.rules.base import monitored_cases
from dixian.registry.choices import HouseholdType
from dixian.registry.models import Household
from dixian.registry.selectors import MissingParameter, ParameterValue, parameter_value

POPULATIONS: dict[str, str] = {"alleviated": "脱贫人口", "monitored": "监测对象"}
BIN_WIDTH = 2000  # yuan per histogram bar (a display choice, not a rule)
TOP_BIN = 20  # the last bar holds everything from TOP_BIN × BIN_WIDTH up
NET_INCOME = (
    F("incomes__wage")
    + F("incomes__business")
    + F("incomes__property_income")
    + F("incomes__transfer")
    - F("incomes__business_expense")
)
CENT = Decimal("0.01")


def population_households(kind: str, households: QuerySet[Household] | None = None) -> QuerySet[Household]:
    qs = Household.objects.all() if households is None else households
    if kind == "alleviated":
        return qs.filter(household_type=HouseholdType.ALLEVIATED)
    if kind == "monitored":
        return qs.filter(Exists(monitored_cases()))
    raise KeyError(kind)


# ---------------------------------------------------------------- benchmarks


@dataclass(frozen=True)
class Benchmarks:
    """The year's national and county rural growth (None: not set for that year)."""

    national: ParameterValue | None
    county: ParameterValue | None

    @property
    def national_text(self) -> str:
        return _benchmark_text(self.national)

    @property
    def county_text(self) -> str:
        return _benchmark_text(self.county)


def percent_text(ratio: Decimal | None, *, signed: bool = False) -> str:
    """0.0398 -> "3.98%" ("+3.98%" when signed); None -> "—"."""
    if ratio is None:
        return "—"
    text = f"{(Decimal(ratio) * 100).quantize(CENT)}".rstrip("0").rstrip(".") + "%"
    return f"+{text}" if signed and ratio > 0 else text


def _benchmark_text(p: ParameterValue | None) -> str:
    if p is None:
        return "未设置"
    suffix = f"（沿用{p.set_in}年）" if p.carried_forward else ""
    return percent_text(Decimal(p.value)) + suffix


def benchmarks(years: list[int]) -> dict[int, Benchmarks]:
    def value(code: str, year: int) -> ParameterValue | None:
        try:
            return parameter_value(code, year)
        except MissingParameter:
            return None

    return {y: Benchmarks(value("national_rural_growth", y), value("county_rural_growth", y)) for y in years}


# ---------------------------------------------------------------- the table


@dataclass
class YearFigure:
    year: int
    households: int = 0
    people: int = 0
    total: Decimal = Decimal(0)
    previous_average: Decimal | None = None
    bench: Benchmarks | None = None

    @property
    def average(self) -> Decimal | None:
        return None if not self.people else (self.total / self.people).quantize(CENT)

    @property
    def growth(self) -> Decimal | None:
        """Growth over the previous year's average (None without both years)."""
        if self.average is None or not self.previous_average:
            return None
        return self.average / self.previous_average - 1

    @property
    def growth_text(self) -> str:
        return percent_text(self.growth, signed=True)

    @property
    def below(self) -> list[str]:
        """The benchmarks the growth does not beat ("全国", "全县")."""
        growth, bench = self.growth, self.bench
        if growth is None or bench is None:
            return []
        pairs = (("全国", bench.national), ("全县", bench.county))
        return [name for name, p in pairs if p is not None and growth <= Decimal(p.value)]

    @property
    def missing(self) -> list[str]:
        bench = self.bench
        if self.growth is None or bench is None:
            return []
        return [name for name, p in (("全国", bench.national), ("全县", bench.county)) if p is None]

    @property
    def status(self) -> str:
        """above (green: beats both), below (fails one), unset (a benchmark missing), none."""
        if self.growth is None:
            return "none"
        if self.below:
            return "below"
        return "unset" if self.missing else "above"


@dataclass
class GrowthRow:
    label: str
    code: str  # 9-digit township code, "" for the user's scope row, "county" for the county
    figures: list[YearFigure] = field(default_factory=list)

    @property
    def is_county(self) -> bool:
        return self.code == "county"


@dataclass
class GrowthTable:
    population: str  # key of POPULATIONS
    label: str
    years: list[int]
    benchmarks: dict[int, Benchmarks]
    rows: list[GrowthRow]


def _sums(qs: QuerySet[Household], *, by_township: bool) -> dict[tuple[str, int], tuple[int, int, Decimal]]:
    """(township or "", year) → (households, people, total net income), one grouped query."""
    keys = ["town", "year"] if by_township else ["year"]
    rows = (
        qs.filter(incomes__isnull=False)
        .annotate(town=Substr("area_id", 1, 9), year=F("incomes__year"))
        .values(*keys)
        .annotate(
            n=Count("incomes__id"),
            people=Sum("incomes__members"),
            total=Sum(NET_INCOME, output_field=DecimalField(max_digits=20, decimal_places=2)),
        )
        .order_by()
    )
    return {
        (row.get("town", ""), row["year"]): (row["n"], row["people"] or 0, Decimal(row["total"] or 0))
        for row in rows
    }


def _row(
    label: str,
    code: str,
    sums: dict[tuple[str, int], Any],
    key: str,
    years: list[int],
    bench: dict[int, Benchmarks],
) -> GrowthRow:
    row = GrowthRow(label, code)
    previous: Decimal | None = None
    for year in years:
        n, people, total = sums.get((key, year), (0, 0, Decimal(0)))
        figure = YearFigure(year, n, people, total, previous, bench[year])
        row.figures.append(figure)
        previous = figure.average
    return row


def is_county_wide(user: Any) -> bool:
    """Whether the user's scope is the whole county (superusers, county-level area roles)."""
    if getattr(user, "is_superuser", False):
        return True
    prefix = area_prefix_of(user)
    return prefix is not None and len(prefix) <= SIGNIFICANT_DIGITS[Level.COUNTY]


def sees_figures(user: Any) -> bool:
    """Anyone holding a role sees the figures of their own scope."""
    return bool(getattr(user, "is_superuser", False) or getattr(user, "roles", None))


def scope_row_label(user: Any) -> str:
    unit = getattr(user, "org_unit", None)
    if unit is not None and user.roles and user.roles <= AREA_ROLES:
        return unit.area.name
    return "本人结对帮扶户" if user.roles else "可见范围"


def growth_table(user: Any, population: str, years: list[int]) -> GrowthTable:
    """Per township and for the county (county-wide users), or one row over the user's scope,
    the population's households, people, average and growth for each of `years`
    (ascending; the first year has no growth)."""
    bench = benchmarks(years)
    rows: list[GrowthRow] = []
    if is_county_wide(user):
        county_qs = population_households(population)
        per_town = _sums(county_qs, by_township=True)
        towns = Area.objects.filter(level=Area.LevelChoices.TOWNSHIP).order_by("code")
        town_rows = [_row(t.name, t.code[:9], per_town, t.code[:9], years, bench) for t in towns]
        rows += [r for r in town_rows if any(f.households for f in r.figures)]
        rows.append(_row("全县", "county", _sums(county_qs, by_township=False), "", years, bench))
    elif sees_figures(user):
        # One row over the user's scope, and no county total: the county's household counts
        # less the user's own would tell the other townships' (the rural-growth benchmarks
        # are the county figure every user compares with).
        mine = _sums(population_households(population, households_visible_to(user)), by_township=False)
        rows.append(_row(scope_row_label(user), "", mine, "", years, bench))
    return GrowthTable(population, POPULATIONS[population], years, bench, rows)


# ---------------------------------------------------------------- distribution


@dataclass(frozen=True)
class Histogram:
    population: str
    label: str
    bins: list[str]  # bar labels, "0–2千" …
    counts: dict[int, list[int]]  # year → households per bin


def histogram(user: Any, population: str, years: list[int], *, township: str = "") -> Histogram:
    """Households per 2,000-yuan band of per-capita net income, per year, over the
    user's scope (narrowed to a township of residence when asked); the bands are
    computed in SQL (floor(income / 2000)), the first band holds incomes below 2,000
    (negative ones too) and the last everything from 40,000 up."""
    qs = population_households(population, households_visible_to(user))
    if township:
        qs = qs.filter(area__code__startswith=township[:9])
    band = Floor(ExactDivide(F("incomes__per_capita_net"), Value(BIN_WIDTH)))
    rows = (
        qs.filter(incomes__year__in=years)
        .annotate(year=F("incomes__year"), band=band)
        .values("year", "band")
        .annotate(n=Count("incomes__id"))
        .order_by()
    )
    counts = {y: [0] * (TOP_BIN + 1) for y in years}
    for row in rows:
        index = min(max(int(row["band"]), 0), TOP_BIN)
        counts[row["year"]][index] += row["n"]
    k = BIN_WIDTH // 1000  # thousands of yuan per bar
    bins = [f"{i * k}–{(i + 1) * k}千" for i in range(TOP_BIN)] + [f"{TOP_BIN * k}千以上"]
    bins[0] = f"{k}千以下"
    return Histogram(population, POPULATIONS[population], bins, counts)


def chart_data(tables: list[GrowthTable], histograms: list[Histogram], focus: str) -> dict[str, Any]:
    """What the page's charts draw: per population, the average income bars and growth
    lines of the county and of the row `focus` names (a township code or ""), with the
    benchmark lines; and the histograms."""

    def percent(value: Decimal | None) -> float | None:
        return None if value is None else float(round(value * 100, 2))

    result: dict[str, Any] = {"growth": [], "histograms": []}
    for table in tables:
        shown = [r for r in table.rows if r.is_county or r.code == focus]
        result["growth"].append(
            {
                "population": table.label,
                "years": table.years,
                "rows": [
                    {
                        "label": r.label,
                        "average": [None if f.average is None else float(f.average) for f in r.figures],
                        "growth": [percent(f.growth) for f in r.figures],
                    }
                    for r in shown
                ],
                "national": [percent(_value(table.benchmarks[y].national)) for y in table.years],
                "county": [percent(_value(table.benchmarks[y].county)) for y in table.years],
            }
        )
    for h in histograms:
        result["histograms"].append(
            {
                "population": h.label,
                "bins": h.bins,
                "series": [{"year": y, "counts": c} for y, c in h.counts.items()],
            }
        )
    return result


def _value(p: ParameterValue | None) -> Decimal | None:
    return None if p is None else Decimal(p.value)
