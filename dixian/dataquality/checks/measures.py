"""Assistance measures against status, risks and labour (帮扶措施与低保特困、风险类型、劳动力)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from dixian.dataquality.checks.base import (
    Context,
    Level,
    Severity,
    check,
    measures_of,
    members,
    monitored,
    open_cases,
)
from dixian.monitoring.measures.expected import EXPECTED_MEASURES
from dixian.monitoring.models import DEVELOPMENTAL_MEASURES, CaseRisk, MeasureType, MonitoringCase, RiskType
from dixian.registry.choices import WITH_LABOUR, Dibao, DisabilityGrade, Health, LabourSkill, Tekun
from dixian.registry.models import Household

M = MeasureType
FULL_LABOUR = [LabourSkill.ORDINARY, LabourSkill.SKILLED]
ON_DIBAO = [Dibao.URBAN, Dibao.RURAL]


def _has(*types: str, detail: str = "") -> Exists:
    return Exists(measures_of(*types, detail=detail))


def _member(**lookups: object) -> Exists:
    return Exists(members().filter(**lookups))


def _open_risk(risk: str) -> Exists:
    return Exists(
        CaseRisk.objects.filter(
            case__household_id=OuterRef("pk"),
            case__status=MonitoringCase.Status.APPROVED,
            case__eliminated=False,
            risk_type=risk,
        )
    )


def _risk_without(ctx: Context, risk: str) -> QuerySet[Household]:
    return ctx.households.filter(_open_risk(risk)).exclude(_has(*EXPECTED_MEASURES[risk]))


@check("DQ-MEA-01", "有成员享受低保，但无综合保障（低保）措施", Severity.WARNING, Level.HOUSEHOLD)
def dibao_without_measure(ctx: Context) -> QuerySet[Household]:
    return ctx.households.filter(_member(dibao__in=ON_DIBAO)).exclude(_has(M.SOCIAL_SECURITY))


@check("DQ-MEA-02", "有综合保障（低保）措施，但无成员享受低保", Severity.WARNING, Level.HOUSEHOLD)
def dibao_measure_without_dibao(ctx: Context) -> QuerySet[Household]:
    return ctx.households.filter(_has(M.SOCIAL_SECURITY, detail="低保")).exclude(_member(dibao__in=ON_DIBAO))


@check("DQ-MEA-03", "有成员享受特困供养，但无综合保障措施", Severity.WARNING, Level.HOUSEHOLD)
def tekun_without_measure(ctx: Context) -> QuerySet[Household]:
    return ctx.households.filter(_member(tekun__in=[Tekun.URBAN, Tekun.RURAL])).exclude(
        _has(M.SOCIAL_SECURITY)
    )


@check("DQ-MEA-04", "有一级或二级残疾成员，但无综合保障（残疾人补贴）措施", Severity.WARNING, Level.HOUSEHOLD)
def severe_disability_without_allowance(ctx: Context) -> QuerySet[Household]:
    severe = _member(disability_grade__in=[DisabilityGrade.FIRST, DisabilityGrade.SECOND])
    return ctx.households.filter(severe).exclude(_has(M.SOCIAL_SECURITY, detail="残疾"))


@check("DQ-MEA-05", "风险类型为因病，但无健康帮扶或社会帮扶措施", Severity.WARNING, Level.HOUSEHOLD)
def illness_risk_unmatched(ctx: Context) -> QuerySet[Household]:
    return _risk_without(ctx, RiskType.ILLNESS)


@check("DQ-MEA-06", "风险类型为因学，但无教育帮扶或义务教育保障措施", Severity.WARNING, Level.HOUSEHOLD)
def education_risk_unmatched(ctx: Context) -> QuerySet[Household]:
    return _risk_without(ctx, RiskType.EDUCATION)


@check("DQ-MEA-07", "风险类型为因残，但无综合保障或社会帮扶措施", Severity.WARNING, Level.HOUSEHOLD)
def disability_risk_unmatched(ctx: Context) -> QuerySet[Household]:
    return _risk_without(ctx, RiskType.DISABILITY)


@check("DQ-MEA-08", "风险类型为因安全住房，但无住房安全保障或搬迁措施", Severity.WARNING, Level.HOUSEHOLD)
def housing_risk_unmatched(ctx: Context) -> QuerySet[Household]:
    return _risk_without(ctx, RiskType.HOUSING)


@check("DQ-MEA-09", "风险类型为因安全饮水，但无饮水安全保障措施", Severity.WARNING, Level.HOUSEHOLD)
def water_risk_unmatched(ctx: Context) -> QuerySet[Household]:
    return _risk_without(ctx, RiskType.WATER)


@check(
    "DQ-MEA-10", "有劳动能力的监测户只有综合保障措施（应落实开发式帮扶）", Severity.WARNING, Level.HOUSEHOLD
)
def labour_household_only_welfare(ctx: Context) -> QuerySet[Household]:
    return ctx.households.filter(
        monitored(), _member(labour_skill__in=WITH_LABOUR), _has(M.SOCIAL_SECURITY)
    ).exclude(Exists(measures_of().exclude(measure_type=M.SOCIAL_SECURITY)))


@check(
    "DQ-MEA-11",
    "监测户有普通或技能劳动力，但无开发式帮扶措施（产业、就业、金融、公益岗位）",
    Severity.WARNING,
    Level.HOUSEHOLD,
)
def workers_without_developmental(ctx: Context) -> QuerySet[Household]:
    return ctx.households.filter(monitored(), _member(labour_skill__in=FULL_LABOUR)).exclude(
        _has(*DEVELOPMENTAL_MEASURES)
    )


@check("DQ-MEA-12", "监测户有患大病成员，但无健康帮扶措施", Severity.WARNING, Level.HOUSEHOLD)
def serious_illness_without_health(ctx: Context) -> QuerySet[Household]:
    return ctx.households.filter(monitored(), _member(health=Health.SERIOUS)).exclude(_has(M.HEALTH))


@check("DQ-MEA-13", "公益岗位帮扶未填月数", Severity.ERROR, Level.HOUSEHOLD)
def public_job_without_months(ctx: Context) -> QuerySet[Household]:
    return ctx.households.filter(
        Exists(measures_of(M.PUBLIC_WELFARE_JOB).filter(Q(months__isnull=True) | Q(months=0)))
    )


@check("DQ-MEA-14", "小额信贷金额超过额度上限", Severity.ERROR, Level.HOUSEHOLD)
def microcredit_over_cap(ctx: Context) -> QuerySet[Household]:
    over = measures_of(M.FINANCE, detail="小额信贷").filter(amount__gt=ctx.param("microcredit_cap"))
    return ctx.households.filter(Exists(over))


@check("DQ-MEA-15", "纳入监测超过规定期限仍无任何帮扶措施（重纳轻帮）", Severity.ERROR, Level.HOUSEHOLD)
def monitored_without_measures(ctx: Context) -> QuerySet[Household]:
    due = ctx.as_of - dt.timedelta(days=ctx.param("measure_due_days"))
    overdue = Exists(open_cases().filter(identified_on__lt=due))
    return ctx.households.filter(overdue).exclude(Exists(measures_of()))
