"""Monitoring objects of the demo county (DOMAIN.md §4): who is included, in which
category, when, with which risks, and whether and how the risk was eliminated.

Inclusion odds follow the notice's focus groups (serious illness, severe disability,
many children in school, no labour, low income, unsafe housing or water), so the
monitored households look like the ones a township would actually find.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from dixian.demo.people import Profile
from dixian.monitoring.models import Category, ClueSource, EliminationMethod, MonitoringCase, RiskType

CASE_COLUMNS = (
    "id", "household_id", "category", "status", "source", "opened_on", "identified_on", "eliminated",
    "elimination_method", "eliminated_on", "version",
)  # fmt: skip
RISK_COLUMNS = ("id", "case_id", "position", "risk_type")

UNSTABLE, MARGINAL, SUDDEN = Category.UNSTABLE.value, Category.MARGINAL.value, Category.SUDDEN_HARDSHIP.value
APPROVED = MonitoringCase.Status.APPROVED.value
# Demo cases were found by cadres' screening; the clue is dated ten days before approval.
DEMO_SOURCE = ClueSource.CADRE_SCREENING.value
CLUE_LEAD = dt.timedelta(days=10)
ASSISTED, NATURAL = EliminationMethod.ASSISTED.value, EliminationMethod.NATURAL.value
LAST_MONTH = dt.date(2025, 12, 1)

# Inclusion odds before the household's own factors (tuned to about 10% of households).
BASE_ODDS = {True: 0.042, False: 0.085}  # 脱贫户 / 一般农户
# Share of cases of each identification year, and the share of those eliminated by now.
YEAR_SHARES = ((2021, 0.22), (2022, 0.22), (2023, 0.2), (2024, 0.2), (2025, 0.16))
ELIMINATED_SHARE = {2021: 0.9, 2022: 0.85, 2023: 0.75, 2024: 0.55, 2025: 0.15}
RISK_COUNT = ((1, 0.55), (2, 0.88), (3, 1.0))


@dataclass
class CaseDraft:
    category: str
    identified_on: dt.date
    eliminated_on: dt.date | None = None
    method: str = ""
    risks: list[str] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.identified_on.year


def inclusion_odds(profile: Profile, *, alleviated: bool, income: float, housing: bool, water: bool) -> float:
    odds = BASE_ODDS[alleviated]
    if profile.serious:
        odds *= 2.5
    if profile.severe_disability:
        odds *= 2.0
    elif profile.disabled:
        odds *= 1.4
    if profile.students >= 3:
        odds *= 2.0
    if profile.no_labour:
        odds *= 2.5
    if income < 8500:
        odds *= 4.0
    elif income < 10_000:
        odds *= 2.5
    if housing:
        odds *= 3.0
    if not water:
        odds *= 2.0
    return min(odds, 0.85)


def _month(r, year: int) -> dt.date:
    return dt.date(year, 1 + int(r() * 12), 1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _risks(r, profile: Profile, category: str, housing: bool, water: bool) -> list[str]:
    weights: dict[str, float] = {
        RiskType.UNSTABLE_WORK.value: 2.0,
        RiskType.ACCIDENT.value: 3.0 if category == SUDDEN else 0.6,
        RiskType.DISASTER.value: 2.0 if category == SUDDEN else 0.6,
        RiskType.INDUSTRY_FAILURE.value: 0.8,
        RiskType.OTHER.value: 0.4,
    }
    if profile.serious or profile.chronic:
        weights[RiskType.ILLNESS.value] = (6.0 if profile.serious else 2.0) * (2 if category == SUDDEN else 1)
    if profile.disabled:
        weights[RiskType.DISABILITY.value] = 5.0 if profile.severe_disability else 3.0
    if profile.students >= 2:
        weights[RiskType.EDUCATION.value] = 2.0 * profile.students
    if profile.no_labour or profile.labour == 0:
        weights[RiskType.NO_LABOUR.value] = 5.0
    if housing:
        weights[RiskType.HOUSING.value] = 8.0
    if not water:
        weights[RiskType.WATER.value] = 8.0
    x = r()
    count = next(n for n, limit in RISK_COUNT if x < limit)
    chosen: list[str] = []
    for _ in range(count):
        risk = _weighted_choice(r() * sum(weights.values()), weights)
        chosen.append(risk)
        del weights[risk]
    return chosen


def _weighted_choice(pick: float, weights: dict[str, float]) -> str:
    """The key whose cumulative weight first exceeds `pick` (0 ≤ pick < total)."""
    for key, weight in weights.items():
        pick -= weight
        if pick < 0:
            return key
    return key  # rounding at the very top of the range


def decide_case(
    rng: random.Random,
    profile: Profile,
    *,
    alleviated: bool,
    income: float,
    housing: bool,
    water: bool,
    force: bool = False,
) -> CaseDraft | None:
    """The household's monitoring case, or None. `force` includes it with an open case."""
    r = rng.random
    if not force and r() >= inclusion_odds(
        profile, alleviated=alleviated, income=income, housing=housing, water=water
    ):
        return None
    sudden_odds = 0.2 if income < 15_000 else 0.5
    category = SUDDEN if r() < sudden_odds and not force else (UNSTABLE if alleviated else MARGINAL)
    x, year = r(), 2025
    for candidate, share in YEAR_SHARES:
        x -= share
        if x < 0:
            year = candidate
            break
    draft = CaseDraft(category, _month(r, year))
    draft.risks = _risks(r, profile, category, housing, water)
    # A household with no labour at all stays under 兜底保障: its risk is not eliminated.
    if not force and not profile.no_labour and r() < ELIMINATED_SHARE[year]:
        earliest = _add_months(draft.identified_on, 6)  # monitored at least six months
        if earliest <= LAST_MONTH:
            draft.eliminated_on = min(LAST_MONTH, _add_months(earliest, int(r() * 18)))
            draft.method = ASSISTED if r() < 0.8 else NATURAL
    return draft


def case_rows(
    draft: CaseDraft, *, case_id: int, household_id: int, first_risk_id: int
) -> tuple[tuple, list[tuple]]:
    case = (
        case_id,
        household_id,
        draft.category,
        APPROVED,
        DEMO_SOURCE,
        draft.identified_on - CLUE_LEAD,
        draft.identified_on,
        draft.eliminated_on is not None,
        draft.method,
        draft.eliminated_on,
        0,
    )
    risks = [(first_risk_id + i, case_id, i + 1, risk) for i, risk in enumerate(draft.risks)]
    return case, risks


# ---------------------------------------------------------------- open clues (线索)
# Households not monitored with a case still on its way from the clue to a decision, as
# of the demo's reference date: most recent, some past the 15-day deadline (rule C04).

AS_OF = dt.date(2026, 11, 29)
CLUE_WINDOW_DAYS = 60
CLUE_ODDS = 0.0025  # a household with nothing pointing at it
CLUE_ODDS_EVENT = 0.3  # struck by a disaster or accident this year
CLUE_ODDS_SHOCK = 0.15  # income collapsed in the latest year
OPEN_STATUS_VALUES = tuple(s.value for s in MonitoringCase.OPEN_STATUSES)  # clue … township_reviewed
S = ClueSource
SOURCES = {
    "none": ((S.SELF_REPORT.value, 0.4), (S.CADRE_SCREENING.value, 0.45), (S.DEPARTMENT_WARNING.value, 0.15)),
    "event": ((S.SELF_REPORT.value, 0.5), (S.CADRE_SCREENING.value, 0.2), (S.DEPARTMENT_WARNING.value, 0.3)),
    "shock": (
        (S.SCREENING_WARNING.value, 0.6),
        (S.DEPARTMENT_WARNING.value, 0.25),
        (S.SELF_REPORT.value, 0.15),
    ),
}


@dataclass
class ClueDraft:
    status: str
    source: str
    opened_on: dt.date
    category: str = ""  # proposed by the village assessment, from `assessed` on
    risks: list[str] = field(default_factory=list)
    steps: list[dt.date] = field(default_factory=list)  # visit, assessment, publicity start, township review


def _steps(r, opened_on: dt.date) -> list[dt.date]:
    """The dates the clue's steps would be taken on: visit, assessment, start of the
    公示 (which lasts PUBLICITY_DAYS), township review after it has ended."""
    visit = opened_on + dt.timedelta(days=1 + int(r() * 3))
    assessment = visit + dt.timedelta(days=1 + int(r() * 3))
    publicity = assessment + dt.timedelta(days=1 + int(r() * 2))
    review = publicity + dt.timedelta(days=PUBLICITY_DAYS + 1 + int(r() * 3))
    return [visit, assessment, publicity, review]


PUBLICITY_DAYS = 6  # end minus start, above the 5-day minimum


def decide_clue(
    rng: random.Random,
    profile: Profile,
    *,
    alleviated: bool,
    housing: bool,
    water: bool,
    event: bool,
    shock: bool,
) -> ClueDraft | None:
    """An open clue for a household that is not monitored, or None."""
    r = rng.random
    odds = CLUE_ODDS_EVENT if event else (CLUE_ODDS_SHOCK if shock else CLUE_ODDS)
    if r() >= odds:
        return None
    sources = SOURCES["event" if event else ("shock" if shock else "none")]
    x = r() * sum(w for _, w in sources)
    source = sources[-1][0]
    for value, weight in sources:
        x -= weight
        if x < 0:
            source = value
            break
    days = int(CLUE_WINDOW_DAYS * r() ** 1.6)  # recent ones are more common
    opened_on = AS_OF - dt.timedelta(days=days)
    steps = _steps(r, opened_on)
    # How far it has gone: a step not taken yet, or stalled (the overdue ones, rule C04).
    done = sum(day <= AS_OF for day in steps)
    reached = min(done, int(r() * (done + 1.5)))
    draft = ClueDraft(OPEN_STATUS_VALUES[reached], source, opened_on, steps=steps[:reached])
    if reached >= 2:  # assessed: the village proposed a category and risks
        draft.category = SUDDEN if event or r() < 0.2 else (UNSTABLE if alleviated else MARGINAL)
        draft.risks = _risks(r, profile, draft.category, housing, water)
    return draft


VISIT_COLUMNS = ("id", "case_id", "visited_on", "cadre_name", "findings", "authorisation_signed")
ASSESSMENT_COLUMNS = (
    "id", "case_id", "sat_on", "report_number", "report_date", "include", "category", "risk_types",
    "exclusion_reason", "relief", "relief_reason", "method", "conditions", "note",
)  # fmt: skip
PUBLICITY_COLUMNS = ("id", "case_id", "starts_on", "ends_on")
REVIEW_COLUMNS = ("id", "case_id", "level", "decision", "reason", "decided_on")
RELIEF = (
    ("none", 0.8, "家庭经济状况核对结果未达低保、特困条件"),
    ("dibao", 0.16, "共同生活家庭成员人均收入低于当地低保标准"),
    ("tekun", 0.04, "无劳动能力、无生活来源、无法定赡养扶养义务人"),
)


def clue_rows(
    r, draft: ClueDraft, take: Callable[[str, int], int], *, case_id: int, household_id: int, cadre: str
) -> dict[str, list[tuple]]:
    """The case row, its proposed risks and one row per step taken (visit, assessment,
    公示, township review), so that the workflow can carry the demo case on."""
    case = (
        case_id,
        household_id,
        draft.category,
        draft.status,
        draft.source,
        draft.opened_on,
        None,
        False,
        "",
        None,
        0,
    )
    out: dict[str, list[tuple]] = {"case": [case], "risk": []}
    out["risk"] = [(take("risk", 1), case_id, i + 1, risk) for i, risk in enumerate(draft.risks)]
    steps = draft.steps
    if len(steps) >= 1:
        findings = "已入户核实家庭人口、收入、刚性支出和“两不愁三保障”及饮水安全情况，签署承诺授权书"
        out["visit"] = [(take("visit", 1), case_id, steps[0], cadre, findings, True)]
    if len(steps) >= 2:
        x, relief = r(), RELIEF[-1]
        for option in RELIEF:
            x -= option[1]
            if x < 0:
                relief = option
                break
        out["assessment"] = [(
            take("assessment", 1), case_id, steps[1], f"HDBG{steps[1]:%Y%m%d}{case_id:06d}",
            steps[1] - dt.timedelta(days=1), True, draft.category, json.dumps(draft.risks, ensure_ascii=False), "",
            relief[0], relief[2], "", "[]", "",
        )]  # fmt: skip
    if len(steps) >= 3:
        out["publicity"] = [
            (take("publicity", 1), case_id, steps[2], steps[2] + dt.timedelta(days=PUBLICITY_DAYS))
        ]
    if len(steps) >= 4:
        out["review"] = [(take("review", 1), case_id, "township", "approve", "", steps[3])]
    return out
