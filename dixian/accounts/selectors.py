"""What the home page shows a signed-in user: counts over their scope, nothing wider."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from dixian.accounts import scope
from dixian.areas.codes import Level, township_code
from dixian.areas.models import Area
from dixian.monitoring.measures.selectors import Worklist, paired_worklist
from dixian.monitoring.models import Category, MonitoringCase
from dixian.registry.choices import HouseholdType
from dixian.registry.models import Household


@dataclass(frozen=True)
class TownshipCounts:
    name: str
    code: str
    households: int
    persons: int
    monitored: int


@dataclass
class HomeSummary:
    households_total: int
    households_by_type: list[tuple[str, int]]
    persons_total: int
    monitored_total: int
    monitored_by_category: list[tuple[str, int]]
    townships: list[TownshipCounts]
    # Relocated households seen for origin duties (迁出地) that live outside the user's townships.
    elsewhere: TownshipCounts | None
    paired: list[Household] = field(default_factory=list)


def _open_cases(user: Any) -> QuerySet[MonitoringCase]:
    return scope.cases_visible_to(user).filter(status=MonitoringCase.Status.APPROVED, eliminated=False)


def _by_township(qs: QuerySet[Any], area_field: str, counted: str = "pk") -> dict[str, int]:
    """Counts grouped by the 9-digit township prefix of `area_field`."""
    rows = (
        qs.order_by()
        .annotate(town=Substr(area_field, 1, 9))
        .values("town")
        .annotate(n=Count(counted, distinct=True))
    )
    return {r["town"]: r["n"] for r in rows}


def _townships_in_scope(user: Any) -> QuerySet[Area]:
    """The townships the user's areas lie in (a village user gets their own township)."""
    codes = {township_code(code) for code in scope.areas_visible_to(user).values_list("code", flat=True)}
    return Area.objects.filter(level=Level.TOWNSHIP, code__in=codes).order_by("code")


def home_summary(user: Any) -> HomeSummary:
    households = scope.households_visible_to(user)
    cases = _open_cases(user)
    by_type = dict(households.order_by().values_list("household_type").annotate(n=Count("pk")))
    by_category = dict(
        cases.order_by().values_list("category").annotate(n=Count("household_id", distinct=True))
    )
    homes = _by_township(households, "area_id")
    people = _by_township(scope.persons_visible_to(user), "household__area_id")
    monitored = _by_township(cases, "household__area_id", "household_id")

    townships = []
    for area in _townships_in_scope(user):
        town = area.code[:9]
        townships.append(
            TownshipCounts(
                area.name, area.code, homes.pop(town, 0), people.get(town, 0), monitored.get(town, 0)
            )
        )
    elsewhere = None
    if homes:
        outside = set(homes)
        elsewhere = TownshipCounts(
            "辖区外居住的搬迁户（迁出地职责）",
            "",
            sum(homes.values()),
            sum(n for t, n in people.items() if t in outside),
            sum(n for t, n in monitored.items() if t in outside),
        )
    return HomeSummary(
        households_total=sum(by_type.values()),
        households_by_type=[(label, by_type.get(value, 0)) for value, label in HouseholdType.choices],
        persons_total=scope.persons_visible_to(user).count(),
        monitored_total=cases.values("household_id").distinct().count(),
        monitored_by_category=[(label, by_category.get(value, 0)) for value, label in Category.choices],
        townships=townships,
        elsewhere=elsewhere,
        paired=list(paired_households(user)),
    )


def paired_households(user: Any) -> QuerySet[Household]:
    """The households a cadre is paired with now (through scope, so never wider)."""
    return (
        scope.households_visible_to(user)
        .filter(pairings__cadre=user, pairings__ended_on__isnull=True)
        .select_related("area", "area__parent")
        .distinct()
        .order_by("number")
    )


def cadre_worklist(user: Any) -> Worklist:
    """我的结对户: the user's active pairings (within scope) with open warnings, due visits and
    missing measures, most urgent first (empty for a user paired with nobody)."""
    return paired_worklist(user, timezone.localdate())
