"""Reads of data-quality findings: the context a user's checks run in, the findings of
one check as uniform rows, and counts by township.

Findings belong to the township where the household lives: the destination (迁入地)
keeps a relocated household's records (DOMAIN.md §8), so the origin township sees its
emigrant households on the household pages but not among its findings here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr
from django.utils import timezone

from dixian.accounts import scope
from dixian.areas.codes import Level as AreaLevel
from dixian.areas.models import Area
from dixian.dataquality.checks import Check, Context, Level
from dixian.employment.models import EmploymentRecord
from dixian.monitoring.models import AssistanceMeasure
from dixian.registry.choices import Relation
from dixian.registry.models import Household, Person


def default_as_of() -> dt.date:
    return timezone.localdate()


def default_year(as_of: dt.date) -> int:
    """Incomes are recorded for a finished year: the data year is the one before `as_of`."""
    return as_of.year - 1


def _context(bases: dict[str, Any], year: int | None, as_of: dt.date | None) -> Context:
    as_of = as_of or default_as_of()
    return Context(year=year or default_year(as_of), as_of=as_of, **bases)


def context_for_user(user: Any, *, year: int | None = None, as_of: dt.date | None = None) -> Context:
    """Checks over the user's scope, limited to households living in the user's areas."""
    return _context(
        {
            "households": scope.households_visible_to(user).filter(_residence_q(user)),
            "persons": scope.persons_visible_to(user).filter(_residence_q(user, "household__")),
            "measures": scope.measures_visible_to(user).filter(_residence_q(user, "household__")),
            "employment": scope.employment_visible_to(user).filter(_residence_q(user, "person__household__")),
        },
        year,
        as_of,
    )


def county_context(*, year: int | None = None, as_of: dt.date | None = None) -> Context:
    """Checks over every household (the command line: run by the county's operators)."""
    return _context(
        {
            "households": Household.objects.all(),
            "persons": Person.objects.all(),
            "measures": AssistanceMeasure.objects.all(),
            "employment": EmploymentRecord.objects.all(),
        },
        year,
        as_of,
    )


def _residence_q(user: Any, via: str = "") -> Q:
    if getattr(user, "is_superuser", False):
        return Q()
    return Q(**{f"{via}area__in": scope.areas_visible_to(user)})


def townships_for_user(user: Any) -> list[Area]:
    """The townships whose columns the user's overview shows."""
    return list(scope.areas_visible_to(user).filter(level=AreaLevel.TOWNSHIP).order_by("code"))


# ---------------------------------------------------------------- findings as rows


@dataclass(frozen=True)
class FindingRow:
    household_id: int
    number: str
    area_id: str
    name: str
    id_number: str  # full: mask before showing or exporting


def _area_path(check: Check) -> str:
    return "household__area_id" if check.level is Level.PERSON else "area_id"


def findings(check: Check, ctx: Context, township: str = "") -> QuerySet[Any]:
    """The check's findings, optionally limited to one township (12-digit code)."""
    qs = check.find(ctx)
    if township:
        via = "household__" if check.level is Level.PERSON else ""
        qs = qs.filter(**{f"{via}area__code__startswith": township[:9]})
    return qs


def finding_rows(check: Check, ctx: Context, township: str = "") -> list[FindingRow]:
    """Uniform rows sorted by 户编号 then 证件号码: the person for person-level checks, the
    household head (when there is one) for household-level ones."""
    qs = findings(check, ctx, township)
    if check.level is Level.PERSON:
        qs = qs.order_by("household__number", "id_number")
        values = qs.values_list(
            "household_id", "household__number", "household__area_id", "name", "id_number"
        )
    else:
        heads = Person.objects.filter(household_id=OuterRef("pk"), relation=Relation.HEAD).order_by("pk")
        values = (
            qs.order_by("number")
            .annotate(
                head_name=Subquery(heads.values("name")[:1]), head_id=Subquery(heads.values("id_number")[:1])
            )
            .values_list("pk", "number", "area_id", "head_name", "head_id")
        )
    return [FindingRow(h, n, a, name or "", idn or "") for h, n, a, name, idn in values]


def counts_by_township(check: Check, ctx: Context) -> dict[str, int]:
    """Findings per township (12-digit code) in one grouped query."""
    grouped = (
        findings(check, ctx)
        .order_by()
        .annotate(township=Substr(_area_path(check), 1, 9))
        .values("township")
        .annotate(n=Count("pk"))
        .values_list("township", "n")
    )
    return {f"{code}000": n for code, n in grouped}


def area_names(codes: set[str]) -> dict[str, Area]:
    """Areas by code (with parents) for naming the villages and townships of rows."""
    return {a.code: a for a in Area.objects.filter(code__in=codes).select_related("parent")}
