"""Background task of screening (django-tasks; a worker runs it), started from the
warnings page by a county administrator."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from dixian.monitoring.screening_services import run_screening


@task()
def run_screening_task(as_of: str, year: int | None = None) -> dict[str, int]:
    """Screen the whole county; the result is the pending count per rule code."""
    return run_screening(year=year, as_of=dt.date.fromisoformat(as_of))
