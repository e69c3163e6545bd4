"""The shape of a screening rule and the pieces the rules share.

A rule selects, in one query over a base household queryset, the households it fires
for, annotated with the values that made it fire; `describe` turns one such row into the
evidence text (预警依据). Rules read thresholds from the year's policy parameters
(`parameter_value`), never from literals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

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
        for row in self.select(ctx).iterator(chunk_size=5000):
            yield row["household_id"], self.describe(row, ctx)


def latest_income_year() -> int | None:
    return HouseholdIncome.objects.aggregate(y=Max("year"))["y"]


# ---------------------------------------------------------------- subqueries


def monitored_cases() -> QuerySet[MonitoringCase]:
    """Cases that make their household "monitored": approved and not eliminated."""
    return MonitoringCase.objects.filter(
        household_id=OuterRef("pk"), status=MonitoringCase.Status.APPROVED, eliminated=False
    )


def not_monitored(qs: QuerySet[Household]) -> QuerySet[Household]:
    return qs.filter(~Exists(monitored_cases()))


def income_of(year: int) -> Subquery:
    return Subquery(
        HouseholdIncome.objects.filter(household_id=OuterRef("pk"), year=year).values("per_capita_net")[:1]
    )


def identified_on() -> Subquery:
    """The identification date of the household's monitored case (the earliest, if several)."""
    return Subquery(monitored_cases().order_by("identified_on").values("identified_on")[:1])


def count_of(qs: QuerySet[Any]) -> Coalesce:
    """Count of `qs` (already correlated to the outer household) as a scalar subquery."""
    counted = qs.order_by().values("household_id").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted), 0)


def measures_held() -> QuerySet[AssistanceMeasure]:
    """Measures held since the case was identified: not ended before that day (the outer
    query must annotate `identified_on`)."""
    return AssistanceMeasure.objects.filter(household_id=OuterRef("pk")).exclude(
        ended_on__lt=OuterRef("identified_on")
    )


def rows(qs: QuerySet[Any], *fields: str) -> QuerySet[Any]:
    return qs.annotate(household_id=F("pk")).values("household_id", *fields).order_by()


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
