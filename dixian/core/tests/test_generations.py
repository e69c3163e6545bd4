"""Cached figures are served until their data changes, and never after."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from dixian.core import generations
from dixian.monitoring.dashboard_selectors import dashboard
from dixian.monitoring.models import MonitoringCase, ScreeningWarning

pytestmark = pytest.mark.django_db


def test_a_cached_figure_is_reused_until_the_topic_is_bumped():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert generations.cached("t", "k", compute) == 1
    assert generations.cached("t", "k", compute) == 1 and len(calls) == 1
    generations.bump("t")
    assert generations.cached("t", "k", compute) == 2


def test_writes_in_a_row_bump_once_a_read_in_between_makes_the_next_write_bump():
    before = generations.current("t")
    with transaction.atomic():
        for _ in range(50):
            generations.bump("t")
    assert generations.current("t") == before + 1  # this read ...
    generations.bump("t")  # ... makes the next write bump again
    assert generations.current("t") == before + 2


def test_a_rolled_back_bump_is_forgotten_with_its_mark():
    before = generations.current("t")
    with pytest.raises(RuntimeError), transaction.atomic():
        generations.bump("t")
        raise RuntimeError
    assert generations.current("t") == before
    generations.bump("t")
    assert generations.current("t") == before + 1


def test_the_dashboard_follows_a_new_case_a_workflow_save_and_a_screening_run(world):
    first = dashboard(world.county)
    total = first.category_rows[-1].total
    case = MonitoringCase.objects.create(
        household=world.a1, category="边缘易致贫户", status="approved", identified_on=dt.date(2024, 3, 1)
    )
    assert dashboard(world.county).category_rows[-1].total == total + 1  # post_save
    case.eliminated = True
    case.save()
    assert dashboard(world.county).category_rows[-1].total == total
    # bulk writes past the signals: the screening run bumps by itself
    ScreeningWarning.objects.bulk_create(
        [
            ScreeningWarning(
                household=world.b1, rule="R02-SEVERE-ILLNESS-DISABILITY", year=2024, as_of=dt.date.today()
            )
        ]
    )

    def pending() -> int:
        return sum(n for _, n in dashboard(world.county).warning_rows[-1].counts)

    stale = pending()
    generations.bump(generations.MONITORING)
    assert pending() == stale + 1
