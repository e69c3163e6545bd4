"""Screening (预警筛查): run the rules and keep the stored warnings in step with them.

Per rule, in one transaction: households newly firing get a pending warning (one bulk
insert); pending warnings still firing keep their row, with the evidence refreshed when it
changed; pending warnings whose household no longer fires become expired (one UPDATE per
few thousand rows). A household whose warning of the same rule and year was already
closed by a person (turned into a clue, or verified and dismissed) is not warned again
that year: the decision stands until a new year's data.

Bulk writes bypass django-simple-history: a warning's own created/updated/closed times
record what screening did; people's changes of status go through history as usual.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from dixian.monitoring.models import ScreeningWarning
from dixian.monitoring.rules import RULES, Context, Rule, latest_income_year
from dixian.registry.models import Household
from dixian.registry.selectors import parameter_value

# Every parameter some rule reads: checked before any write, so that a year missing one
# fails the whole run (MissingParameter) instead of leaving half the rules updated.
REQUIRED_PARAMETERS = (
    "income_drop_ratio",
    "many_students_min",
    "monitoring_line",
    "measure_due_days",
    "open_case_review_days",
    "elimination_min_months",
    "identification_days",
)
EVIDENCE_MAX = ScreeningWarning._meta.get_field("evidence").max_length
BATCH = 2000
Status = ScreeningWarning.Status


def screening_year(year: int | None, as_of: dt.date) -> int:
    """Y: the year asked for, else the latest year with income data, else as_of's year."""
    return year or latest_income_year() or as_of.year


def run_screening(
    *, year: int | None = None, as_of: dt.date, households: QuerySet[Household] | None = None
) -> dict[str, int]:
    """Run every rule over `households` (default: the county) and return, per rule code,
    the number of pending warnings among those households afterwards. Raises
    MissingParameter (before writing anything) when Y lacks a parameter."""
    y = screening_year(year, as_of)
    for code in REQUIRED_PARAMETERS:
        parameter_value(code, y)
    ctx = Context(y, as_of, households if households is not None else Household.objects.all())
    return {code: _apply(rule, ctx, scoped=households is not None) for code, rule in RULES.items()}


def _apply(rule: Rule, ctx: Context, *, scoped: bool) -> int:
    with transaction.atomic():
        fired = {hid: evidence[:EVIDENCE_MAX] for hid, evidence in rule.evaluate(ctx)}
        of_rule = ScreeningWarning.objects.filter(rule=rule.code)
        if scoped:
            of_rule = of_rule.filter(household__in=ctx.households.values("pk"))
        pending = of_rule.filter(status=Status.PENDING)
        existing = {hid: (pk, evidence, year) for pk, hid, evidence, year in _pending_rows(pending)}
        closed = set(
            of_rule.filter(year=ctx.year, status__in=(Status.CONVERTED, Status.DISMISSED)).values_list(
                "household_id", flat=True
            )
        )
        now = timezone.now()
        ScreeningWarning.objects.bulk_create(
            (
                ScreeningWarning(
                    household_id=hid, rule=rule.code, year=ctx.year, as_of=ctx.as_of, evidence=ev
                )
                for hid, ev in fired.items()
                if hid not in existing and hid not in closed
            ),
            batch_size=BATCH,
            ignore_conflicts=True,  # a concurrent run inserted it first: the row is there
        )
        changed = [
            ScreeningWarning(pk=pk, evidence=fired[hid], year=ctx.year, as_of=ctx.as_of, updated_at=now)
            for hid, (pk, evidence, year) in existing.items()
            if hid in fired and (evidence != fired[hid] or year != ctx.year)
        ]
        ScreeningWarning.objects.bulk_update(
            changed, ["evidence", "year", "as_of", "updated_at"], batch_size=500
        )
        gone = (pk for hid, (pk, _, _) in existing.items() if hid not in fired)
        for chunk in _chunks(gone, BATCH):
            ScreeningWarning.objects.filter(pk__in=chunk, status=Status.PENDING).update(
                status=Status.EXPIRED, closed_at=now, updated_at=now, as_of=ctx.as_of
            )
        return pending.count()


def _pending_rows(pending: QuerySet[ScreeningWarning]) -> Iterator[tuple[int, int, str, int]]:
    return pending.values_list("pk", "household_id", "evidence", "year").iterator(chunk_size=5000)


def _chunks(items: Iterable[int], size: int) -> Iterator[list[int]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk
