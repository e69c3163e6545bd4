"""Yearly income records (家庭收入)."""

from __future__ import annotations

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet

from dixian.dataquality.checks.base import Context, Level, Severity, check, monitored
from dixian.registry.choices import HouseholdType
from dixian.registry.models import Household, HouseholdIncome


def _income_of_year(ctx: Context) -> QuerySet[HouseholdIncome]:
    return HouseholdIncome.objects.filter(household_id=OuterRef("pk"), year=ctx.year)


@check("DQ-INC-01", "脱贫户或监测户缺少当年收入记录", Severity.ERROR, Level.HOUSEHOLD)
def income_missing(ctx: Context) -> QuerySet[Household]:
    covered = ctx.households.filter(Q(household_type=HouseholdType.ALLEVIATED) | Q(monitored()))
    return covered.exclude(Exists(_income_of_year(ctx)))


@check("DQ-INC-02", "当年人均纯收入为负数", Severity.ERROR, Level.HOUSEHOLD)
def negative_income(ctx: Context) -> QuerySet[Household]:
    return ctx.households.filter(Exists(_income_of_year(ctx).filter(per_capita_net__lt=0)))


@check("DQ-INC-03", "当年收入记录的家庭常住人口与家庭成员数不一致", Severity.WARNING, Level.HOUSEHOLD)
def income_members_mismatch(ctx: Context) -> QuerySet[Household]:
    # One grouped pass: each income record of the year against a count of the household's
    # members (0 for a household without any), not a count per household.
    mismatched = (
        HouseholdIncome.objects.filter(year=ctx.year)
        .order_by()
        .values("household_id")
        .annotate(recorded=Max("members"), member_count=Count("household__members"))
        .exclude(recorded=F("member_count"))
        .values("household_id")
    )
    return ctx.households.filter(pk__in=mismatched)
