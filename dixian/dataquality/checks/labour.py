"""Labour ability against age and health (劳动技能与年龄、健康状况), and disability data."""

from __future__ import annotations

from django.db.models import QuerySet

from dixian.dataquality.checks.base import Context, Level, Severity, check
from dixian.registry.choices import DisabilityGrade, Health, LabourSkill
from dixian.registry.models import Person

FULL_LABOUR = [LabourSkill.ORDINARY, LabourSkill.SKILLED]
NOT_FULL_LABOUR = [LabourSkill.WEAK, LabourSkill.LOST, LabourSkill.NONE]
SEVERE = [DisabilityGrade.FIRST, DisabilityGrade.SECOND]


@check(
    "DQ-LAB-01",
    "劳动年龄内、健康且不在校，劳动技能却为弱劳动力或半劳动力/丧失劳动力/无劳动力",
    Severity.WARNING,
    Level.PERSON,
)
def healthy_adult_without_labour(ctx: Context) -> QuerySet[Person]:
    ages = ctx.aged_between(ctx.param("labour_age_min"), ctx.param("labour_age_max"))
    return ctx.persons.filter(ages, health=Health.HEALTHY, school_stage="", labour_skill__in=NOT_FULL_LABOUR)


@check("DQ-LAB-02", "未满劳动年龄（16岁）却标注为普通劳动力或技能劳动力", Severity.WARNING, Level.PERSON)
def child_as_labour(ctx: Context) -> QuerySet[Person]:
    return ctx.persons.filter(ctx.younger_than(ctx.param("labour_age_min")), labour_skill__in=FULL_LABOUR)


@check("DQ-LAB-03", "年龄超过65岁却标注为普通劳动力或技能劳动力", Severity.INFO, Level.PERSON)
def elderly_as_labour(ctx: Context) -> QuerySet[Person]:
    return ctx.persons.filter(ctx.older_than(ctx.param("elderly_labour_age")), labour_skill__in=FULL_LABOUR)


@check("DQ-LAB-04", "健康状况为残疾但未填残疾等级", Severity.ERROR, Level.PERSON)
def disabled_without_grade(ctx: Context) -> QuerySet[Person]:
    return ctx.persons.filter(health=Health.DISABLED, disability_grade="")


@check("DQ-LAB-05", "填有残疾等级但健康状况不是残疾", Severity.ERROR, Level.PERSON)
def grade_without_disability(ctx: Context) -> QuerySet[Person]:
    return ctx.persons.exclude(disability_grade="").exclude(health=Health.DISABLED)


@check("DQ-LAB-06", "一级或二级残疾却标注为普通劳动力或技能劳动力", Severity.WARNING, Level.PERSON)
def severe_disability_as_labour(ctx: Context) -> QuerySet[Person]:
    return ctx.persons.filter(disability_grade__in=SEVERE, labour_skill__in=FULL_LABOUR)
