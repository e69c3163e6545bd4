"""The shape of a screening rule and the pieces the rules share.

A rule selects, in one set-based query limited to the context's households, the
households it fires for, annotated with the values that made it fire; `describe` turns one such row into the
evidence text (预警依据). Rules read thresholds from the year's policy parameters
(`parameter_value`), never from literals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, FilteredRelation, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.db.models.query import ValuesIterable

from dixian.monitoring.models import AssistanceMeasure, MonitoringCase
from dixian.registry.models import Household, HouseholdIncome
from dixian.registry.selectors import parameter_value


@dataclass(frozen=True)
class Context:
    """One screening pass: the income year Y, the reference date and the households."""

    year: int
    as_of: dt.date
    households: QuerySet[Household]
    _params: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def whole_county(self) -> bool:
        """True when `households` is every household (an unfiltered queryset)."""
        query = self.households.query
        return not query.where and not query.is_sliced and not query.combinator

    def param(self, code: str) -> Any:
        """The value of `code` in force in Y (one query per code and pass);
        raises MissingParameter when Y has none."""
        if code not in self._params:
            self._params[code] = parameter_value(code, self.year).value
        return self._params[code]


Row = dict[str, Any]


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    select: Callable[[Context], QuerySet[Any]]  # .values() rows with "household_id"
    describe: Callable[[Row, Context], str]

    def evaluate(self, ctx: Context) -> Iterator[tuple[int, str]]:
        """(household id, evidence) for each household the rule fires for."""
        for row in fetch_rows(self.select(ctx)):
            yield row["household_id"], self.describe(row, ctx)


def fetch_rows(qs: QuerySet[Any], chunk_size: int = 5000) -> Iterator[Row]:
    """The rows of a `.values()` queryset as dicts, fetched by an ordinary (client-side)
    cursor and turned into dicts `chunk_size` at a time. Unlike `QuerySet.iterator()`,
    which streams through a server-side cursor on PostgreSQL, this lets PostgreSQL run
    the rule's query as a parallel plan (a cursor never gets one); the raw rows of one
    rule (at most a few hundred thousand short tuples) are held meanwhile."""
    return iter(ValuesIterable(qs, chunked_fetch=False, chunk_size=chunk_size))


def latest_income_year() -> int | None:
    return HouseholdIncome.objects.aggregate(y=Max("year"))["y"]


# ---------------------------------------------------------------- the grouped passes
#
# Each rule is one pass over the table its condition lives on (incomes, persons, events,
# cases), grouped by household where it counts, with the "monitored" test as one anti-join
# (NOT EXISTS over the approved, not eliminated cases). Per-household scalar subqueries
# over the whole county (one index probe per household and subquery, 1,000,000 times) are
# what made the first version slow; correlated subqueries remain only on the few rows a
# rule has already selected.


def monitored_cases() -> QuerySet[MonitoringCase]:
    """Cases that make their household "monitored": approved and not eliminated
    (correlated to an outer household queryset's `pk`)."""
    return MonitoringCase.objects.filter(
        household_id=OuterRef("pk"), status=MonitoringCase.Status.APPROVED, eliminated=False
    )


def is_monitored(household: str = "household_id") -> Exists:
    """EXISTS an approved, not eliminated case of the outer row's `household`; negated it
    is one anti-join, whatever table the rule reads."""
    return Exists(
        MonitoringCase.objects.filter(
            household_id=OuterRef(household), status=MonitoringCase.Status.APPROVED, eliminated=False
        )
    )


def in_scope(ctx: Context, qs: QuerySet[Any], household: str = "household") -> QuerySet[Any]:
    """`qs` (rows of some household table) limited to the context's households; the whole
    county adds no condition (and no semi-join over a million households)."""
    if ctx.whole_county:
        return qs
    return qs.filter(**{f"{household}__in": ctx.households.values("pk")})


def income_of(year: int, household: str = "pk") -> Subquery:
    """The household's 人均纯收入 of `year` as a scalar subquery (for few outer rows)."""
    return Subquery(
        HouseholdIncome.objects.filter(household_id=OuterRef(household), year=year).values("per_capita_net")[
            :1
        ]
    )


def with_income(qs: QuerySet[Any], alias: str, year: int, via: str = "incomes") -> QuerySet[Any]:
    """`qs` joined to the household's income row of `year` under `alias` (one join, no
    per-row subquery; `via` is the path to the incomes); filtering on `alias__…` makes
    it an inner join."""
    return qs.annotate(**{alias: FilteredRelation(via, condition=Q(**{f"{via}__year": year}))})


def first_of_household(qs: QuerySet[MonitoringCase], field: str) -> QuerySet[MonitoringCase]:
    """The rows of `qs` that come first in their household by (`field`, pk): one row per
    household without grouping, so the row's own columns (date, status) stay usable."""
    earlier = qs.filter(household_id=OuterRef("household_id")).filter(
        Q(**{f"{field}__lt": OuterRef(field)}) | Q(**{field: OuterRef(field), "pk__lt": OuterRef("pk")})
    )
    return qs.filter(~Exists(earlier))


def monitoring_starts(ctx: Context) -> QuerySet[MonitoringCase]:
    """One row per monitored household of the context: its earliest monitored case, whose
    `identified_on` is when monitoring began. A case without that date (never expected)
    cannot be timed and so never fires."""
    monitored = MonitoringCase.objects.filter(
        status=MonitoringCase.Status.APPROVED, eliminated=False, identified_on__isnull=False
    )
    return in_scope(ctx, first_of_household(monitored, "identified_on"))


def count_of(qs: QuerySet[Any]) -> Coalesce:
    """Count of `qs` (already correlated to the outer row) as a scalar subquery."""
    counted = qs.order_by().values("household_id").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted), 0)


def measures_held() -> QuerySet[AssistanceMeasure]:
    """Measures held since monitoring began: not ended before the outer row's
    `identified_on` (correlated on the outer row's `household_id`)."""
    return AssistanceMeasure.objects.filter(household_id=OuterRef("household_id")).exclude(
        ended_on__lt=OuterRef("identified_on")
    )


def rows(qs: QuerySet[Any], *fields: str) -> QuerySet[Any]:
    """`.values()` rows with "household_id" first (a household queryset names it pk)."""
    if qs.model is Household:
        qs = qs.annotate(household_id=F("pk"))
    return qs.values("household_id", *fields).order_by()


# ---------------------------------------------------------------- evidence formatting


def yuan(value: Decimal | int | float | None) -> str:
    """6120 -> "6,120"; 8499.99 -> "8,499.99" (the way the notice writes money)."""
    if value is None:
        return "—"
    number = Decimal(value).quantize(Decimal("0.01"))
    if number == number.to_integral_value():
        return f"{number:,.0f}"
    return f"{number:,.2f}"


def percent(ratio: Decimal | float) -> str:
    return f"{Decimal(ratio) * 100:.2f}".rstrip("0").rstrip(".") + "%"


def days_between(earlier: dt.date, later: dt.date) -> int:
    return (later - earlier).days


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (clamped to the month's end)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def full_months_between(earlier: dt.date, later: dt.date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - 1 if months_before(later, months) < earlier else months
