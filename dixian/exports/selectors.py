"""Reads for exports: one pipeline, parametrised by where the export starts (the
household list, the person list, the case list) and the national layout it writes
(户信息 or 监测对象信息).

Every source parses the list page's own querystring with the list's own rules and starts
from the same scoped selector as the page, so an export holds exactly what the list
shows: the persons listed (person list), or every member of the households listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db.models import F, Max, Q, QuerySet
from django.http import QueryDict

from dixian.accounts.roles import AREA_ROLES
from dixian.accounts.scope import cases_visible_to, incomes_visible_to
from dixian.exports.layout import MonitoringState, measure_cell, row_builder
from dixian.imports.columns import Kind
from dixian.monitoring.models import AssistanceMeasure, CaseRisk, MonitoringCase
from dixian.monitoring.workflow import machine
from dixian.monitoring.workflow.selectors import int_parameter
from dixian.registry.forms import HouseholdFilterForm
from dixian.registry.models import Household, HouseholdIncome, Person
from dixian.registry.person_forms import PersonFilterForm
from dixian.registry.person_selectors import head_first, member_count
from dixian.registry.person_selectors import person_list as select_persons
from dixian.registry.selectors import HouseholdFilters, household_list

CHUNK_SIZE = 2000
YEAR_KEY = "income_year"  # the querystring key naming the 监测对象信息 income year


class InvalidFilters(ValueError):
    """The querystring does not parse as the list's filters (for this user)."""


# ---------------------------------------------------------------- sources


def filters_from_query(user: Any, query: QueryDict) -> HouseholdFilters:
    """The household-list filters of a querystring, checked by the list's own form
    (areas outside the user's scope are invalid choices)."""
    form = HouseholdFilterForm(query, user=user)
    if not form.is_valid():
        raise InvalidFilters(form.errors.as_text())
    return form.to_filters()


def persons_of(households: QuerySet[Household]) -> QuerySet[Person]:
    """Members of the households, household fields and area chain joined, `member_count`
    annotated: one query however many rows; households in 户编号 order, head first."""
    return (
        Person.objects.filter(household_id__in=households.order_by().values("pk"))
        .select_related("household__area__parent__parent")
        # a per-household count (index lookup), not a window over every selected person:
        # the window made PostgreSQL count and sort all 3.7M persons of a 1M county first
        .annotate(member_count=member_count())
        .order_by("household__number", head_first(), "pk")
    )


def export_persons(user: Any, filters: HouseholdFilters) -> QuerySet[Person]:
    """Members of the households in the user's household list."""
    return persons_of(household_list(user, filters))


def _household_source(user: Any, query: QueryDict) -> QuerySet[Household]:
    return household_list(user, filters_from_query(user, query))


def _person_source(user: Any, query: QueryDict) -> QuerySet[Person]:
    form = PersonFilterForm(query, user=user)
    if not form.is_valid():
        raise InvalidFilters(form.errors.as_text())
    return select_persons(user, form.to_filters())


def cases_for_list(user: Any, query: QueryDict, today: dt.date | None = None) -> QuerySet[MonitoringCase]:
    """The cases of the case list's filters (status, 仅超期), set-based and uncapped.
    An unknown status is ignored, as the list page ignores it."""
    today = today or dt.date.today()
    cases = cases_visible_to(user)
    status = query.get("status", "")
    if status in MonitoringCase.Status.values:
        cases = cases.filter(status=status)
    if query.get("overdue") == "1":
        cases = cases.filter(status__in=machine.OPEN, opened_on__isnull=False)
        overdue = Q(pk__in=[])
        years = cases.order_by().values_list("opened_on__year", flat=True).distinct()
        for year in years:
            # The identification deadline of the year the clue was opened (the list's rule).
            days = int_parameter("identification_days", year)
            if days is not None:  # a year without the deadline has nothing overdue
                overdue |= Q(opened_on__year=year, opened_on__lt=today - dt.timedelta(days=days))
        cases = cases.filter(overdue)
    return cases


def _case_source(user: Any, query: QueryDict) -> QuerySet[Household]:
    cases = cases_for_list(user, query)
    return Household.objects.filter(pk__in=cases.order_by().values("household_id"))


@dataclass(frozen=True)
class Source:
    """Where an export starts. `households` selects whole households (all their members
    are exported); `persons`, when set, selects the persons themselves (户信息 only)."""

    name: str
    label: str  # names the export in the audit trail
    list_url: str  # the list page the job page links back to
    list_label: str
    households: Callable[[Any, QueryDict], QuerySet[Household]] | None
    persons: Callable[[Any, QueryDict], QuerySet[Person]] | None = None


SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source("households", "农户", "household_list", "农户档案", _household_source),
        Source("persons", "人员", "person_list", "人员名单", None, _person_source),
        Source("cases", "监测对象", "workflow_case_list", "识别与消除", _case_source),
    )
}


def export_queryset(source: str, kind: Kind, user: Any, query: QueryDict) -> QuerySet[Person]:
    """The persons an export writes, in row order; raises InvalidFilters."""
    src = SOURCES[source]
    if src.persons is not None and kind is Kind.HOUSEHOLD:
        return src.persons(user, query)
    if src.households is None:
        raise InvalidFilters(f"{src.list_label}不能导出{kind.label}")
    return persons_of(src.households(user, query))


def export_year(user: Any, query: QueryDict) -> int:
    """The income year of a 监测对象信息 export: the querystring's `income_year`, else
    the latest year with incomes in the user's scope, else last year."""
    text = query.get(YEAR_KEY, "")
    if text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    latest = incomes_visible_to(user).aggregate(year=Max("year"))["year"]
    return int(latest) if latest else dt.date.today().year - 1


# ---------------------------------------------------------------- rows


def _chunks(items: Iterable[Person], size: int) -> Iterator[list[Person]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def held_in(year: int) -> Q:
    """Measures held in `year`: begun by that year (or undated) and not ended before it."""
    return (Q(year__lte=year) | Q(year__isnull=True)) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=dt.date(year, 1, 1))
    )


def monitoring_states(household_ids: Iterable[int], year: int) -> dict[int, MonitoringState]:
    """The 监测对象信息 state of each household, in four queries.

    The case is the household's approved one still open, else its latest approved one
    (a clue or a case not included is no monitoring object); its risks in order; the
    income of `year`; the measures held in `year`, one cell per type."""
    ids = list(set(household_ids))
    states = {pk: MonitoringState() for pk in ids}
    cases = MonitoringCase.objects.filter(household_id__in=ids, status=MonitoringCase.Status.APPROVED)
    for case in cases.order_by("household_id", "eliminated", F("identified_on").desc(nulls_last=True), "-pk"):
        state = states[case.household_id]
        if state.case is None:
            state.case = case
    chosen = {s.case.pk: s for s in states.values() if s.case is not None}
    for risk in CaseRisk.objects.filter(case_id__in=list(chosen)).order_by("case_id", "position"):
        chosen[risk.case_id].risks.append(risk.risk_type)
    for income in HouseholdIncome.objects.filter(household_id__in=ids, year=year):
        states[income.household_id].income = income
    details: dict[tuple[int, str], list[str]] = {}
    measures = AssistanceMeasure.objects.filter(household_id__in=ids).filter(held_in(year))
    for hid, kind, detail in measures.order_by("household_id", "measure_type", "pk").values_list(
        "household_id", "measure_type", "detail"
    ):
        details.setdefault((hid, kind), []).append(detail)
    for (hid, kind), texts in details.items():
        states[hid].measures[kind] = measure_cell(texts)
    return states


def export_rows(
    persons: QuerySet[Person], *, full_pii: bool, kind: Kind = Kind.HOUSEHOLD, year: int | None = None
) -> Iterator[list[str]]:
    """The cells of every row. 户信息 rows need no query beyond the persons'; 监测对象信息
    rows load the households' states a chunk of persons at a time (four queries a chunk)."""
    build = row_builder(full_pii=full_pii, kind=kind)
    if kind is Kind.HOUSEHOLD:
        for person in persons.iterator(chunk_size=CHUNK_SIZE):
            yield build(person, None)
        return
    assert year is not None, "a 监测对象信息 export names its income year"
    for chunk in _chunks(persons.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        states = monitoring_states((p.household_id for p in chunk), year)
        for person in chunk:
            yield build(person, states[person.household_id])


def scope_label(user: Any) -> str:
    """The user's area as the title row names it (导出范围)."""
    if user.is_superuser:
        return "全县"
    unit = user.org_unit
    if unit is None:
        return "—"
    if user.roles & AREA_ROLES:
        return unit.area.full_name or unit.area.name
    return unit.name
