"""Drive a case through identification for tests: each step by the role that takes it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dixian.monitoring.models import MonitoringCase
from dixian.monitoring.workflow import services as s

D = dt.date
OPENED, VISITED, SAT = D(2024, 5, 1), D(2024, 5, 2), D(2024, 5, 3)
PUB_START, PUB_END = D(2024, 5, 4), D(2024, 5, 9)
AFTER_PUBLICITY = D(2024, 5, 10)

INCLUDE = {"include": True, "category": "边缘易致贫户", "risk_types": ["因病", "因学"]}
EXCLUDE = {"include": False, "exclusion_reason": "收入高于监测范围，无刚性支出"}
DIBAO = {"relief": "dibao", "relief_reason": "符合农村低保条件"}
NO_RELIEF = {"relief": "none", "relief_reason": "家庭收入高于低保标准"}


def fresh(case: MonitoringCase) -> MonitoringCase:
    return MonitoringCase.objects.get(pk=case.pk)


def open_clue(world: Any, household: Any = None, user: Any = None) -> MonitoringCase:
    return s.clue_open(
        actor=user or world.village_a1_user,
        household_id=(household or world.a1).pk,
        source="基层干部排查",
        opened_on=OPENED,
        today=OPENED,
    )


def visit(world: Any, case: MonitoringCase, user: Any = None, **kw: Any) -> Any:
    args = {
        "visited_on": VISITED,
        "cadre_name": "李干部",
        "findings": "家中一人患病住院",
        "authorisation_signed": True,
    }
    args.update(kw)
    return s.visit_record(
        actor=user or world.village_a1_user,
        case_id=case.pk,
        version=fresh(case).version,
        today=VISITED,
        **args,
    )


def assess(
    world: Any,
    case: MonitoringCase,
    inclusion: dict | None = None,
    relief: dict | None = None,
    user: Any = None,
) -> Any:
    return s.assessment_record(
        actor=user or world.village_a1_user,
        case_id=case.pk,
        version=fresh(case).version,
        sat_on=SAT,
        report_number="HD-2024-017",
        report_date=SAT,
        today=SAT,
        **(inclusion or INCLUDE),
        **(relief or NO_RELIEF),
    )


def publicise(
    world: Any, case: MonitoringCase, start: dt.date = PUB_START, end: dt.date = PUB_END, user: Any = None
) -> Any:
    return s.publicity_start(
        actor=user or world.village_a1_user,
        case_id=case.pk,
        version=fresh(case).version,
        starts_on=start,
        ends_on=end,
    )


def township(
    world: Any,
    case: MonitoringCase,
    approve: bool = True,
    reason: str = "",
    today: dt.date = AFTER_PUBLICITY,
    user: Any = None,
) -> Any:
    return s.township_review(
        actor=user or world.town_a,
        case_id=case.pk,
        version=fresh(case).version,
        approve=approve,
        reason=reason,
        today=today,
    )


def county(
    world: Any,
    case: MonitoringCase,
    approve: bool = True,
    reason: str = "",
    user: Any = None,
    today: dt.date = AFTER_PUBLICITY,
) -> Any:
    return s.county_decide(
        actor=user or world.county,
        case_id=case.pk,
        version=fresh(case).version,
        approve=approve,
        reason=reason,
        today=today,
    )


def approved_case(world: Any, inclusion: dict | None = None, relief: dict | None = None) -> MonitoringCase:
    case = open_clue(world)
    visit(world, case)
    assess(world, case, inclusion, relief)
    publicise(world, case)
    township(world, case)
    county(world, case)
    return fresh(case)
