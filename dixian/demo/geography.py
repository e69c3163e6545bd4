"""The demo county's villages and resettlement sites (DOMAIN.md §2, §8).

The townships are the seeded ones (areas migration 0002) except the statistical unit
上犹工业园区. Each gets 8–12 villages with 12-digit codes: communities (社区/居委会)
numbered from 001, villages (村) from 200, the convention of 统计用区划代码. Village
names are invented except those the county notice names. Everything here is a pure
function of the seed; `ensure_geography` writes it to the database idempotently.
"""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass

from dixian.areas.codes import Level
from dixian.areas.models import Area, OrgUnit, ResettlementSite
from dixian.demo.names import VILLAGE_PREFIXES, VILLAGE_SUFFIXES

DEMO_NOTE = "演示数据"
CITY_CODE = "360724001000"  # 城市社区管委会
INDUSTRIAL_PARK_CODE = "360724400000"  # 上犹工业园区: a statistical unit, no villages

# Real names from the notice (section 6), per township: (name, is community).
REAL_VILLAGES: dict[str, list[tuple[str, bool]]] = {
    CITY_CODE: [("幸福社区居委会", True)],
    "360724102000": [("潼川社区", True)],
    "360724103000": [("蛛岭村", False), ("云水社区", True)],
    "360724105000": [("新圩村", False), ("童江社区居委会", True)],
    "360724208000": [("高基坪村", False)],
}

# Resettlement destinations (notice section 6): village name, kind, share of relocated households.
SITES: list[tuple[str, str, str, float]] = [
    (CITY_CODE, "幸福社区居委会", ResettlementSite.Kind.CENTRALISED, 0.34),
    ("360724103000", "蛛岭村", ResettlementSite.Kind.CENTRALISED, 0.12),
    ("360724102000", "潼川社区", ResettlementSite.Kind.CENTRALISED, 0.12),
    ("360724105000", "新圩村", ResettlementSite.Kind.CENTRALISED, 0.12),
    ("360724105000", "童江社区居委会", ResettlementSite.Kind.CENTRALISED, 0.12),
    ("360724208000", "高基坪村", ResettlementSite.Kind.CENTRALISED, 0.10),
    ("360724103000", "云水社区", ResettlementSite.Kind.DISPERSED, 0.08),
]

CITY_COMMUNITY_NAMES = [
    "和谐",
    "滨江",
    "犹江",
    "阳光",
    "安居",
    "锦绣",
    "康乐",
    "平安",
    "春晖",
    "学府",
    "丰园",
    "振兴",
]

# Townships people were moved out of most often: the mountain townships.
MOUNTAIN_TOWNSHIPS = {"360724101000", "360724103000", "360724205000", "360724206000", "360724207000"}


@dataclass(frozen=True)
class Site:
    name: str
    kind: str
    share: float  # of all relocated households


@dataclass(frozen=True)
class Village:
    code: str
    name: str
    township_code: str
    township_name: str
    weight: float  # relative number of resident (not relocated) households
    site: Site | None = None

    @property
    def committee_name(self) -> str:
        if self.name.endswith("居委会"):
            return self.name
        return f"{self.name}村民委员会" if self.name.endswith("村") else f"{self.name}居民委员会"


def townships() -> list[tuple[str, str]]:
    """(code, name) of the seeded townships that get villages, in code order."""
    seed = importlib.import_module("dixian.areas.migrations.0002_seed_shangyou")
    return [(code, name) for code, name, _ in seed.TOWNSHIPS if code != INDUSTRIAL_PARK_CODE]


def plan_villages(seed: int) -> list[Village]:
    """The villages of the demo county, in code order (deterministic in `seed`)."""
    rng = random.Random(f"{seed}:geography")
    used = {name for reals in REAL_VILLAGES.values() for name, _ in reals}
    sites = {
        (code, name): Site(f"{name}{'集中' if kind == 'centralised' else '分散'}安置点", kind, share)
        for code, name, kind, share in SITES
    }
    villages: list[Village] = []
    for code, name in townships():
        reals = REAL_VILLAGES.get(code, [])
        total = rng.randint(8, 12)
        is_city = code == CITY_CODE
        communities = [n for n, community in reals if community]
        rural = [n for n, community in reals if not community]
        if is_city:
            extra = rng.sample(CITY_COMMUNITY_NAMES, total - len(communities))
            communities += [f"{n}社区居委会" for n in extra]
        else:
            if name.endswith("镇") and not communities:
                communities.append(f"{name[:-1]}社区")
            while len(communities) + len(rural) < total:
                invented = rng.choice(VILLAGE_PREFIXES) + rng.choice(VILLAGE_SUFFIXES) + "村"
                if invented not in used and invented[0] != invented[1]:
                    used.add(invented)
                    rural.append(invented)
        rng.shuffle(rural)
        numbered = [(f"{code[:9]}{i + 1:03d}", n) for i, n in enumerate(communities)]
        numbered += [(f"{code[:9]}{200 + i:03d}", n) for i, n in enumerate(rural)]
        for vcode, vname in numbered:
            weight = rng.uniform(0.25, 0.5) if is_city else rng.uniform(0.6, 1.4)
            villages.append(Village(vcode, vname, code, name, weight, sites.get((code, vname))))
    return villages


def demo_village(villages: list[Village]) -> Village:
    """The village of the `village` and `cadre` demo logins: 东山镇's first 村."""
    return next(v for v in villages if v.township_code == "360724100000" and v.code[9:] >= "200")


def ensure_geography(villages: list[Village]) -> dict[str, int]:
    """Create the villages, their committees and the resettlement sites that are missing.

    Returns the resettlement site id per destination village code.
    """
    existing = set(Area.objects.filter(code__in=[v.code for v in villages]).values_list("code", flat=True))
    Area.objects.bulk_create(
        Area(code=v.code, name=v.name, level=Level.VILLAGE, parent_id=v.township_code, note=DEMO_NOTE)
        for v in villages
        if v.code not in existing
    )
    OrgUnit.objects.bulk_create(
        [
            OrgUnit(name=v.committee_name, kind=OrgUnit.Kind.VILLAGE_COMMITTEE, area_id=v.code)
            for v in villages
        ],
        ignore_conflicts=True,
    )
    site_ids: dict[str, int] = {}
    for v in villages:
        if v.site is not None:
            site, _ = ResettlementSite.objects.get_or_create(
                area_id=v.code, name=v.site.name, defaults={"kind": v.site.kind}
            )
            site_ids[v.code] = site.pk
    return site_ids
