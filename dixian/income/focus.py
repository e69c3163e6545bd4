"""The focus groups of notice §2 (重点关注群体): households whose income is low or falling.

Population P(Y): households that are 脱贫户 or monitored (a case approved and not
eliminated, `monitoring.rules.base.monitored_cases`) and have an income record for Y.

* F01-BELOW-10K — per-capita net income of Y below `focus_income_line` (parameter);
* F02-BOTTOM20-DECLINED — in the bottom 20% of the *people* of P(Y), income of Y below Y−1;
* F03-DECLINED-TWO-YEARS — income of Y below Y−1 and of Y−1 below Y−2 (all three recorded).

Each group is one set-based query over a household queryset (the county, or a user's
scope); the incomes of Y, Y−1 and Y−2 are joined in (FilteredRelation), not looked up per
household. The bottom 20% is a county figure: its cut-off income is computed over the
whole county's P(Y) and a user's list is the county group restricted to their scope, so a
township sees the same households in its list as in the county's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import Substr

from dixian.accounts.scope import households_visible_to
from dixian.monitoring.models import DEVELOPMENTAL_MEASURES, AssistanceMeasure
from dixian.monitoring.rules.base import monitored_cases, yuan
from dixian.registry.choices import HouseholdType, Relation
from dixian.registry.models import Household, HouseholdIncome, Person
from dixian.registry.selectors import parameter_value

# The income-increase measures of notice §2 (产业, 就业, 公益岗位, 金融) are exactly the
# developmental measures of DOMAIN.md §5: one definition, kept in monitoring.models.
INCOME_INCREASE_MEASURES = DEVELOPMENTAL_MEASURES

# Part of F02's definition (its code says BOTTOM20), not a yearly policy figure.
BOTTOM_SHARE = Fraction(1, 5)


@dataclass
class FocusContext:
    """One computation of the groups for income year Y; caches the parameter and the
    county cut-off so that several groups or pages of a list ask only once."""

    year: int
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def focus_line(self) -> Decimal:
        """`focus_income_line` in force in Y; raises MissingParameter when unset."""
        if "line" not in self._cache:
            self._cache["line"] = parameter_value("focus_income_line", self.year).value
        return Decimal(self._cache["line"])

    def bottom_cutoff(self) -> Decimal | None:
        """The per-capita income of the household that crosses 20% of P(Y)'s people
        (None when P(Y) is empty); the bottom 20% is every household at or below it."""
        if "cutoff" not in self._cache:
            self._cache["cutoff"] = bottom_cutoff(self.year)
        return self._cache["cutoff"]


# ---------------------------------------------------------------- the population


def population(year: int, households: QuerySet[Household] | None = None) -> QuerySet[Any]:
    """P(Y) within `households` (default: the county), annotated with `income` (per-capita
    net income of Y), `people` (resident members of Y's record) and `township` (9 digits)."""
    qs = Household.objects.all() if households is None else households
    qs = qs.filter(Q(household_type=HouseholdType.ALLEVIATED) | Q(Exists(monitored_cases())))
    return _with_income(qs, year, "y0").annotate(
        income=F("y0__per_capita_net"),
        people=F("y0__members"),
        township=Substr("area_id", 1, 9),
    )


def _with_income(qs: QuerySet[Any], year: int, alias: str) -> QuerySet[Any]:
    """Inner-join the income record of `year` under `alias` (households without one drop out)."""
    relation = FilteredRelation("incomes", condition=Q(incomes__year=year))
    return qs.alias(**{alias: relation}).filter(**{f"{alias}__isnull": False})


def bottom_cutoff(year: int) -> Decimal | None:
    """Sort P(Y) by per-capita income ascending and take households while the people
    taken are below 20% of P(Y)'s people: the household that crosses is in, and so is
    every household tied with one that is in. That is every household whose income is at
    most the smallest income v whose running total of people (all households with income
    ≤ v) reaches 20% of the total. One query: a window running total (tied households are
    peers and share it), compared in whole numbers (running × 5 ≥ total × 1)."""
    share = BOTTOM_SHARE
    ranked = (
        population(year)
        .order_by()
        .annotate(
            running=Window(Sum(F("people") * share.denominator), order_by=F("income").asc()),
            total=Window(Sum(F("people") * share.numerator)),
        )
    )
    values = list(
        ranked.filter(running__gte=F("total")).order_by("income").values_list("income", flat=True)[:1]
    )
    return None if not values else Decimal(values[0]).quantize(Decimal("0.01"))


# ---------------------------------------------------------------- the three groups


def _below_focus_line(ctx: FocusContext, qs: QuerySet[Household]) -> QuerySet[Household]:
    return population(ctx.year, qs).filter(income__lt=ctx.focus_line())


def _with_previous(ctx: FocusContext, qs: QuerySet[Household], years_back: int) -> QuerySet[Any]:
    qs = population(ctx.year, qs)
    qs = _with_income(qs, ctx.year - 1, "y1").annotate(previous=F("y1__per_capita_net"))
    if years_back == 2:
        qs = _with_income(qs, ctx.year - 2, "y2").annotate(before_previous=F("y2__per_capita_net"))
    return qs


def _bottom_declined(ctx: FocusContext, qs: QuerySet[Household]) -> QuerySet[Household]:
    cutoff = ctx.bottom_cutoff()
    if cutoff is None:
        return qs.none()
    compared = _with_previous(ctx, qs, 1)
    return compared.filter(income__lte=cutoff, income__lt=F("previous"))


def _declined_two_years(ctx: FocusContext, qs: QuerySet[Household]) -> QuerySet[Household]:
    compared = _with_previous(ctx, qs, 2)
    return compared.filter(income__lt=F("previous"), previous__lt=F("before_previous"))


def _below_focus_line_reason(row: Any, ctx: FocusContext) -> str:
    return f"{ctx.year}年人均纯收入 {yuan(row.income)} 元 < 重点关注线 {yuan(ctx.focus_line())} 元"


def _bottom_declined_reason(row: Any, ctx: FocusContext) -> str:
    return (
        f"{ctx.year}年人均纯收入 {yuan(row.income)} 元，在全县后20%人口内（分界 {yuan(ctx.bottom_cutoff())} 元），"
        f"低于{ctx.year - 1}年 {yuan(row.previous)} 元"
    )


def _declined_two_years_reason(row: Any, ctx: FocusContext) -> str:
    y = ctx.year
    return (
        f"人均纯收入 {y - 2}年 {yuan(row.before_previous)} 元 → {y - 1}年 {yuan(row.previous)} 元 → "
        f"{y}年 {yuan(row.income)} 元，连续两年下降"
    )


@dataclass(frozen=True)
class FocusGroup:
    code: str
    label: str
    description: str
    select: Callable[[FocusContext, QuerySet[Household]], QuerySet[Household]]
    describe: Callable[[Any, FocusContext], str]
    years_back: int  # how many earlier years the list shows (0, 1 or 2)
    parameters: tuple[str, ...] = ()

    def members(
        self, ctx: FocusContext, households: QuerySet[Household] | None = None
    ) -> QuerySet[Household]:
        """The group's households within `households` (default: the county), annotated
        with `income` (and `previous`, `before_previous` when the group compares years)."""
        qs = Household.objects.all() if households is None else households
        return self.select(ctx, qs).order_by()


GROUPS: dict[str, FocusGroup] = {
    g.code: g
    for g in [
        FocusGroup(
            "F01-BELOW-10K",
            "人均纯收入低于重点关注线",
            "脱贫户和监测对象中，当年人均纯收入低于重点关注线（参数，默认1万元）的户",
            _below_focus_line,
            _below_focus_line_reason,
            years_back=0,
            parameters=("focus_income_line",),
        ),
        FocusGroup(
            "F02-BOTTOM20-DECLINED",
            "后20%人口中收入下降",
            "按人均纯收入从低到高，处于全县脱贫户和监测对象人口后20%，且当年收入低于上年的户",
            _bottom_declined,
            _bottom_declined_reason,
            years_back=1,
        ),
        FocusGroup(
            "F03-DECLINED-TWO-YEARS",
            "连续两年收入下降",
            "当年收入低于上年、上年又低于前年的户（三年均有收入记录）",
            _declined_two_years,
            _declined_two_years_reason,
            years_back=2,
        ),
    ]
}


def get_group(code: str) -> FocusGroup:
    """The group of `code`; KeyError when unknown (views answer 404)."""
    return GROUPS[code]


# ---------------------------------------------------------------- lists and counts


def increase_measures_held(as_of: dt.date) -> QuerySet[AssistanceMeasure]:
    """The outer household's income-increase measures still running on `as_of`."""
    return AssistanceMeasure.objects.filter(
        household_id=OuterRef("pk"), measure_type__in=INCOME_INCREASE_MEASURES
    ).exclude(ended_on__lt=as_of)


def _heads() -> QuerySet[Person]:
    return Person.objects.filter(household_id=OuterRef("pk"), relation=Relation.HEAD)


def group_members(
    code: str,
    year: int,
    *,
    households: QuerySet[Household] | None = None,
    ctx: FocusContext | None = None,
) -> QuerySet[Household]:
    """County-wide (or within `households`) members of the group, unordered."""
    return get_group(code).members(ctx or FocusContext(year), households)


def group_list(
    user: Any,
    code: str,
    year: int,
    *,
    township: str = "",
    without_measure: bool = False,
    as_of: dt.date | None = None,
    ctx: FocusContext | None = None,
) -> QuerySet[Household]:
    """The members the user may see, for a list page, export or API: filtered by township
    of residence (9 or 12 digits), optionally only those holding no income-increase
    measure, annotated with the head's name and masked-at-display ID, the monitoring
    category and `has_increase_measure`, ordered by township, village and 户编号."""
    as_of = as_of or dt.date.today()
    qs = households_visible_to(user)
    if township:
        qs = qs.filter(area__code__startswith=township[:9])
    qs = group_members(code, year, households=qs, ctx=ctx)
    qs = qs.annotate(has_increase_measure=Exists(increase_measures_held(as_of)))
    if without_measure:
        qs = qs.filter(has_increase_measure=False)
    return (
        qs.annotate(
            head_name=Subquery(_heads().values("name")[:1]),
            head_id_number=Subquery(_heads().values("id_number")[:1]),
            monitoring_category=Subquery(monitored_cases().values("category")[:1]),
        )
        .select_related("area", "area__parent")
        .order_by("area_id", "number")
    )


@dataclass(frozen=True)
class GroupCounts:
    """Per township (9-digit code) the group's members and those without an
    income-increase measure, and the totals over the user's whole scope."""

    by_township: dict[str, tuple[int, int]]
    total: int
    total_without_measure: int


def group_counts(user: Any, code: str, year: int, *, as_of: dt.date, ctx: FocusContext) -> GroupCounts:
    """Two grouped queries over the user's scope (the total includes relocated
    households seen for their origin's duties while living in another township)."""
    qs = group_members(code, year, households=households_visible_to(user), ctx=ctx)
    qs = qs.annotate(has_increase_measure=Exists(increase_measures_held(as_of)))
    without = Count("pk", filter=Q(has_increase_measure=False))
    by_township = {
        row["township"]: (row["n"], row["without"])
        for row in qs.values("township").annotate(n=Count("pk"), without=without).order_by()
    }
    totals = qs.aggregate(n=Count("pk"), without=without)
    return GroupCounts(by_township, totals["n"] or 0, totals["without"] or 0)


def income_years() -> list[int]:
    """The years with income records, latest first (two index lookups, not a scan)."""
    span = HouseholdIncome.objects.aggregate(first=Min("year"), last=Max("year"))
    if span["last"] is None:
        return []
    return list(range(span["last"], span["first"] - 1, -1))


def reason(code: str, row: Any, ctx: FocusContext) -> str:
    """The per-household reason text (入组依据) of a row of `group_list`/`group_members`."""
    return get_group(code).describe(row, ctx)
