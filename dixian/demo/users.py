"""Demo logins, assistance units and their cadres, and the plan that pairs cadres with
households (结对帮扶; 双向帮扶 for relocated households, DOMAIN.md §8).

Each assistance unit takes a share of the villages (单位包村); the unit's cadres split
those villages between them, and a village's households are dealt round-robin to the
village's cadres. The `cadre` login gets about 20 households of the demo village.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db.models import Q

from dixian.accounts.models import User
from dixian.accounts.roles import Role
from dixian.areas.models import OrgUnit
from dixian.demo.geography import Village
from dixian.demo.names import ASSISTANCE_UNITS, NameDrawer

PASSWORD = "dixian-demo-2024"
COUNTY_CODE = "360724000000"
CADRES_PER_20000 = 300
DEMO_CADRE_HOUSEHOLDS = 20


@dataclass(frozen=True)
class Login:
    username: str
    role: Role
    area_code: str
    unit_name: str | None  # None: the demo village's committee


LOGINS = [
    Login("county", Role.COUNTY_ADMIN, COUNTY_CODE, "上犹县农业农村局"),
    Login("dept", Role.COUNTY_DEPARTMENT, COUNTY_CODE, "县民政局"),
    Login("township", Role.TOWNSHIP, "360724100000", "东山镇人民政府"),
    Login("township2", Role.TOWNSHIP, "360724101000", "陡水镇人民政府"),
    Login("village", Role.VILLAGE, "", None),
    Login("cadre", Role.CADRE, COUNTY_CODE, ASSISTANCE_UNITS[0]),
    Login("leader", Role.UNIT_LEADER, COUNTY_CODE, ASSISTANCE_UNITS[0]),
]
LOGIN_NAMES = [login.username for login in LOGINS]


def demo_users_q() -> Q:
    """The demo logins and every cadre or leader of a demo assistance unit."""
    return Q(username__in=LOGIN_NAMES) | Q(
        org_unit__kind=OrgUnit.Kind.ASSISTANCE_UNIT, org_unit__name__in=ASSISTANCE_UNITS
    )


def cadre_count(households: int) -> int:
    return max(2 * len(ASSISTANCE_UNITS), round(CADRES_PER_20000 * households / 20_000))


class PairingPlan:
    """Which cadre takes the next household of a village (deterministic, stateful)."""

    def __init__(self, by_village: dict[str, list[int]], demo_cadre: int, demo_village: str) -> None:
        self.by_village = by_village
        self.demo_cadre = demo_cadre
        self.demo_village = demo_village
        self.demo_taken = 0
        self.turn: dict[str, int] = {}
        self.everyone = sorted({c for cadres in by_village.values() for c in cadres})

    def _deal(self, village: str, exclude: int | None = None) -> int:
        cadres = [c for c in self.by_village[village] if c not in (exclude, self.demo_cadre)]
        if not cadres and exclude is None:
            cadres = self.by_village[village]
        if not cadres:  # the only cadre here is taken: any other cadre of the county helps out
            cadres = [c for c in self.everyone if c not in (exclude, self.demo_cadre)]
        turn = self.turn.get(village, 0)
        self.turn[village] = turn + 1
        return cadres[turn % len(cadres)]

    def residence(self, village: str) -> int:
        if village == self.demo_village and self.demo_taken < DEMO_CADRE_HOUSEHOLDS:
            self.demo_taken += 1
            return self.demo_cadre
        return self._deal(village)

    def origin(self, village: str, exclude: int) -> int:
        return self._deal(village, exclude)


def _split(items: list, parts: int) -> list[list]:
    return [items[i::parts] for i in range(parts)]


@dataclass(frozen=True)
class Account:
    username: str
    role: Role
    unit: OrgUnit
    full_name: str
    phone: str = ""


def _accounts(households: int, names: NameDrawer, demo_village: Village) -> list[Account]:
    """The demo logins, then each unit's cadres (bfUUKKK) and leader (bfUU000)."""
    OrgUnit.objects.bulk_create(
        [OrgUnit(name=n, kind=OrgUnit.Kind.ASSISTANCE_UNIT, area_id=COUNTY_CODE) for n in ASSISTANCE_UNITS],
        ignore_conflicts=True,
    )
    units = {
        u.name: u
        for u in OrgUnit.objects.filter(
            area_id=COUNTY_CODE, kind=OrgUnit.Kind.ASSISTANCE_UNIT, name__in=ASSISTANCE_UNITS
        )
    }
    accounts = []
    for login in LOGINS:
        if login.unit_name is None:
            unit = OrgUnit.objects.get(area_id=demo_village.code, kind=OrgUnit.Kind.VILLAGE_COMMITTEE)
        else:
            unit = units.get(login.unit_name) or OrgUnit.objects.get(
                area_id=login.area_code, name=login.unit_name
            )
        accounts.append(Account(login.username, login.role, unit, names.full(names.random() < 0.6)))
    per_unit = _split(list(range(cadre_count(households))), len(ASSISTANCE_UNITS))
    for u, (unit_name, members) in enumerate(zip(ASSISTANCE_UNITS, per_unit, strict=True)):
        unit = units[unit_name]
        first = 2 if u == 0 else 1  # unit 1's first cadre is the `cadre` login
        for k in range(first, len(members) + 1):
            male = names.random() < 0.6
            accounts.append(
                Account(f"bf{u + 1:02d}{k:03d}", Role.CADRE, unit, names.full(male), names.phone())
            )
        if u:  # unit 1's leader is the `leader` login
            accounts.append(Account(f"bf{u + 1:02d}000", Role.UNIT_LEADER, unit, names.full(True)))
    return accounts


def ensure_users(villages: list[Village], demo_village: Village, households: int, seed: int) -> PairingPlan:
    """Create the demo logins, the assistance units and their cadres; plan the pairings."""
    rng = random.Random(f"{seed}:users")
    accounts = _accounts(households, NameDrawer(rng), demo_village)
    password = make_password(PASSWORD)  # hashed once: thousands of cadres share it
    User.objects.bulk_create(
        User(username=a.username, password=password, org_unit=a.unit, full_name=a.full_name, phone=a.phone)
        for a in accounts
    )
    ids = dict(User.objects.filter(username__in=[a.username for a in accounts]).values_list("username", "pk"))
    groups = dict(Group.objects.filter(name__in=[r.label for r in Role]).values_list("name", "pk"))
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=ids[a.username], group_id=groups[a.role.label]) for a in accounts
    )
    cadre_ids: dict[str, list[int]] = {name: [] for name in ASSISTANCE_UNITS}
    for a in accounts:
        if a.role is Role.CADRE and a.username != "cadre":
            cadre_ids[a.unit.name].append(ids[a.username])
    return _plan(villages, demo_village, cadre_ids, ids["cadre"], rng)


def _plan(
    villages: list[Village],
    demo_village: Village,
    cadre_ids: dict[str, list[int]],
    demo_cadre: int,
    rng: random.Random,
) -> PairingPlan:
    ordered = [v.code for v in villages if v.code != demo_village.code]
    rng.shuffle(ordered)
    ordered.insert(0, demo_village.code)
    by_village: dict[str, list[int]] = {}
    for unit_name, unit_villages in zip(
        ASSISTANCE_UNITS, _split(ordered, len(ASSISTANCE_UNITS)), strict=True
    ):
        cadres = cadre_ids[unit_name]
        if unit_name == ASSISTANCE_UNITS[0]:
            cadres = [demo_cadre, *cadres]
        for j, code in enumerate(unit_villages):
            if len(cadres) >= len(unit_villages):
                by_village[code] = [c for i, c in enumerate(cadres) if i % len(unit_villages) == j]
            else:
                by_village[code] = [cadres[j % len(cadres)]]
            if code != demo_village.code and len(cadres) > 1:
                by_village[code] = [c for c in by_village[code] if c != demo_cadre] or [cadres[1]]
    return PairingPlan(by_village, demo_cadre, demo_village.code)
