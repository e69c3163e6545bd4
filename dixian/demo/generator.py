"""The demo county's rows, generated village by village.

Iterating a `Generator` yields one `Batch` per village: plain tuples in the column
order of each table (ids included, generated columns left out), so the loader can hand
them to an INSERT or to PostgreSQL COPY unchanged and never holds more than a few
villages in memory. Each village draws from its own `random.Random` seeded by (seed,
village code); ID numbers come from one allocator that keeps them unique county-wide.
Same seed, same rows.

Besides the registry (households, persons, incomes, cases, risks, pairings) a village
brings assistance measures, employment records and work plans, disaster/accident
events, and open clues with the workflow steps they have taken. These draw from a second
stream per village, so the registry rows stay as they were before those tables existed,
except the 2025 income of the few households whose income collapses (rule R01).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from dixian.demo import assistance, cases, events, incomes, people, work
from dixian.demo.geography import CITY_CODE, MOUNTAIN_TOWNSHIPS, Village, demo_village, plan_villages
from dixian.demo.names import NameDrawer
from dixian.demo.users import PairingPlan
from dixian.registry.choices import HouseholdType
from dixian.registry.models import Pairing

HOUSEHOLD_COLUMNS = (
    "id", "number", "area_id", "household_type", "poverty_exit_year", "phone", "dangerous_housing",
    "safe_water", "is_relocated", "origin_area_id", "resettlement_site_id", "version",
)  # fmt: skip
PAIRING_COLUMNS = ("id", "cadre_id", "household_id", "side", "started_on", "ended_on")
TABLES = (
    "household", "person", "income", "case", "risk", "pairing", "measure", "employment", "workplan", "event",
    "visit", "assessment", "publicity", "review",
)  # fmt: skip

ALLEVIATED, ORDINARY = HouseholdType.ALLEVIATED.value, HouseholdType.ORDINARY.value
RESIDENCE, DESTINATION, ORIGIN = (s.value for s in Pairing.Side)
ALLEVIATED_SHARE = 0.75  # 15,000 脱贫户 to 5,000 一般农户
RELOCATED_SHARE = 0.03
RELOCATED_ALLEVIATED_SHARE = 0.9  # 易地扶贫搬迁 was for registered poor households
EXIT_YEARS = ((2014, 0.08), (2015, 0.18), (2016, 0.33), (2017, 0.53), (2018, 0.78), (2019, 0.95), (2020, 1.0))
PAIRED_SINCE = dt.date(2021, 3, 1)  # pairings renewed after the transition period began
PHONE = people.PERSON_COLUMNS.index("phone")
# A household whose income collapsed in the latest year (rule R01): 31–55% below the year before.
INCOME_SHOCK_ODDS = 0.009
RECENT = events.AS_OF - dt.timedelta(days=365)


@dataclass
class Quota:
    village: Village
    alleviated: int = 0
    ordinary: int = 0
    relocated_alleviated: int = 0
    relocated_ordinary: int = 0

    @property
    def total(self) -> int:
        return self.alleviated + self.ordinary + self.relocated_alleviated + self.relocated_ordinary


@dataclass
class Batch:
    village: Village
    rows: dict[str, list[tuple]] = field(default_factory=lambda: {t: [] for t in TABLES})


def largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` into integers proportional to `weights`, summing exactly to `total`."""
    scale = sum(weights)
    exact = [total * w / scale for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def allocate(households: int, villages: list[Village]) -> list[Quota]:
    """How many households of each kind live in each village (exact totals, 3:1)."""
    quotas = [Quota(v) for v in villages]
    relocated = round(households * RELOCATED_SHARE)
    sites = [q for q in quotas if q.village.site is not None]
    for q, n in zip(sites, largest_remainder(relocated, [q.village.site.share for q in sites]), strict=True):  # type: ignore[union-attr]
        q.relocated_alleviated = round(n * RELOCATED_ALLEVIATED_SHARE)
        q.relocated_ordinary = n - q.relocated_alleviated
    residents = largest_remainder(households - relocated, [v.weight for v in villages])
    alleviated_left = round(households * ALLEVIATED_SHARE) - sum(q.relocated_alleviated for q in quotas)
    for q, n, a in zip(quotas, residents, largest_remainder(alleviated_left, residents), strict=True):
        q.alleviated = min(a, n)
        q.ordinary = n - q.alleviated
    return quotas


def _pick(r, cumulative: tuple[tuple[int, float], ...]) -> int:
    x = r()
    return next(value for value, limit in cumulative if x < limit)


class Generator:
    """Yields the county's batches; `next_ids` holds the next primary key per table."""

    def __init__(self, *, households: int, seed: int, next_ids: dict[str, int] | None = None,
                 site_ids: dict[str, int] | None = None, pairing: PairingPlan | None = None,
                 subsidies: work.Subsidies | None = None) -> None:  # fmt: skip
        self.households = households
        self.seed = seed
        self.villages = plan_villages(seed)
        self.demo_village = demo_village(self.villages)
        self.next_ids = dict.fromkeys(TABLES, 1) | (next_ids or {})
        self.site_ids = site_ids or {}
        self.pairing = pairing
        self.subsidies = subsidies or work.Subsidies()
        self.ids = people.IdAllocator(seed)
        self.by_township: dict[str, list[Village]] = {}
        for v in self.villages:
            self.by_township.setdefault(v.township_code, []).append(v)

    def __iter__(self) -> Iterator[Batch]:
        for quota in allocate(self.households, self.villages):
            yield self.village_batch(quota)

    def _take(self, table: str, n: int = 1) -> int:
        first = self.next_ids[table]
        self.next_ids[table] = first + n
        return first

    def _origin(self, r, village: Village) -> str:
        """迁出地 of a household resettled in `village`: usually a mountain township."""
        if village.township_code != CITY_CODE and r() < 0.35:
            choices = [v for v in self.by_township[village.township_code] if v.code != village.code]
        else:
            towns = [t for t in self.by_township if t not in (CITY_CODE, village.township_code)]
            weighted = [t for t in towns for _ in range(3 if t in MOUNTAIN_TOWNSHIPS else 1)]
            choices = self.by_township[weighted[int(r() * len(weighted))]]
        return choices[int(r() * len(choices))].code

    def village_batch(self, quota: Quota) -> Batch:
        village = quota.village
        rng = random.Random(f"{self.seed}:{village.code}")
        # Measures, employment, events and clues draw from their own stream, so that the
        # registry rows stay what they were before these tables were added.
        extra = random.Random(f"{self.seed}:{village.code}:assistance")
        extra_names = NameDrawer(extra)
        names = NameDrawer(rng)
        kinds = [(True, False)] * quota.alleviated + [(False, False)] * quota.ordinary
        kinds += [(True, True)] * quota.relocated_alleviated + [(False, True)] * quota.relocated_ordinary
        rng.shuffle(kinds)
        batch = Batch(village)
        force_first = village.code == self.demo_village.code
        for serial, (alleviated, relocated) in enumerate(kinds, start=1):
            self._household(
                rng,
                extra,
                extra_names,
                names,
                batch,
                serial,
                alleviated,
                relocated,
                force=force_first and serial == 1,
            )
        return batch

    def _household(
        self, rng: random.Random, extra: random.Random, extra_names: NameDrawer, names: NameDrawer, batch: Batch,
        serial: int,
        alleviated: bool, relocated: bool, force: bool,
    ) -> None:  # fmt: skip
        r = rng.random
        village, rows = batch.village, batch.rows
        household_id = self._take("household")
        size = people.household_size(r)
        urban = village.township_code == CITY_CODE
        members, profile = people.make_members(
            rng, names, self.ids, household_id=household_id, first_id=self._take("person", size),
            size=size, alleviated=alleviated, urban=urban,
        )  # fmt: skip
        rows["person"] += members
        housing = not relocated and r() < 0.015
        water = relocated or urban or r() > 0.012
        base = incomes.base_income(rng, profile, alleviated)
        # Inclusion is judged on the income a visit would find (about 2024's level).
        draft = cases.decide_case(
            rng, profile, alleviated=alleviated, income=base * 1.11, housing=housing, water=water, force=force
        )
        overrides, spending = self._case_effects(r, draft)
        if draft is not None and draft.category != cases.SUDDEN:
            base *= 0.75  # unstable and marginal households sit nearer the monitoring line
        per_capita = incomes.trajectory(rng, base, overrides)
        x = extra.random
        shock = draft is None and x() < INCOME_SHOCK_ODDS
        if shock:
            per_capita[-1] = per_capita[-2] * (0.69 - x() * 0.24)
        rows["income"] += incomes.income_rows(
            rng, profile, household_id=household_id, first_id=self._take("income", len(incomes.YEARS)),
            per_capita=per_capita, extra_out_of_pocket=spending,
        )  # fmt: skip
        origin = self._origin(r, village) if relocated else None
        exit_year = _pick(r, EXIT_YEARS) if alleviated else None
        if relocated and exit_year is not None:
            exit_year = max(2016, min(exit_year, 2019))  # the relocation programme's years
        phone = next((m[PHONE] for m in members if m[PHONE]), "") or (names.phone() if r() < 0.9 else "")
        rows["household"].append((
            household_id, f"{village.code}{serial:05d}", village.code, ALLEVIATED if alleviated else ORDINARY,
            exit_year, phone, housing, water, relocated, origin,
            self.site_ids.get(village.code) if relocated else None, 0,
        ))  # fmt: skip
        case_id = None
        if draft is not None:
            case_id = self._take("case")
            case, risks = cases.case_rows(
                draft,
                case_id=case_id,
                household_id=household_id,
                first_risk_id=self._take("risk", len(draft.risks)),
            )
            rows["case"].append(case)
            rows["risk"] += risks
        self._assistance(
            extra, extra_names, batch, members, profile, household_id=household_id, draft=draft, case_id=case_id,
            alleviated=alleviated, housing=housing, water=water, shock=shock, force=force,
        )  # fmt: skip
        if self.pairing is not None and (alleviated or draft is not None):
            since = PAIRED_SINCE if alleviated or draft is None else draft.identified_on
            rows["pairing"] += self._pairings(household_id, village.code, origin, since)

    def _assistance(
        self, extra: random.Random, names: NameDrawer, batch: Batch, members: list[tuple], profile: people.Profile, *,
        household_id: int, draft: cases.CaseDraft | None, case_id: int | None, alleviated: bool, housing: bool,
        water: bool, shock: bool, force: bool,
    ) -> None:  # fmt: skip
        """Events, an open clue, employment and measures of one household."""
        x, rows = extra.random, batch.rows
        cause = None
        if draft is not None and draft.category == cases.SUDDEN:
            if cases.RiskType.DISASTER.value in draft.risks:
                cause = "disaster"
            elif cases.RiskType.ACCIDENT.value in draft.risks:
                cause = "accident"
        happened = events.household_events(
            x, self._take, household_id=household_id, case_cause=cause,
            identified_on=draft.identified_on if draft else None,
        )  # fmt: skip
        rows["event"] += happened
        if draft is None:
            clue = cases.decide_clue(
                extra, profile, alleviated=alleviated, housing=housing, water=water,
                event=any(e[2] > RECENT for e in happened), shock=shock,
            )  # fmt: skip
            if clue is not None:
                cadre = names.surname() + names.given(x() < 0.7, "")
                made = cases.clue_rows(
                    x, clue, self._take, case_id=self._take("case"), household_id=household_id, cadre=cadre
                )
                for table, table_rows in made.items():
                    rows[table] += table_rows
        jobs = work.household_work(
            x, members, self._take, village=batch.village.committee_name, subsidies=self.subsidies,
            eligible=alleviated or draft is not None, lost_job=shock,
        )  # fmt: skip
        rows["employment"] += jobs.employment
        rows["workplan"] += jobs.plans
        monitored = draft is not None and draft.eliminated_on is None
        neglected = monitored and not force and x() < assistance.NO_MEASURE_SHARE
        rows["measure"] += assistance.household_measures(
            x, members, self._take, household_id=household_id, draft=draft, case_id=case_id,
            alleviated=alleviated, work=jobs, neglected=neglected,
        )  # fmt: skip

    def _pairings(self, household_id: int, village: str, origin: str | None, since: dt.date) -> list[tuple]:
        """One cadre where the household lives; a relocated household also gets one from
        its origin (双向帮扶, the destination's leading)."""
        assert self.pairing is not None
        cadre = self.pairing.residence(village)
        if origin is None:
            return [(self._take("pairing"), cadre, household_id, RESIDENCE, since, None)]
        other = self.pairing.origin(origin, exclude=cadre)
        return [
            (self._take("pairing"), cadre, household_id, DESTINATION, since, None),
            (self._take("pairing"), other, household_id, ORIGIN, since, None),
        ]

    @staticmethod
    def _case_effects(r, draft: cases.CaseDraft | None) -> tuple[dict[int, float], dict[int, int]]:
        """Income growth overrides and extra out-of-pocket spending caused by the case:
        income falls in the year of identification and recovers under assistance."""
        if draft is None:
            return {}, {}
        year = draft.year
        sudden = draft.category == cases.SUDDEN
        overrides: dict[int, float] = {}
        if year >= 2023:
            overrides[year] = -(0.1 + r() * 0.25) if sudden else -(0.05 + r() * 0.2)
        for later in range(max(year + 1, 2023), 2026):
            overrides[later] = 0.05 + r() * 0.1
        extra = {year: int(15_000 + r() * 45_000)} if sudden and year >= 2022 else {}
        return overrides, extra
