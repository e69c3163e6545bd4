"""Disasters and accidents that struck demo households (突发灾害/意外, read by rule R03):
about 1% of households in the twelve months before the demo's reference date, a few
more in earlier years, and one behind each 突发严重困难户 identified for a disaster or an
accident."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from dixian.monitoring.models import EventKind

EVENT_COLUMNS = ("id", "household_id", "date", "kind", "loss", "note")
AS_OF = dt.date(2026, 11, 29)
RECENT_ODDS = 0.011  # an event in the last twelve months
OLDER_ODDS = 0.006  # an event in 2023 – autumn 2025

# (kind, weight, notes, loss range in yuan)
KINDS = (
    (EventKind.FLOOD.value, 0.33, ("暴雨洪涝致房屋进水、家具受损", "洪水冲毁农田和鱼塘"), (2_000, 40_000)),
    (EventKind.GEOLOGICAL.value, 0.1, ("山体滑坡损毁房屋", "泥石流冲毁果园"), (10_000, 80_000)),
    (EventKind.METEOROLOGICAL.value, 0.12, ("冰雹打坏脐橙和蔬菜大棚", "低温冰冻致果树受冻"), (2_000, 25_000)),
    (EventKind.DROUGHT.value, 0.05, ("持续干旱致水稻减产",), (1_000, 12_000)),
    (EventKind.BIOLOGICAL.value, 0.04, ("柑橘黄龙病致果园减产", "生猪疫病致存栏死亡"), (3_000, 30_000)),
    (EventKind.ACCIDENT.value, 0.36, ("交通事故致伤住院", "务工工伤致伤", "家中失火烧毁房屋", "意外摔伤住院"), (5_000, 90_000)),
)  # fmt: skip
DISASTER_KINDS = KINDS[:5]


def _kind(r, kinds=KINDS):
    x = r() * sum(k[1] for k in kinds)
    for kind in kinds:
        x -= kind[1]
        if x < 0:
            return kind
    return kinds[-1]


def _row(r, take: Callable[[str, int], int], household_id: int, day: dt.date, kinds=KINDS) -> tuple:
    kind, _, notes, (low, high) = _kind(r, kinds)
    loss = (low + int(r() * (high - low))) // 100 * 100
    return (take("event", 1), household_id, day, kind, loss, notes[int(r() * len(notes))])


def household_events(
    r,
    take: Callable[[str, int], int],
    *,
    household_id: int,
    case_cause: str | None,
    identified_on: dt.date | None,
) -> list[tuple]:
    """Events of one household; `case_cause` is "disaster" or "accident" when the
    household's 突发严重困难 case was identified for one (dated a few weeks before)."""
    rows = []
    if case_cause is not None and identified_on is not None:
        day = identified_on - dt.timedelta(days=10 + int(r() * 50))
        rows.append(
            _row(r, take, household_id, day, DISASTER_KINDS if case_cause == "disaster" else KINDS[5:])
        )
    x = r()
    if x < RECENT_ODDS:
        rows.append(_row(r, take, household_id, AS_OF - dt.timedelta(days=int(r() * 360))))
    elif x < RECENT_ODDS + OLDER_ODDS:
        rows.append(_row(r, take, household_id, dt.date(2023, 1, 1) + dt.timedelta(days=int(r() * 1030))))
    return rows
