"""Household and member records (户籍成员、户类型、联系电话、保险、搬迁)."""

from __future__ import annotations

from django.db.models import Count, Exists, F, QuerySet

from dixian.dataquality.checks.base import Context, Level, Severity, check, members
from dixian.registry.choices import Dibao, Health, HouseholdType, IdType, Relation, Tekun
from dixian.registry.models import Household, Person

# A household head must be of full civil capacity (民法典: 18, or 16 living on own
# labour): definitional, not yearly policy.
HEAD_MIN_AGE = 16
# Older than this is almost always a death not yet removed (自然变更): a plausibility bound.
OLDEST_PLAUSIBLE_AGE = 100
MOBILE = r"^1[0-9]{10}$"


def _heads(ref: str = "pk") -> QuerySet[Person]:
    return members(ref).filter(relation=Relation.HEAD)


@check("DQ-REG-01", "户主年龄未满16岁", Severity.WARNING, Level.PERSON)
def head_too_young(ctx: Context) -> QuerySet[Person]:
    return ctx.persons.filter(ctx.younger_than(HEAD_MIN_AGE), relation=Relation.HEAD)


@check("DQ-REG-02", "农户没有户主", Severity.ERROR, Level.HOUSEHOLD)
def no_head(ctx: Context) -> QuerySet[Household]:
    return ctx.households.exclude(Exists(_heads()))


@check("DQ-REG-03", "农户有多个户主", Severity.ERROR, Level.HOUSEHOLD)
def several_heads(ctx: Context) -> QuerySet[Household]:
    # One grouped pass over the heads, not a count per household.
    heads = Person.objects.filter(relation=Relation.HEAD).order_by().values("household_id")
    return ctx.households.filter(pk__in=heads.annotate(n=Count("pk")).filter(n__gt=1).values("household_id"))


@check("DQ-REG-04", "成员年龄超过100岁（核实是否已自然减员）", Severity.INFO, Level.PERSON)
def implausibly_old(ctx: Context) -> QuerySet[Person]:
    return ctx.persons.filter(ctx.older_than(OLDEST_PLAUSIBLE_AGE))


@check("DQ-REG-05", "未参加城乡居民基本医疗保险", Severity.WARNING, Level.PERSON)
def no_medical_insurance(ctx: Context) -> QuerySet[Person]:
    return ctx.persons.filter(medical_insurance=False)


@check("DQ-REG-06", "未参加大病保险", Severity.WARNING, Level.PERSON)
def no_critical_illness_insurance(ctx: Context) -> QuerySet[Person]:
    return ctx.persons.filter(critical_illness_insurance=False)


@check("DQ-REG-07", "脱贫户未填脱贫年度", Severity.ERROR, Level.HOUSEHOLD)
def alleviated_without_exit_year(ctx: Context) -> QuerySet[Household]:
    return ctx.households.filter(household_type=HouseholdType.ALLEVIATED, poverty_exit_year__isnull=True)


@check("DQ-REG-08", "一般农户填有脱贫年度", Severity.ERROR, Level.HOUSEHOLD)
def ordinary_with_exit_year(ctx: Context) -> QuerySet[Household]:
    return ctx.households.filter(household_type=HouseholdType.ORDINARY, poverty_exit_year__isnull=False)


@check("DQ-REG-09", "户联系电话为空或不是11位手机号码", Severity.INFO, Level.HOUSEHOLD)
def bad_household_phone(ctx: Context) -> QuerySet[Household]:
    return ctx.households.exclude(phone__regex=MOBILE)


@check("DQ-REG-10", "易地扶贫搬迁户未填迁出地", Severity.ERROR, Level.HOUSEHOLD)
def relocated_without_origin(ctx: Context) -> QuerySet[Household]:
    return ctx.households.filter(is_relocated=True, origin_area__isnull=True)


@check("DQ-REG-11", "易地扶贫搬迁户迁出地与迁入地相同", Severity.ERROR, Level.HOUSEHOLD)
def relocated_to_same_place(ctx: Context) -> QuerySet[Household]:
    return ctx.households.filter(is_relocated=True, origin_area_id=F("area_id"))


@check("DQ-REG-12", "同时享受低保和特困供养", Severity.ERROR, Level.PERSON)
def dibao_and_tekun(ctx: Context) -> QuerySet[Person]:
    return ctx.persons.exclude(dibao=Dibao.NONE).exclude(tekun=Tekun.NONE)


@check("DQ-REG-13", "成员联系电话不是11位手机号码", Severity.INFO, Level.PERSON)
def bad_person_phone(ctx: Context) -> QuerySet[Person]:
    return ctx.persons.exclude(phone="").exclude(phone__regex=MOBILE)


@check("DQ-REG-14", "证件类型为残疾人证但健康状况不是残疾", Severity.WARNING, Level.PERSON)
def disability_card_not_disabled(ctx: Context) -> QuerySet[Person]:
    return ctx.persons.filter(id_type=IdType.DISABILITY).exclude(health=Health.DISABLED)
