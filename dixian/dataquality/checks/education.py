"""School stage and education level against age (在校生状况、文化程度与年龄)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from dixian.dataquality.checks.base import IN_SCHOOL, Context, Level, Severity, check
from dixian.registry.choices import PRESCHOOL, Education, Health, LabourSkill
from dixian.registry.models import Person

# School ages are definitional (the ages each stage is normally attended, with a margin
# for early entry and repeated years), not yearly policy: they live here, in one place.
PRESCHOOL_MAX_AGE = 6  # 7 and over belongs in primary school
PRIMARY_AGES = (5, 15)
JUNIOR_AGES = (12, 17)
SENIOR_AGES = (14, 20)
BACHELOR_MIN_AGE = 20
PRESCHOOL_EDUCATION_MAX_AGE = 7
COMPULSORY_AGES = (7, 15)  # 义务教育适龄

PRIMARY_STAGES = Q(school_stage__startswith="小学")
JUNIOR_STAGES = Q(school_stage__in=["七年级", "八年级", "九年级"])
SENIOR_STAGES = Q(school_stage__startswith="普通高中")


def _outside(ctx: Context, ages: tuple[int, int]) -> Q:
    low, high = ages
    return ctx.younger_than(low) | ctx.older_than(high)


@check("DQ-EDU-01", "7岁及以上、健康，在校生状况仍为学前教育", Severity.WARNING, Level.PERSON)
def preschool_too_old(ctx: Context) -> QuerySet[Person]:
    return ctx.persons.filter(
        ctx.older_than(PRESCHOOL_MAX_AGE), school_stage=PRESCHOOL, health=Health.HEALTHY
    )


@check("DQ-EDU-02", "在读小学但年龄小于5岁或大于15岁", Severity.WARNING, Level.PERSON)
def primary_age(ctx: Context) -> QuerySet[Person]:
    return ctx.persons.filter(PRIMARY_STAGES, _outside(ctx, PRIMARY_AGES))


@check("DQ-EDU-03", "在读七年级至九年级（初中）但年龄小于12岁或大于17岁", Severity.WARNING, Level.PERSON)
def junior_age(ctx: Context) -> QuerySet[Person]:
    return ctx.persons.filter(JUNIOR_STAGES, _outside(ctx, JUNIOR_AGES))


@check("DQ-EDU-04", "在读普通高中但年龄小于14岁或大于20岁", Severity.WARNING, Level.PERSON)
def senior_age(ctx: Context) -> QuerySet[Person]:
    return ctx.persons.filter(SENIOR_STAGES, _outside(ctx, SENIOR_AGES))


@check("DQ-EDU-05", "文化程度为本科及以上但年龄小于20岁", Severity.WARNING, Level.PERSON)
def bachelor_too_young(ctx: Context) -> QuerySet[Person]:
    return ctx.persons.filter(ctx.younger_than(BACHELOR_MIN_AGE), education=Education.BACHELOR)


@check("DQ-EDU-06", "文化程度为学龄前儿童但年龄大于7岁", Severity.WARNING, Level.PERSON)
def preschool_education_too_old(ctx: Context) -> QuerySet[Person]:
    return ctx.persons.filter(ctx.older_than(PRESCHOOL_EDUCATION_MAX_AGE), education=Education.NONE)


@check("DQ-EDU-07", "在校生劳动技能标注为普通劳动力或技能劳动力", Severity.WARNING, Level.PERSON)
def student_as_labour(ctx: Context) -> QuerySet[Person]:
    return ctx.persons.filter(IN_SCHOOL, labour_skill__in=[LabourSkill.ORDINARY, LabourSkill.SKILLED])


@check("DQ-EDU-08", "7至15岁义务教育适龄、健康，但未登记在校（疑似失辍学）", Severity.WARNING, Level.PERSON)
def compulsory_age_not_in_school(ctx: Context) -> QuerySet[Person]:
    return ctx.persons.filter(ctx.aged_between(*COMPULSORY_AGES), school_stage="", health=Health.HEALTHY)
