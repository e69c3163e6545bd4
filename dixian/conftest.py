"""The scope world every scope test uses, named by what each user may see.

东山镇 (A) has villages A1, A2; 陡水镇 (B) has B1. Households: a1 (A1), a2 (A2), b1 (B1),
moved (relocated: lives in B1, came from A1). Users: county (admin), dept (县民政局),
town_a, town_b, village_a1, cadre (paired with b1), leader (cadre's unit), nobody (no role).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from dixian.accounts.models import User
from dixian.accounts.roles import Role
from dixian.areas.models import Area, OrgUnit
from dixian.registry.models import Household
from dixian.testing import factories as f

TOWN_A, TOWN_B, COUNTY = "360724100000", "360724101000", "360724000000"


@dataclass
class World:
    village_a1: Area
    village_a2: Area
    village_b1: Area
    a1: Household
    a2: Household
    b1: Household
    moved: Household
    county: User
    dept: User
    town_a: User
    town_b: User
    village_a1_user: User
    cadre: User
    leader: User
    nobody: User

    def households(self) -> dict[str, Household]:
        return {"a1": self.a1, "a2": self.a2, "b1": self.b1, "moved": self.moved}

    def users(self) -> dict[str, User]:
        return {
            "county": self.county,
            "dept": self.dept,
            "town_a": self.town_a,
            "town_b": self.town_b,
            "village_a1": self.village_a1_user,
            "cadre": self.cadre,
            "leader": self.leader,
            "nobody": self.nobody,
        }


# Which households each user sees (the expected scope matrix).
VISIBLE: dict[str, set[str]] = {
    "county": {"a1", "a2", "b1", "moved"},
    "dept": {"a1", "a2", "b1", "moved"},
    "town_a": {"a1", "a2", "moved"},  # moved: origin duties (迁出地)
    "town_b": {"b1", "moved"},  # moved: lives here (迁入地)
    "village_a1": {"a1", "moved"},
    "cadre": {"b1"},
    "leader": {"b1"},
    "nobody": set(),
}


@pytest.fixture
def world(db) -> World:
    va1 = f.village("360724100201", "东山A1村")
    va2 = f.village("360724100202", "东山A2村")
    vb1 = f.village("360724101201", "陡水B1村")
    a1 = f.HouseholdFactory(area=va1)
    a2 = f.HouseholdFactory(area=va2, household_type="一般农户")
    b1 = f.HouseholdFactory(area=vb1)
    moved = f.HouseholdFactory(area=vb1, is_relocated=True, origin_area=va1)
    for h in (a1, a2, b1, moved):
        f.PersonFactory(household=h)
        f.IncomeFactory(household=h, year=2024)
    unit = f.org_unit(area_code=COUNTY, kind=OrgUnit.Kind.ASSISTANCE_UNIT, name="县帮扶单位甲")
    cadre = f.user("cadre", Role.CADRE, COUNTY, unit=unit)
    f.pair(cadre, b1)
    return World(
        village_a1=va1,
        village_a2=va2,
        village_b1=vb1,
        a1=a1,
        a2=a2,
        b1=b1,
        moved=moved,
        county=f.user("county", Role.COUNTY_ADMIN, COUNTY),
        dept=f.user("dept", Role.COUNTY_DEPARTMENT, COUNTY, unit=OrgUnit.objects.get(name="县民政局")),
        town_a=f.user("town_a", Role.TOWNSHIP, TOWN_A),
        town_b=f.user("town_b", Role.TOWNSHIP, TOWN_B),
        village_a1_user=f.user("village_a1", Role.VILLAGE, va1.code),
        cadre=cadre,
        leader=f.user("leader", Role.UNIT_LEADER, COUNTY, unit=unit),
        nobody=User.objects.create_user(username="nobody", password=f.PASSWORD),
    )
