"""Rules C01–C04: alerts on monitoring cases (the notice's 重纳轻帮, long-open cases,
cases ready for elimination, and clues past the identification deadline)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet

from dixian.monitoring.models import MonitoringCase
from dixian.monitoring.rules.base import (
    Context,
    Row,
    Rule,
    count_of,
    days_between,
    first_of_household,
    full_months_between,
    in_scope,
    measures_held,
    monitoring_starts,
    months_before,
    rows,
    with_income,
    yuan,
)
from dixian.registry.choices import WITH_LABOUR
from dixian.registry.models import Person


def _days_before(ctx: Context, code: str) -> dt.date:
    return ctx.as_of - dt.timedelta(days=ctx.param(code))


# ---------------------------------------------------------------- C01 重纳轻帮


def _no_measure(ctx: Context) -> QuerySet[MonitoringCase]:
    qs = monitoring_starts(ctx).filter(identified_on__lte=_days_before(ctx, "measure_due_days"))
    return rows(qs.filter(~Exists(measures_held())), "identified_on")


def _no_measure_evidence(row: Row, ctx: Context) -> str:
    days = days_between(row["identified_on"], ctx.as_of)
    return (
        f"{row['identified_on']:%Y-%m-%d} 纳入监测，已 {days} 天无帮扶措施"
        f"（期限 {ctx.param('measure_due_days')} 天）"
    )


# ---------------------------------------------------------------- C02 纳入一年以上未消除


def _open_over_one_year(ctx: Context) -> QuerySet[MonitoringCase]:
    qs = monitoring_starts(ctx).filter(identified_on__lte=_days_before(ctx, "open_case_review_days"))
    return rows(qs, "identified_on")


def _open_over_one_year_evidence(row: Row, ctx: Context) -> str:
    days = days_between(row["identified_on"], ctx.as_of)
    return (
        f"{row['identified_on']:%Y-%m-%d} 纳入监测，至 {ctx.as_of:%Y-%m-%d} 已 {days} 天未消除"
        f"（≥ {ctx.param('open_case_review_days')} 天）"
    )


# ---------------------------------------------------------------- C03 符合消除条件


def _ready_for_elimination(ctx: Context) -> QuerySet[Any]:
    line = ctx.param("monitoring_line")
    since = months_before(ctx.as_of, ctx.param("elimination_min_months"))
    labour = Person.objects.filter(household_id=OuterRef("household_id"), labour_skill__in=WITH_LABOUR)
    qs = monitoring_starts(ctx).filter(
        identified_on__lte=since, household__dangerous_housing=False, household__safe_water=True
    )
    # Joins and semi-joins the planner can order; the count of measures is computed only
    # for the rows that remain.
    qs = with_income(qs, "cur", ctx.year, via="household__incomes").filter(cur__per_capita_net__gte=line)
    qs = qs.filter(Exists(labour), Exists(measures_held()))
    qs = qs.annotate(measure_count=count_of(measures_held()), income=F("cur__per_capita_net"))
    return rows(qs, "identified_on", "measure_count", "income")


def _ready_for_elimination_evidence(row: Row, ctx: Context) -> str:
    months = full_months_between(row["identified_on"], ctx.as_of)
    return (
        f"监测 {months} 个月（≥ {ctx.param('elimination_min_months')}），帮扶措施 {row['measure_count']} 项，"
        f"{ctx.year} 人均纯收入 {yuan(row['income'])} ≥ 监测范围 {yuan(ctx.param('monitoring_line'))}，"
        "有劳动力，住房安全，饮水安全"
    )


# ---------------------------------------------------------------- C04 认定超期


def _identification_overdue(ctx: Context) -> QuerySet[MonitoringCase]:
    """The household's oldest clue still undecided past the deadline (ties: lowest pk)."""
    cutoff = _days_before(ctx, "identification_days")
    clues = MonitoringCase.objects.filter(status__in=MonitoringCase.OPEN_STATUSES, opened_on__lt=cutoff)
    qs = in_scope(ctx, first_of_household(clues, "opened_on")).annotate(case_status=F("status"))
    return rows(qs, "opened_on", "case_status")


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
