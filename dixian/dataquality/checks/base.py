"""The check type, the context every check runs in, and the small query helpers the
topic modules share.

A check is declarative: a stable code, a Chinese description, a severity, a level
(person or household) and a function from a `Context` to a QuerySet of findings —
`Person` rows for person-level checks, `Household` rows for household-level ones. The
function starts from the context's scoped base querysets and stays set-based: filters,
annotations and correlated `Exists`/`Subquery`, portable between SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from dixian.employment.models import EmploymentRecord
from dixian.monitoring.models import AssistanceMeasure, MonitoringCase
from dixian.registry.choices import PRESCHOOL
from dixian.registry.models import Household, Person
from dixian.registry.selectors import parameter_value


class Severity(StrEnum):
    ERROR = "错误"
    WARNING = "警告"
    INFO = "提示"


class Level(StrEnum):
    PERSON = "person"
    HOUSEHOLD = "household"

    @property
    def label(self) -> str:
        return "人" if self is Level.PERSON else "户"


@dataclass
class Context:
    """What a check runs against: the scoped base querysets, the data year (incomes and
    yearly parameters) and the reference date for ages and durations."""

    year: int
    as_of: dt.date
    households: QuerySet[Household]
    persons: QuerySet[Person]
    measures: QuerySet[AssistanceMeasure]
    employment: QuerySet[EmploymentRecord]
    _params: dict[str, Any] = field(default_factory=dict, repr=False)

    def param(self, code: str) -> Any:
        """The value of a yearly policy parameter for `year` (MissingParameter if unset)."""
        if code not in self._params:
            self._params[code] = parameter_value(code, self.year).value
        return self._params[code]

    def years_ago(self, years: int) -> dt.date:
        """`as_of` minus whole years (29 February falls back to the 28th)."""
        try:
            return self.as_of.replace(year=self.as_of.year - years)
        except ValueError:
            return self.as_of.replace(year=self.as_of.year - years, day=28)

    # Ages at `as_of`, as filters on a Person's birth_date (prefix for related lookups).
    def younger_than(self, years: int, via: str = "") -> Q:
        return Q(**{f"{via}birth_date__gt": self.years_ago(years)})

    def older_than(self, years: int, via: str = "") -> Q:
        """Strictly older: aged `years + 1` or more at `as_of`."""
        return Q(**{f"{via}birth_date__lte": self.years_ago(years + 1)})

    def aged_between(self, low: int, high: int, via: str = "") -> Q:
        """Aged `low`..`high` inclusive."""
        return ~self.younger_than(low, via) & ~self.older_than(high, via)


FindFn = Callable[[Context], QuerySet[Any]]


@dataclass(frozen=True)
class Check:
    code: str
    description: str
    severity: Severity
    level: Level
    find: FindFn = field(compare=False, repr=False)

    @property
    def topic(self) -> str:
        return self.code.split("-")[1]


REGISTRY: dict[str, Check] = {}


def check(code: str, description: str, severity: Severity, level: Level) -> Callable[[FindFn], FindFn]:
    """Register the decorated function as the finder of check `code`."""

    def register(fn: FindFn) -> FindFn:
        if code in REGISTRY:
            raise ValueError(f"duplicate data-quality check code {code}")
        REGISTRY[code] = Check(code, description, severity, level, fn)
        return fn

    return register


# ---------------------------------------------------------------- shared subqueries
# Correlated to an outer Household row (OuterRef("pk")) unless `ref` says otherwise; the
# outer row comes from the scoped base, so these need no scope of their own.


def members(ref: str = "pk") -> QuerySet[Person]:
    return Person.objects.filter(household_id=OuterRef(ref))


def open_cases(ref: str = "pk") -> QuerySet[MonitoringCase]:
    return MonitoringCase.objects.filter(
        household_id=OuterRef(ref), status=MonitoringCase.Status.APPROVED, eliminated=False
    )


def eliminated_cases(ref: str = "pk") -> QuerySet[MonitoringCase]:
    return MonitoringCase.objects.filter(
        household_id=OuterRef(ref), status=MonitoringCase.Status.APPROVED, eliminated=True
    )


def measures_of(*types: str, detail: str = "", ref: str = "pk") -> QuerySet[AssistanceMeasure]:
    qs = AssistanceMeasure.objects.filter(household_id=OuterRef(ref))
    if types:
        qs = qs.filter(measure_type__in=types)
    if detail:
        qs = qs.filter(detail__contains=detail)
    return qs


def working_members(ref: str = "pk") -> QuerySet[EmploymentRecord]:
    return EmploymentRecord.objects.filter(person__household_id=OuterRef(ref), is_working=True)


def monitored() -> Exists:
    return Exists(open_cases())


def only_eliminated() -> Q:
    """Households whose monitoring ended: an eliminated case and no open one."""
    return Q(Exists(eliminated_cases())) & ~Q(Exists(open_cases()))


# In school (在校生) means any stage but 学前教育; blank means not in school.
IN_SCHOOL = ~Q(school_stage="") & ~Q(school_stage=PRESCHOOL)
