"""Reads of the screening warnings, always through the scoping layer: a user sees the
warnings of the households `dixian.accounts.scope` lets them see, nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr

from dixian.accounts.scope import areas_visible_to, household_q
from dixian.areas.models import Area
from dixian.monitoring.models import ScreeningWarning
from dixian.monitoring.rules import RULE_LABELS

PENDING = ScreeningWarning.Status.PENDING


def warnings_visible_to(user: Any) -> QuerySet[ScreeningWarning]:
    return ScreeningWarning.objects.filter(household_q(user, via="household__"))


def warning_list(
    user: Any, *, rule: str = "", township: str = "", status: str = PENDING
) -> QuerySet[ScreeningWarning]:
    """The user's warnings, newest rule first by household number, with the household's
    village and township joined. `township` is a 12- or 9-digit code; "" means all."""
    qs = warnings_visible_to(user)
    if rule:
        qs = qs.filter(rule=rule)
    if township:
        qs = qs.filter(household__area__code__startswith=township[:9])
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("household", "household__area", "household__area__parent").order_by(
        "rule", "household__number", "pk"
    )


def townships_visible_to(user: Any) -> list[Area]:
    """The townships the user's areas lie in (a village user gets their township)."""
    prefixes = {code[:9] for code in areas_visible_to(user).values_list("code", flat=True)}
    codes = [p + "000" for p in prefixes]
    return list(Area.objects.filter(code__in=codes, level=Area.LevelChoices.TOWNSHIP).order_by("code"))


def rule_counts(user: Any, *, township: str = "") -> dict[str, int]:
    """Pending warnings per rule code (every rule listed, zeros included)."""
    counts = dict.fromkeys(RULE_LABELS, 0)
    qs = warning_list(user, township=township).order_by().values("rule").annotate(n=Count("pk"))
    counts.update({row["rule"]: row["n"] for row in qs if row["rule"] in counts})
    return counts


@dataclass(frozen=True)
class TownshipRow:
    township: Area | None  # None: the total over everything the user sees
    counts: list[tuple[str, int]]  # (rule code, pending count) in RULE_LABELS order


def township_table(user: Any) -> list[TownshipRow]:
    """Pending warnings per township (of residence) × rule, for the user's townships,
    and a total row over all the user sees (which includes households seen only for
    their origin's duties, living in another township)."""
    rules = list(RULE_LABELS)
    per_town: dict[tuple[str, str], int] = {}
    counts = (
        warnings_visible_to(user)
        .filter(status=PENDING)
        .order_by()
        .annotate(town=Substr("household__area_id", 1, 9))
        .values("town", "rule")
        .annotate(n=Count("pk"))
    )
    for row in counts:
        per_town[(row["town"], row["rule"])] = row["n"]
    rows = [
        TownshipRow(town, [(r, per_town.get((town.code[:9], r), 0)) for r in rules])
        for town in townships_visible_to(user)
    ]
    total = rule_counts(user)
    rows.append(TownshipRow(None, [(r, total[r]) for r in rules]))
    return rows
