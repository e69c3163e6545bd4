"""Monitoring objects: inclusion, risks and elimination (监测对象识别与风险消除)."""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import ExtractMonth, ExtractYear

from dixian.dataquality.checks.base import (
    Context,
    Level,
    Severity,
    check,
    eliminated_cases,
    members,
    monitored,
    only_eliminated,
    open_cases,
)
from dixian.monitoring.models import CaseRisk, Category, EliminationMethod, MonitoringCase
from dixian.registry.choices import WITH_LABOUR, HouseholdType
from dixian.registry.models import Household, HouseholdIncome


def _income_below_line(ctx: Context) -> Exists:
    return Exists(
        HouseholdIncome.objects.filter(
            household_id=OuterRef("pk"), year=ctx.year, per_capita_net__lt=ctx.param("monitoring_line")
        )
    )


def _month_index(field: str) -> CombinedExpression:
    # Months since year 0: the national system records these dates as YYYYMM, so whole
    # months compare portably without database date arithmetic.
    return ExtractYear(field) * 12 + ExtractMonth(field)


@check("DQ-MON-01", "脱贫户当年人均纯收入低于监测范围，但未纳入监测", Severity.ERROR, Level.HOUSEHOLD)
def alleviated_below_line_not_monitored(ctx: Context) -> QuerySet[Household]:
    return ctx.households.filter(household_type=HouseholdType.ALLEVIATED).filter(
        _income_below_line(ctx), ~Q(monitored())
    )


@check("DQ-MON-02", "识别监测不足规定月数（6个月）即消除风险", Severity.ERROR, Level.HOUSEHOLD)
def eliminated_too_soon(ctx: Context) -> QuerySet[Household]:
    months = ctx.param("elimination_min_months")
    too_soon = (
        eliminated_cases()
        .filter(eliminated_on__isnull=False)
        .annotate(span=_month_index("eliminated_on") - _month_index("identified_on"))
        .filter(span__lt=months)
    )
    return ctx.households.filter(Exists(too_soon))


@check("DQ-MON-03", "当年帮扶消除风险，但当年人均纯收入低于监测范围", Severity.ERROR, Level.HOUSEHOLD)
def eliminated_below_line(ctx: Context) -> QuerySet[Household]:
    this_year = eliminated_cases().filter(
        elimination_method=EliminationMethod.ASSISTED, eliminated_on__year=ctx.year
    )
    return ctx.households.filter(Exists(this_year), _income_below_line(ctx))


@check("DQ-MON-04", "整户无劳动能力却已消除风险（应继续兜底保障）", Severity.WARNING, Level.HOUSEHOLD)
def no_labour_eliminated(ctx: Context) -> QuerySet[Household]:
    return ctx.households.filter(only_eliminated(), Exists(members())).exclude(
        Exists(members().filter(labour_skill__in=WITH_LABOUR))
    )


@check("DQ-MON-05", "已消除风险的农户仍为危房户", Severity.ERROR, Level.HOUSEHOLD)
def eliminated_unsafe_housing(ctx: Context) -> QuerySet[Household]:
    return ctx.households.filter(only_eliminated(), dangerous_housing=True)


@check("DQ-MON-06", "已消除风险的农户未解决安全饮用水", Severity.ERROR, Level.HOUSEHOLD)
def eliminated_unsafe_water(ctx: Context) -> QuerySet[Household]:
    return ctx.households.filter(only_eliminated(), safe_water=False)


@check("DQ-MON-07", "危房户未纳入监测", Severity.WARNING, Level.HOUSEHOLD)
def dangerous_housing_not_monitored(ctx: Context) -> QuerySet[Household]:
    return ctx.households.filter(dangerous_housing=True).exclude(monitored())


@check("DQ-MON-08", "未解决安全饮用水的农户未纳入监测", Severity.WARNING, Level.HOUSEHOLD)
def unsafe_water_not_monitored(ctx: Context) -> QuerySet[Household]:
    return ctx.households.filter(safe_water=False).exclude(monitored())


@check("DQ-MON-09", "监测户未填致贫/返贫风险类型", Severity.ERROR, Level.HOUSEHOLD)
def monitored_without_risk(ctx: Context) -> QuerySet[Household]:
    no_risk = open_cases().exclude(Exists(CaseRisk.objects.filter(case_id=OuterRef("pk"))))
    return ctx.households.filter(Exists(no_risk))


@check("DQ-MON-10", "已消除风险但未填消除方式或消除时间", Severity.ERROR, Level.HOUSEHOLD)
def eliminated_without_method_or_date(ctx: Context) -> QuerySet[Household]:
    incomplete = eliminated_cases().filter(Q(elimination_method="") | Q(eliminated_on__isnull=True))
    return ctx.households.filter(Exists(incomplete))


@check("DQ-MON-11", "消除监测时间早于识别监测时间", Severity.ERROR, Level.HOUSEHOLD)
def eliminated_before_identified(ctx: Context) -> QuerySet[Household]:
    backwards = MonitoringCase.objects.filter(
        household_id=OuterRef("pk"), eliminated_on__lt=F("identified_on")
    )
    return ctx.households.filter(Exists(backwards))


@check(
    "DQ-MON-12",
    "监测类别与户类型不符（脱贫不稳定户应为脱贫户，边缘易致贫户应为一般农户）",
    Severity.ERROR,
    Level.HOUSEHOLD,
)
def category_mismatch(ctx: Context) -> QuerySet[Household]:
    unstable = Exists(open_cases().filter(category=Category.UNSTABLE))
    marginal = Exists(open_cases().filter(category=Category.MARGINAL))
    return ctx.households.filter(
        Q(unstable) & ~Q(household_type=HouseholdType.ALLEVIATED)
        | Q(marginal) & ~Q(household_type=HouseholdType.ORDINARY)
    )


@check("DQ-MON-13", "同一农户有多条未消除的监测记录", Severity.ERROR, Level.HOUSEHOLD)
def several_open_cases(ctx: Context) -> QuerySet[Household]:
    # One grouped pass over the open cases, not a count per household.
    open_ = MonitoringCase.objects.filter(status=MonitoringCase.Status.APPROVED, eliminated=False)
    several = open_.order_by().values("household_id").annotate(n=Count("pk")).filter(n__gt=1)
    return ctx.households.filter(pk__in=several.values("household_id"))


@check("DQ-MON-14", "识别监测时间晚于核查基准日", Severity.ERROR, Level.HOUSEHOLD)
def identified_in_future(ctx: Context) -> QuerySet[Household]:
    return ctx.households.filter(
        Exists(MonitoringCase.objects.filter(household_id=OuterRef("pk"), identified_on__gt=ctx.as_of))
    )
