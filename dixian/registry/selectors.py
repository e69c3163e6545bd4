"""Reads of the registry. Every function that returns households or people takes the
user and starts from the scoping layer (`dixian.accounts.scope`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from dixian.accounts.scope import get_household_for_user, households_visible_to, seen_via_origin
from dixian.monitoring.models import MonitoringCase
from dixian.registry.choices import Relation
from dixian.registry.models import Household, HouseholdIncome, Pairing, Person, PolicyParameter
from dixian.registry.parameters import SPECS, ParameterError, parse_value

# ---------------------------------------------------------------- policy parameters


@dataclass(frozen=True)
class ParameterValue:
    code: str
    year: int  # the year asked for
    set_in: int  # the year whose value holds (== year unless carried forward)
    value: Any
    source: str

    @property
    def carried_forward(self) -> bool:
        return self.set_in != self.year

    def explain(self) -> str:
        label = SPECS[self.code].label
        suffix = f"（沿用{self.set_in}年）" if self.carried_forward else ""
        return f"{self.year}年{label} {self.value}{suffix}"


class MissingParameter(ParameterError):
    pass


def parameter_value(code: str, year: int) -> ParameterValue:
    """The value of `code` in force in `year`: set that year or carried forward from the
    latest earlier year. Raises MissingParameter when no year up to `year` sets it."""
    if code not in SPECS:
        raise ParameterError(f"未知参数代码 {code}")
    row = PolicyParameter.objects.filter(code=code, year__lte=year).order_by("-year").first()
    if row is None:
        raise MissingParameter(
            f"{year}年未设置参数「{SPECS[code].label}」（{code}），请县级管理员在参数页录入"
        )
    return ParameterValue(code, year, row.year, parse_value(code, row.value), row.source)


@dataclass(frozen=True)
class ParameterCell:
    value: str
    source: str
    set_here: bool  # False: carried forward from an earlier year


@dataclass(frozen=True)
class ParameterRow:
    code: str
    label: str
    help: str
    cells: list[tuple[int, ParameterCell | None]]  # per year of the table; None before any value


def parameter_table() -> tuple[list[int], list[ParameterRow]]:
    """Every known parameter by year, as the parameters page shows it: the years that set
    any value, and per code the value in force each year (set that year or carried)."""
    stored = {(p.code, p.year): p for p in PolicyParameter.objects.all()}
    years = sorted({year for _, year in stored})
    rows = []
    for code, spec in SPECS.items():
        cells: list[tuple[int, ParameterCell | None]] = []
        current: ParameterCell | None = None
        for year in years:
            row = stored.get((code, year))
            if row is not None:
                current = ParameterCell(row.value, row.source, True)
                cells.append((year, current))
            else:
                cells.append((year, current and ParameterCell(current.value, current.source, False)))
        rows.append(ParameterRow(code, spec.label, spec.help, cells))
    return years, rows


def parameter_initial(code: str, year: int) -> dict[str, Any]:
    """Initial data for editing one code's value for one year (the stored value, if any)."""
    row = PolicyParameter.objects.filter(code=code, year=year).first()
    return {
        "code": code,
        "year": year,
        "value": row.value if row else "",
        "source": row.source if row else "",
    }


def parameters_for_year(year: int) -> dict[str, ParameterValue]:
    """All parameters in force in `year` (codes with no value yet are absent)."""
    result: dict[str, ParameterValue] = {}
    for row in PolicyParameter.objects.filter(year__lte=year).order_by("code", "-year"):
        if row.code in SPECS and row.code not in result:
            result[row.code] = ParameterValue(
                row.code, year, row.year, parse_value(row.code, row.value), row.source
            )
    return result


# ---------------------------------------------------------------- households


@dataclass
class HouseholdFilters:
    township: str = ""  # 12-digit code
    village: str = ""  # 12-digit code
    household_type: str = ""
    monitoring_category: str = ""  # a Category value, "any" for monitored, "none" for not
    income_year: int | None = None
    income_min: Decimal | None = None
    income_max: Decimal | None = None
    q: str = ""  # name, 户编号, or the last 4 characters of an ID
    relocated: bool | None = None
    order: str = "number"


ORDERINGS = {
    "number": "number",
    "-number": "-number",
    "area": "area_id",
    "-area": "-area_id",
    "income": "income_value",
    "-income": "-income_value",
    "members": "member_count",
    "-members": "-member_count",
}


def _open_cases() -> QuerySet[MonitoringCase]:
    return MonitoringCase.objects.filter(
        household_id=OuterRef("pk"), status=MonitoringCase.Status.APPROVED, eliminated=False
    )


def _heads() -> QuerySet[Person]:
    return Person.objects.filter(household_id=OuterRef("pk"), relation=Relation.HEAD)


def household_list(user: Any, filters: HouseholdFilters | None = None) -> QuerySet[Household]:
    """Households in the user's scope, filtered, annotated for lists and ordered.

    Annotations: head_name, head_id_number (shown masked), member_count, income_value
    (per-capita net income of `filters.income_year`, or of the latest year recorded),
    monitoring_category.
    """
    f = filters or HouseholdFilters()
    qs = households_visible_to(user)
    if f.township:
        qs = qs.filter(area__code__startswith=f.township[:9])
    if f.village:
        qs = qs.filter(area_id=f.village)
    if f.household_type:
        qs = qs.filter(household_type=f.household_type)
    if f.relocated is not None:
        qs = qs.filter(is_relocated=f.relocated)
    if f.monitoring_category == "any":
        qs = qs.filter(Exists(_open_cases()))
    elif f.monitoring_category == "none":
        qs = qs.exclude(Exists(_open_cases()))
    elif f.monitoring_category:
        qs = qs.filter(Exists(_open_cases().filter(category=f.monitoring_category)))
    if f.q:
        term = f.q.strip()
        match = Q(number=term) | Q(Exists(Person.objects.filter(household_id=OuterRef("pk"), name=term)))
        if len(term) == 4:
            match |= Q(Exists(Person.objects.filter(household_id=OuterRef("pk"), id_last4=term.upper())))
        qs = qs.filter(match)

    incomes = HouseholdIncome.objects.filter(household_id=OuterRef("pk"))
    incomes = incomes.filter(year=f.income_year) if f.income_year else incomes.order_by("-year")
    qs = qs.annotate(
        income_value=Subquery(incomes.values("per_capita_net")[:1]),
        head_name=Subquery(_heads().values("name")[:1]),
        head_id_number=Subquery(_heads().values("id_number")[:1]),
        member_count=Subquery(
            Person.objects.filter(household_id=OuterRef("pk"))
            .order_by()
            .values("household_id")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        monitoring_category=Subquery(_open_cases().values("category")[:1]),
    )
    if f.income_min is not None:
        qs = qs.filter(income_value__gte=f.income_min)
    if f.income_max is not None:
        qs = qs.filter(income_value__lt=f.income_max)
    return qs.select_related("area", "area__parent").order_by(ORDERINGS.get(f.order, "number"), "pk")


# ---------------------------------------------------------------- one household


@dataclass
class HouseholdProfile:
    """Everything the household page shows, loaded in a fixed number of queries."""

    household: Household
    seen_via_origin: bool
    members: list[Person]
    incomes: list[HouseholdIncome]
    cases: list[MonitoringCase]  # risks prefetched
    pairings: list[Pairing]

    def income_chart(self) -> dict[str, list[Any]]:
        """Per-capita income by year with the monitoring line in force, for the chart."""
        years = [i.year for i in self.incomes]
        lines = _monitoring_line_by_year(years)
        return {
            "years": years,
            "income": [float(i.per_capita_net or 0) for i in self.incomes],
            "line": [None if (line := lines.get(y)) is None else float(line) for y in years],
        }


def household_profile(user: Any, pk: int) -> HouseholdProfile:
    """The household page's data; 404 when the household lies outside the user's scope."""
    in_scope = get_household_for_user(user, pk)
    related = ("area", "area__parent", "origin_area", "origin_area__parent", "resettlement_site")
    household = Household.objects.select_related(*related).get(pk=in_scope.pk)
    return HouseholdProfile(
        household=household,
        seen_via_origin=seen_via_origin(user, household),
        members=list(household.members.order_by("pk")),
        incomes=list(household.incomes.order_by("year")),
        cases=list(household.monitoring_cases.prefetch_related("risks").order_by("-identified_on")),
        pairings=list(household.pairings.select_related("cadre", "cadre__org_unit").order_by("-started_on")),
    )


def _monitoring_line_by_year(years: list[int]) -> dict[int, Decimal | None]:
    """The monitoring line in force each year (carried forward), from one query."""
    set_in = dict(
        PolicyParameter.objects.filter(code="monitoring_line").order_by("year").values_list("year", "value")
    )
    result: dict[int, Decimal | None] = {}
    for year in years:
        earlier = [y for y in set_in if y <= year]
        result[year] = Decimal(set_in[max(earlier)]) if earlier else None
    return result
