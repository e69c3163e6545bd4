"""The one scoping layer: the only road to households and what hangs off them.

Every page, export, API operation, admin list and count that returns people or money
starts from a function here. Scope is computed from the area tree and the user's roles:

* area roles (county admin, county department, township, village) see the households that
  live under their org unit's area, and the relocated households that came from it
  (迁出地 duties, DOMAIN.md §8);
* an assistance cadre sees the households paired with them; an assistance-unit leader
  sees the households paired with any cadre of the unit;
* a superuser sees everything; anyone else sees nothing.

A user with several roles sees the union. Objects outside scope are answered with 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from dixian.accounts.roles import AREA_ROLES, Role
from dixian.areas.codes import prefix as area_prefix
from dixian.areas.codes import township_code
from dixian.areas.models import Area
from dixian.employment.models import EmploymentRecord, WorkPlan
from dixian.monitoring.models import AssistanceMeasure, MonitoringCase
from dixian.registry.models import Household, HouseholdIncome, Pairing, Person

_NOTHING = Q(pk__in=[])


def _is_active_user(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def area_prefix_of(user: Any) -> str | None:
    """The code prefix of the user's org unit area, if the user holds an area role."""
    if not _is_active_user(user) or user.org_unit_id is None or not (user.roles & AREA_ROLES):
        return None
    return area_prefix(user.org_unit.area_id)


def household_q(user: Any, via: str = "") -> Q:
    """The filter selecting the households `user` may see; `via` prefixes the lookups
    (``"household__"`` to filter persons, incomes or cases by their household)."""
    if not _is_active_user(user):
        return _NOTHING
    if user.is_superuser:
        return Q()
    q = _NOTHING
    code_prefix = area_prefix_of(user)
    if code_prefix is not None:
        q |= Q(**{f"{via}area__code__startswith": code_prefix}) | Q(
            **{f"{via}origin_area__code__startswith": code_prefix}
        )
    roles = user.roles
    if Role.CADRE in roles:
        paired = Pairing.objects.filter(cadre=user, ended_on__isnull=True).values("household_id")
        q |= Q(**{f"{via}pk__in": paired})
    if Role.UNIT_LEADER in roles and user.org_unit_id is not None:
        unit = Pairing.objects.filter(cadre__org_unit_id=user.org_unit_id, ended_on__isnull=True)
        q |= Q(**{f"{via}pk__in": unit.values("household_id")})
    return q


def households_visible_to(user: Any) -> QuerySet[Household]:
    return Household.objects.filter(household_q(user))


def persons_visible_to(user: Any) -> QuerySet[Person]:
    return Person.objects.filter(household_q(user, via="household__"))


def incomes_visible_to(user: Any) -> QuerySet[HouseholdIncome]:
    return HouseholdIncome.objects.filter(household_q(user, via="household__"))


def cases_visible_to(user: Any) -> QuerySet[MonitoringCase]:
    return MonitoringCase.objects.filter(household_q(user, via="household__"))


def measures_visible_to(user: Any) -> QuerySet[AssistanceMeasure]:
    return AssistanceMeasure.objects.filter(household_q(user, via="household__"))


def employment_visible_to(user: Any) -> QuerySet[EmploymentRecord]:
    return EmploymentRecord.objects.filter(household_q(user, via="person__household__"))


def work_plans_visible_to(user: Any) -> QuerySet[WorkPlan]:
    return WorkPlan.objects.filter(household_q(user, via="person__household__"))


def areas_visible_to(user: Any) -> QuerySet[Area]:
    """Areas a user may pick in filters: the subtree of their own area (all areas for a
    superuser; the areas of their paired households for cadres and unit leaders)."""
    if not _is_active_user(user):
        return Area.objects.none()
    if user.is_superuser:
        return Area.objects.all()
    code_prefix = area_prefix_of(user)
    q = _NOTHING
    if code_prefix is not None:
        q |= Q(code__startswith=code_prefix)
    if user.roles - AREA_ROLES:
        village_codes = households_visible_to(user).values("area_id")
        township_codes = {
            township_code(c) for c in village_codes.values_list("area_id", flat=True).distinct()
        }
        q |= Q(code__in=village_codes) | Q(code__in=township_codes)
    return Area.objects.filter(q)


def seen_via_origin(user: Any, household: Household) -> bool:
    """True when the user sees a relocated household only for its origin's duties (迁出地):
    it came from the user's area but lives outside it."""
    code_prefix = area_prefix_of(user)
    if code_prefix is None or not household.is_relocated or household.origin_area_id is None:
        return False
    return household.origin_area_id.startswith(code_prefix) and not household.area_id.startswith(code_prefix)


def get_household_for_user(user: Any, pk: int) -> Household:
    """The household, or 404 when it does not exist or lies outside the user's scope:
    the two are indistinguishable on purpose."""
    return get_object_or_404(households_visible_to(user), pk=pk)


def get_person_for_user(user: Any, pk: int) -> Person:
    return get_object_or_404(persons_visible_to(user).select_related("household"), pk=pk)


def scope_key(user: Any) -> str:
    """What a user's scope is made of, for cache keys: the user, their org unit and roles.
    A user moved to another township or given another role gets new keys at once; pairings
    (a cadre's scope) are data, and changing one bumps the data generation."""
    roles = ",".join(sorted(str(r) for r in getattr(user, "roles", ())))
    return f"{user.pk}-{getattr(user, 'org_unit_id', None)}-{roles}-{int(bool(user.is_superuser))}"
