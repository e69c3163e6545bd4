"""Reads of the person list (人员名单): one row per person in the user's scope, with the
filters a county user needs. Starts from the scoping layer like every registry read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When

from dixian.accounts.scope import persons_visible_to
from dixian.registry.choices import PRESCHOOL, Relation
from dixian.registry.models import Person

NOT_IN_SCHOOL = "none"  # 非在校生: no school stage
IN_SCHOOL = "any"  # 在校生: any stage but 学前教育


@dataclass
class PersonFilters:
    township: str = ""  # 12-digit code
    village: str = ""  # 12-digit code
    household_type: str = ""
    sex: str = ""
    age_min: int | None = None
    age_max: int | None = None
    as_of: dt.date = field(default_factory=dt.date.today)  # the day ages are taken on
    relation: str = ""
    health: str = ""
    disability_grade: str = ""  # a grade, or "any" for every grade
    labour_skill: str = ""
    school_stage: str = ""  # a stage, IN_SCHOOL or NOT_IN_SCHOOL
    insured: bool | None = None  # 城乡居民基本医疗保险
    q: str = ""  # name, 户编号, or the last 4 characters of an ID


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def head_first() -> Case:
    return Case(When(relation=Relation.HEAD, then=Value(0)), default=Value(1), output_field=IntegerField())


def member_count() -> Subquery:
    """The number of members of the person's household (not of the filtered rows)."""
    return Subquery(
        Person.objects.filter(household_id=OuterRef("household_id"))
        .order_by()
        .values("household_id")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )


def person_list(user: Any, filters: PersonFilters | None = None) -> QuerySet[Person]:
    """Persons in the user's scope, filtered; household and area chain joined, ordered by
    户编号 with the head first. Age bounds are whole years on `filters.as_of`."""
    f = filters or PersonFilters()
    qs = persons_visible_to(user)
    if f.township:
        qs = qs.filter(household__area__code__startswith=f.township[:9])
    if f.village:
        qs = qs.filter(household__area_id=f.village)
    if f.household_type:
        qs = qs.filter(household__household_type=f.household_type)
    if f.sex:
        qs = qs.filter(sex=f.sex)
    if f.age_min is not None:  # at least age_min years old on as_of
        qs = qs.filter(birth_date__lte=years_before(f.as_of, f.age_min))
    if f.age_max is not None:  # not yet age_max + 1 on as_of
        qs = qs.filter(birth_date__gt=years_before(f.as_of, f.age_max + 1))
    if f.relation:
        qs = qs.filter(relation=f.relation)
    if f.health:
        qs = qs.filter(health=f.health)
    if f.disability_grade == "any":
        qs = qs.exclude(disability_grade="")
    elif f.disability_grade:
        qs = qs.filter(disability_grade=f.disability_grade)
    if f.labour_skill:
        qs = qs.filter(labour_skill=f.labour_skill)
    if f.school_stage == NOT_IN_SCHOOL:
        qs = qs.filter(school_stage="")
    elif f.school_stage == IN_SCHOOL:
        qs = qs.exclude(school_stage="").exclude(school_stage=PRESCHOOL)
    elif f.school_stage:
        qs = qs.filter(school_stage=f.school_stage)
    if f.insured is not None:
        qs = qs.filter(medical_insurance=f.insured)
    if f.q:
        term = f.q.strip()
        match = Q(name=term) | Q(household__number=term)
        if len(term) == 4:
            match |= Q(id_last4=term.upper())
        qs = qs.filter(match)
    return (
        qs.select_related("household__area__parent__parent")
        .annotate(member_count=member_count())
        .order_by("household__number", head_first(), "pk")
    )
