"""Rules R01–R05: households not monitored that show a risk of returning to poverty."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)

from dixian.monitoring.models import HouseholdEvent
from dixian.monitoring.rules.base import (
    Context,
    Row,
    Rule,
    in_scope,
    is_monitored,
    months_before,
    percent,
    rows,
    with_income,
    yuan,
)
from dixian.registry.choices import PRESCHOOL, DisabilityGrade, Health, HouseholdType
from dixian.registry.models import Person

MONEY = DecimalField(max_digits=20, decimal_places=4)
SEVERE_GRADES = (DisabilityGrade.FIRST, DisabilityGrade.SECOND)
LINE_TYPES = (HouseholdType.ALLEVIATED, HouseholdType.ORDINARY)


# ---------------------------------------------------------------- R01 收入骤降


def _income_drop(ctx: Context) -> QuerySet[Any]:
    ratio: Decimal = ctx.param("income_drop_ratio")
    qs = with_income(with_income(ctx.households, "cur", ctx.year), "prev", ctx.year - 1)
    qs = qs.filter(~is_monitored("pk"), prev__per_capita_net__gt=0, cur__per_capita_net__isnull=False)
    # (previous − income) ≥ previous × ratio, scaled to whole numbers so that SQLite's
    # floating point cannot move a drop of exactly the ratio to either side.
    scale = 10_000
    income, previous = F("cur__per_capita_net"), F("prev__per_capita_net")
    drop = ExpressionWrapper((previous - income) * Value(scale, MONEY), output_field=MONEY)
    threshold = ExpressionWrapper(previous * Value(ratio * scale, MONEY), output_field=MONEY)
    qs = qs.alias(drop=drop, threshold=threshold).filter(drop__gte=F("threshold"))
    return rows(qs.annotate(income=income, previous=previous), "income", "previous")


def _income_drop_evidence(row: Row, ctx: Context) -> str:
    income, previous = row["income"], row["previous"]
    fall = (previous - income) / previous
    return (
        f"{ctx.year} 人均纯收入 {yuan(income)} 较 {ctx.year - 1} 年 {yuan(previous)} "
        f"下降 {percent(round(fall, 4))} ≥ {percent(ctx.param('income_drop_ratio'))}"
    )


# ---------------------------------------------------------------- R02 重残重病

SERIOUS = Q(health=Health.SERIOUS)
SEVERELY_DISABLED = Q(disability_grade__in=SEVERE_GRADES)


def _not_monitored_members(ctx: Context, condition: Q) -> QuerySet[Person]:
    return in_scope(ctx, Person.objects.filter(condition)).filter(~is_monitored())


def _severe_illness_disability(ctx: Context) -> QuerySet[Any]:
    qs = _not_monitored_members(ctx, SERIOUS | SEVERELY_DISABLED).values("household_id")
    qs = qs.annotate(
        serious=Count("pk", filter=SERIOUS), severe_disabled=Count("pk", filter=SEVERELY_DISABLED)
    )
    return qs.values("household_id", "serious", "severe_disabled").order_by()


def _severe_illness_disability_evidence(row: Row, ctx: Context) -> str:
    parts = []
    if row["serious"]:
        parts.append(f"患大病 {row['serious']} 人")
    if row["severe_disabled"]:
        parts.append(f"一级/二级残疾 {row['severe_disabled']} 人")
    return "成员" + "，".join(parts)


# ---------------------------------------------------------------- R03 突发灾害意外


def _disaster_accident(ctx: Context) -> QuerySet[Any]:
    since = months_before(ctx.as_of, 12)
    events = HouseholdEvent.objects.filter(date__gt=since, date__lte=ctx.as_of)
    latest = events.filter(household_id=OuterRef("household_id")).order_by("-date", "-pk")
    qs = in_scope(ctx, events).filter(~is_monitored()).values("household_id")
    qs = qs.annotate(
        event_count=Count("pk"),
        last_date=Max("date"),
        loss=Sum("loss"),
        last_kind=Subquery(latest.values("kind")[:1]),
    )
    return qs.values("household_id", "event_count", "last_date", "last_kind", "loss").order_by()


def _disaster_accident_evidence(row: Row, ctx: Context) -> str:
    return (
        f"近12个月（至 {ctx.as_of:%Y-%m-%d}）灾害/意外 {row['event_count']} 次，"
        f"最近 {row['last_date']:%Y-%m-%d} {row['last_kind']}，损失合计 {yuan(row['loss'])} 元"
    )


# ---------------------------------------------------------------- R04 受教育子女多

STUDENT = ~Q(school_stage="") & ~Q(school_stage=PRESCHOOL)


def _many_students(ctx: Context) -> QuerySet[Any]:
    qs = _not_monitored_members(ctx, STUDENT).values("household_id").annotate(students=Count("pk"))
    return (
        qs.filter(students__gte=ctx.param("many_students_min")).values("household_id", "students").order_by()
    )


def _many_students_evidence(row: Row, ctx: Context) -> str:
    return f"在校生 {row['students']} 人（不含学前教育）≥ {ctx.param('many_students_min')} 人"


# ---------------------------------------------------------------- R05 低于监测范围未纳入


def _below_line(ctx: Context) -> QuerySet[Any]:
    line = ctx.param("monitoring_line")
    qs = with_income(ctx.households.filter(household_type__in=LINE_TYPES), "cur", ctx.year)
    qs = qs.filter(~is_monitored("pk"), cur__per_capita_net__lt=line)
    return rows(qs.annotate(income=F("cur__per_capita_net")), "income")


def _below_line_evidence(row: Row, ctx: Context) -> str:
    line = ctx.param("monitoring_line")
    return f"{ctx.year} 人均纯收入 {yuan(row['income'])} < 监测范围 {yuan(line)}"


HOUSEHOLD_RULES = [
    Rule("R01-INCOME-DROP", "收入骤降", _income_drop, _income_drop_evidence),
    Rule(
        "R02-SEVERE-ILLNESS-DISABILITY",
        "重残重病",
        _severe_illness_disability,
        _severe_illness_disability_evidence,
    ),
    Rule("R03-DISASTER-ACCIDENT", "突发灾害意外", _disaster_accident, _disaster_accident_evidence),
    Rule("R04-MANY-STUDENTS", "受教育子女多", _many_students, _many_students_evidence),
    Rule("R05-BELOW-LINE-UNMONITORED", "低于监测范围未纳入", _below_line, _below_line_evidence),
]
