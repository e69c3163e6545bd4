"""Reads for exports. The persons exported are those of `registry.selectors.household_list`
for the user and filters, so an export holds exactly what the list shows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Case, Count, F, IntegerField, QuerySet, Value, When, Window
from django.http import QueryDict

from dixian.accounts.roles import AREA_ROLES
from dixian.exports.layout import row_builder
from dixian.registry.choices import Relation
from dixian.registry.forms import HouseholdFilterForm
from dixian.registry.models import Person
from dixian.registry.selectors import HouseholdFilters, household_list

CHUNK_SIZE = 2000


class InvalidFilters(ValueError):
    """The querystring does not parse as household-list filters (for this user)."""


def filters_from_query(user: Any, query: QueryDict) -> HouseholdFilters:
    """The household-list filters of a querystring, checked by the list's own form
    (areas outside the user's scope are invalid choices)."""
    form = HouseholdFilterForm(query, user=user)
    if not form.is_valid():
        raise InvalidFilters(form.errors.as_text())
    return form.to_filters()


def export_persons(user: Any, filters: HouseholdFilters) -> QuerySet[Person]:
    """Members of the households in the user's list, household fields and area chain
    joined, `member_count` annotated: one query however many rows."""
    households = household_list(user, filters).order_by().values("pk")
    head_first = Case(
        When(relation=Relation.HEAD, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        Person.objects.filter(household_id__in=households)
        .select_related("household__area__parent__parent")
        .annotate(member_count=Window(Count("pk"), partition_by=F("household_id")))
        .order_by("household__number", head_first, "pk")
    )


def export_rows(persons: QuerySet[Person], *, full_pii: bool) -> Iterator[list[str]]:
    build = row_builder(full_pii=full_pii)
    for person in persons.iterator(chunk_size=CHUNK_SIZE):
        yield build(person)


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
