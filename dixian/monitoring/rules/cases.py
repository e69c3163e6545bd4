"""Rules C01–C04: alerts on monitoring cases (the notice's 重纳轻帮, long-open cases,
cases ready for elimination, and clues past the identification deadline)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from dixian.monitoring.models import MonitoringCase
from dixian.monitoring.rules.base import (
    Context,
    Row,
    Rule,
    count_of,
    days_between,
    full_months_between,
    identified_on,
    income_of,
    measures_held,
    months_before,
    rows,
    yuan,
)
from dixian.registry.choices import WITH_LABOUR
from dixian.registry.models import Household, Person


def _monitored(ctx: Context) -> QuerySet[Any]:
    """Monitored households with the identification date of their case; a case without
    one (never expected) cannot be timed and so never fires."""
    return ctx.households.annotate(identified_on=identified_on()).filter(identified_on__isnull=False)


def _days_before(ctx: Context, code: str) -> dt.date:
    return ctx.as_of - dt.timedelta(days=ctx.param(code))


# ---------------------------------------------------------------- C01 重纳轻帮


def _no_measure(ctx: Context) -> QuerySet[Household]:
    qs = _monitored(ctx).filter(identified_on__lte=_days_before(ctx, "measure_due_days"))
    return rows(qs.filter(~Exists(measures_held())), "identified_on")


def _no_measure_evidence(row: Row, ctx: Context) -> str:
    days = days_between(row["identified_on"], ctx.as_of)
    return (
        f"{row['identified_on']:%Y-%m-%d} 纳入监测，已 {days} 天无帮扶措施"
        f"（期限 {ctx.param('measure_due_days')} 天）"
    )


# ---------------------------------------------------------------- C02 纳入一年以上未消除


def _open_over_one_year(ctx: Context) -> QuerySet[Household]:
    qs = _monitored(ctx).filter(identified_on__lte=_days_before(ctx, "open_case_review_days"))
    return rows(qs, "identified_on")


def _open_over_one_year_evidence(row: Row, ctx: Context) -> str:
    days = days_between(row["identified_on"], ctx.as_of)
    return (
        f"{row['identified_on']:%Y-%m-%d} 纳入监测，至 {ctx.as_of:%Y-%m-%d} 已 {days} 天未消除"
        f"（≥ {ctx.param('open_case_review_days')} 天）"
    )


# ---------------------------------------------------------------- C03 符合消除条件


def _ready_for_elimination(ctx: Context) -> QuerySet[Household]:
    line = ctx.param("monitoring_line")
    since = months_before(ctx.as_of, ctx.param("elimination_min_months"))
    labour = Person.objects.filter(household_id=OuterRef("pk"), labour_skill__in=WITH_LABOUR)
    qs = _monitored(ctx).filter(identified_on__lte=since, dangerous_housing=False, safe_water=True)
    qs = qs.filter(Exists(labour)).annotate(
        measure_count=count_of(measures_held()), income=income_of(ctx.year)
    )
    return rows(qs.filter(measure_count__gt=0, income__gte=line), "identified_on", "measure_count", "income")


def _ready_for_elimination_evidence(row: Row, ctx: Context) -> str:
    months = full_months_between(row["identified_on"], ctx.as_of)
    return (
        f"监测 {months} 个月（≥ {ctx.param('elimination_min_months')}），帮扶措施 {row['measure_count']} 项，"
        f"{ctx.year} 人均纯收入 {yuan(row['income'])} ≥ 监测范围 {yuan(ctx.param('monitoring_line'))}，"
        "有劳动力，住房安全，饮水安全"
    )


# ---------------------------------------------------------------- C04 认定超期


def _identification_overdue(ctx: Context) -> QuerySet[Household]:
    cutoff = _days_before(ctx, "identification_days")
    clues = MonitoringCase.objects.filter(
        household_id=OuterRef("pk"), status__in=MonitoringCase.OPEN_STATUSES, opened_on__lt=cutoff
    ).order_by("opened_on", "pk")
    qs = ctx.households.annotate(
        opened_on=Subquery(clues.values("opened_on")[:1]), case_status=Subquery(clues.values("status")[:1])
    )
    return rows(qs.filter(opened_on__isnull=False), "opened_on", "case_status")


def _identification_overdue_evidence(row: Row, ctx: Context) -> str:
    days = days_between(row["opened_on"], ctx.as_of)
    status = MonitoringCase.Status(row["case_status"]).label
    return (
        f"线索日期 {row['opened_on']:%Y-%m-%d}，已 {days} 天无认定结论"
        f"（期限 {ctx.param('identification_days')} 天），当前 {status}"
    )


CASE_RULES = [
    Rule("C01-NO-MEASURE", "重纳轻帮", _no_measure, _no_measure_evidence),
    Rule("C02-OPEN-OVER-ONE-YEAR", "纳入一年以上未消除", _open_over_one_year, _open_over_one_year_evidence),
    Rule(
        "C03-READY-FOR-ELIMINATION", "符合消除条件", _ready_for_elimination, _ready_for_elimination_evidence
    ),
    Rule("C04-IDENTIFICATION-OVERDUE", "认定超期", _identification_overdue, _identification_overdue_evidence),
]
