"""Employment records against people and measures (务工信息与人员、就业帮扶)."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from dixian.areas.codes import Level as AreaLevel
from dixian.areas.models import Area
from dixian.dataquality.checks.base import (
    IN_SCHOOL,
    Context,
    Level,
    Severity,
    check,
    measures_of,
    working_members,
)
from dixian.employment.models import EmploymentRecord
from dixian.monitoring.models import MeasureType
from dixian.registry.choices import LabourSkill
from dixian.registry.models import Household, Person

OUT_OF_COUNTY_SUBSIDY = "外出务工补贴"


def _working_person() -> Exists:
    return Exists(EmploymentRecord.objects.filter(person_id=OuterRef("pk"), is_working=True))


def _outside_county() -> Q:
    """A working record placed outside the county: another county, or another province.
    The home names come from the area tree (counties and provinces we hold)."""
    counties = Area.objects.filter(level=AreaLevel.COUNTY).values("name")
    provinces = Area.objects.filter(level=AreaLevel.PROVINCE).values("name")
    other_county = ~Q(county="") & ~Q(county__in=counties)
    other_province = ~Q(province="") & ~Q(province__in=provinces)
    return Q(is_working=True) & (other_county | other_province)


@check("DQ-EMP-01", "有就业帮扶措施，但家庭无人务工", Severity.WARNING, Level.HOUSEHOLD)
def employment_measure_nobody_working(ctx: Context) -> QuerySet[Household]:
    return ctx.households.filter(Exists(measures_of(MeasureType.EMPLOYMENT))).exclude(
        Exists(working_members())
    )


@check("DQ-EMP-02", "有外出务工补贴（就业帮扶），但家庭无人在县外务工", Severity.WARNING, Level.HOUSEHOLD)
def subsidy_nobody_outside(ctx: Context) -> QuerySet[Household]:
    subsidy = Exists(measures_of(MeasureType.EMPLOYMENT, detail=OUT_OF_COUNTY_SUBSIDY))
    return ctx.households.filter(subsidy).exclude(Exists(working_members().filter(_outside_county())))


@check("DQ-EMP-03", "外出务工补贴（就业帮扶）金额为空或为零", Severity.WARNING, Level.HOUSEHOLD)
def subsidy_without_amount(ctx: Context) -> QuerySet[Household]:
    subsidy = measures_of(MeasureType.EMPLOYMENT, detail=OUT_OF_COUNTY_SUBSIDY)
    return ctx.households.filter(Exists(subsidy.filter(Q(amount__isnull=True) | Q(amount__lte=0))))


@check("DQ-EMP-04", "务工月收入高于合理上限（30000元）", Severity.WARNING, Level.PERSON)
def wage_too_high(ctx: Context) -> QuerySet[Person]:
    high = EmploymentRecord.objects.filter(
        person_id=OuterRef("pk"), monthly_income__gt=ctx.param("wage_month_max")
    )
    return ctx.persons.filter(Exists(high))


@check("DQ-EMP-05", "已务工但务工月收入为空或低于合理下限（100元）", Severity.WARNING, Level.PERSON)
def wage_too_low(ctx: Context) -> QuerySet[Person]:
    low = EmploymentRecord.objects.filter(person_id=OuterRef("pk"), is_working=True).filter(
        Q(monthly_income__isnull=True) | Q(monthly_income__lt=ctx.param("wage_month_min"))
    )
    return ctx.persons.filter(Exists(low))


@check("DQ-EMP-06", "未满16岁有务工记录", Severity.ERROR, Level.PERSON)
def child_working(ctx: Context) -> QuerySet[Person]:
    return ctx.persons.filter(_working_person(), ctx.younger_than(ctx.param("labour_age_min")))


@check("DQ-EMP-07", "不同农户的务工人员登记了同一联系电话", Severity.WARNING, Level.PERSON)
def shared_phone(ctx: Context) -> QuerySet[Person]:
    # The outer phone is never blank, so neither is a match: saying so keeps the many
    # blank phones out of PostgreSQL's hash of candidates (one skewed bucket of hundreds
    # of thousands made the hash join split batches for minutes at 1,000,000 households).
    others = (
        ctx.employment.filter(is_working=True, person__phone=OuterRef("phone"))
        .exclude(person__phone="")
        .exclude(person__household_id=OuterRef("household_id"))
    )
    return ctx.persons.exclude(phone="").filter(_working_person(), Exists(others))


@check("DQ-EMP-08", "在校生登记为已外出务工", Severity.WARNING, Level.PERSON)
def student_working(ctx: Context) -> QuerySet[Person]:
    return ctx.persons.filter(IN_SCHOOL, _working_person())


@check("DQ-EMP-09", "已务工人员劳动技能为丧失劳动力或无劳动力", Severity.WARNING, Level.PERSON)
def working_without_labour(ctx: Context) -> QuerySet[Person]:
    return ctx.persons.filter(_working_person(), labour_skill__in=[LabourSkill.LOST, LabourSkill.NONE])


@check("DQ-EMP-10", "务工结束时间早于开始时间", Severity.ERROR, Level.PERSON)
def work_ends_before_start(ctx: Context) -> QuerySet[Person]:
    bad = EmploymentRecord.objects.filter(person_id=OuterRef("pk"), ended_on__lt=F("started_on"))
    return ctx.persons.filter(Exists(bad))
