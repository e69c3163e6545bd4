"""When a paired monitored household is due a visit (走访), without the database.

The interval is the yearly parameter `visit_interval_days`. A household never visited is
due; one last visited exactly `interval` days ago is not yet due, one day later it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class VisitDue:
    last_visit: dt.date | None
    next_visit: dt.date | None  # None: never visited, due now
    due: bool
    days_overdue: int  # 0 when not due or never visited

    @property
    def explain(self) -> str:
        if self.last_visit is None:
            return "无走访记录，应尽快走访"
        if self.due:
            return f"上次走访 {self.last_visit:%Y-%m-%d}，已超期 {self.days_overdue} 天"
        return f"上次走访 {self.last_visit:%Y-%m-%d}，{self.next_visit:%Y-%m-%d} 前再次走访"


def visit_due(last_visit: dt.date | None, interval: int, today: dt.date) -> VisitDue:
    if last_visit is None:
        return VisitDue(None, None, True, 0)
    next_visit = last_visit + dt.timedelta(days=interval)
    overdue = (today - next_visit).days
    return VisitDue(last_visit, next_visit, overdue > 0, max(overdue, 0))
