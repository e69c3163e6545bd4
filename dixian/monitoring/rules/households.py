"""Rules R01–R05: households not monitored that show a risk of returning to poverty."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery, Sum, Value

from dixian.monitoring.models import HouseholdEvent
from dixian.monitoring.rules.base import (
    Context,
    Row,
    Rule,
    count_of,
    income_of,
    months_before,
    not_monitored,
    percent,
    rows,
    yuan,
)
from dixian.registry.choices import PRESCHOOL, DisabilityGrade, Health, HouseholdType
from dixian.registry.models import Household, Person

MONEY = DecimalField(max_digits=20, decimal_places=4)
SEVERE_GRADES = (DisabilityGrade.FIRST, DisabilityGrade.SECOND)
LINE_TYPES = (HouseholdType.ALLEVIATED, HouseholdType.ORDINARY)


# ---------------------------------------------------------------- R01 收入骤降


def _income_drop(ctx: Context) -> QuerySet[Household]:
    ratio: Decimal = ctx.param("income_drop_ratio")
    qs = not_monitored(ctx.households).annotate(income=income_of(ctx.year), previous=income_of(ctx.year - 1))
    # (previous − income) ≥ previous × ratio, scaled to whole numbers so that SQLite's
    # floating point cannot move a drop of exactly the ratio to either side.
    scale = 10_000
    drop = ExpressionWrapper((F("previous") - F("income")) * Value(scale, MONEY), output_field=MONEY)
    threshold = ExpressionWrapper(F("previous") * Value(ratio * scale, MONEY), output_field=MONEY)
    qs = qs.filter(previous__gt=0, income__isnull=False).alias(drop=drop, threshold=threshold)
    return rows(qs.filter(drop__gte=F("threshold")), "income", "previous")


def _income_drop_evidence(row: Row, ctx: Context) -> str:
    income, previous = row["income"], row["previous"]
    fall = (previous - income) / previous
    return (
        f"{ctx.year} 人均纯收入 {yuan(income)} 较 {ctx.year - 1} 年 {yuan(previous)} "
        f"下降 {percent(round(fall, 4))} ≥ {percent(ctx.param('income_drop_ratio'))}"
    )


# ---------------------------------------------------------------- R02 重残重病


def _members(**filters: object) -> QuerySet[Person]:
    return Person.objects.filter(household_id=OuterRef("pk"), **filters)


def _severe_illness_disability(ctx: Context) -> QuerySet[Household]:
    qs = not_monitored(ctx.households).annotate(
        serious=count_of(_members(health=Health.SERIOUS)),
        severe_disabled=count_of(_members(disability_grade__in=SEVERE_GRADES)),
    )
    return rows(qs.filter(Q(serious__gt=0) | Q(severe_disabled__gt=0)), "serious", "severe_disabled")


def _severe_illness_disability_evidence(row: Row, ctx: Context) -> str:
    parts = []
    if row["serious"]:
        parts.append(f"患大病 {row['serious']} 人")
    if row["severe_disabled"]:
        parts.append(f"一级/二级残疾 {row['severe_disabled']} 人")
    return "成员" + "，".join(parts)


# ---------------------------------------------------------------- R03 突发灾害意外


def _events(ctx: Context) -> QuerySet[HouseholdEvent]:
    since = months_before(ctx.as_of, 12)
    return HouseholdEvent.objects.filter(household_id=OuterRef("pk"), date__gt=since, date__lte=ctx.as_of)


def _disaster_accident(ctx: Context) -> QuerySet[Household]:
    events = _events(ctx)
    latest = events.order_by("-date", "-pk")
    loss = events.order_by().values("household_id").annotate(s=Sum("loss")).values("s")[:1]
    qs = not_monitored(ctx.households).annotate(event_count=count_of(events)).filter(event_count__gt=0)
    qs = qs.annotate(
        last_date=Subquery(latest.values("date")[:1]),
        last_kind=Subquery(latest.values("kind")[:1]),
        loss=Subquery(loss),
    )
    return rows(qs, "event_count", "last_date", "last_kind", "loss")


def _disaster_accident_evidence(row: Row, ctx: Context) -> str:
    return (
        f"近12个月（至 {ctx.as_of:%Y-%m-%d}）灾害/意外 {row['event_count']} 次，"
        f"最近 {row['last_date']:%Y-%m-%d} {row['last_kind']}，损失合计 {yuan(row['loss'])} 元"
    )


# ---------------------------------------------------------------- R04 受教育子女多


def _many_students(ctx: Context) -> QuerySet[Household]:
    students = _members().exclude(school_stage="").exclude(school_stage=PRESCHOOL)
    qs = not_monitored(ctx.households).annotate(students=count_of(students))
    return rows(qs.filter(students__gte=ctx.param("many_students_min")), "students")


def _many_students_evidence(row: Row, ctx: Context) -> str:
    return f"在校生 {row['students']} 人（不含学前教育）≥ {ctx.param('many_students_min')} 人"


# ---------------------------------------------------------------- R05 低于监测范围未纳入


def _below_line(ctx: Context) -> QuerySet[Household]:
    line = ctx.param("monitoring_line")
    qs = not_monitored(ctx.households.filter(household_type__in=LINE_TYPES))
    qs = qs.annotate(income=income_of(ctx.year)).filter(income__lt=line)
    return rows(qs, "income")


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
