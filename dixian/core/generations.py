"""Cached figures with correct invalidation: a figure is cached under the current
generation of its topic (`DataGeneration`), and every write to the topic's data bumps the
generation in the writing transaction. Saves and deletes bump through signals; bulk writes
that bypass signals (screening runs, the demo loader, a restore) call `bump` themselves.

A reader during an uncommitted write sees the old generation and the old data, so what it
caches is consistent; after the commit the new generation makes it compute afresh."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from dixian.core.models import DataGeneration

WAIT_SECONDS = 30
MONITORING = "monitoring"  # households, members, incomes, cases, risks, reviews, eliminations, warnings
T = TypeVar("T")


def bump(topic: str) -> None:
    """Move `topic` to a new generation. Inside a transaction, writes in a row bump once (an
    import saving thousands of cases costs one UPDATE): the bump leaves a mark among the
    transaction's on-commit callbacks, and a further bump is needed only once somebody has
    read the generation since. A rollback discards the mark with the bump."""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        if any(not mark.read for mark in _marks(connection, topic)):
            return
        transaction.on_commit(_Mark(topic))
    if not DataGeneration.objects.filter(topic=topic).update(value=F("value") + 1):
        DataGeneration.objects.get_or_create(topic=topic, defaults={"value": 1})


def current(topic: str) -> int:
    for mark in _marks(transaction.get_connection(), topic):
        mark.read = True  # a write after this read must bump again
    value = DataGeneration.objects.filter(topic=topic).values_list("value", flat=True).first()
    return value or 0


class _Mark:
    """The on-commit no-op that records "this transaction has bumped `topic`"."""

    def __init__(self, topic: str) -> None:
        self.topic = topic
        self.read = False

    def __call__(self) -> None:
        pass


def _marks(connection: Any, topic: str) -> list[_Mark]:
    return [
        entry[1]
        for entry in connection.run_on_commit
        if isinstance(entry[1], _Mark) and entry[1].topic == topic
    ]


def cached(topic: str, key: str, compute: Callable[[], T], timeout: int = 3600) -> T:
    """`compute()`, or its cached result if the topic's data has not changed since.

    When the figure is missing, one caller computes it while the others wait for its result
    (up to WAIT_SECONDS, then they compute too): after a change, a dozen users opening the
    dashboard at once cost one computation, not a dozen."""
    full_key = f"dixian:{topic}:{current(topic)}:{key}"
    found: Any = cache.get(full_key)
    if found is not None:
        return found
    lock_key = f"{full_key}:computing"
    if not cache.add(lock_key, 1, WAIT_SECONDS):
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.05)  # another request is computing this very figure
            found = cache.get(full_key)
            if found is not None:
                return found
    try:
        found = compute()
        cache.set(full_key, found, timeout)
    finally:
        cache.delete(lock_key)
    return found


_RECEIVERS: dict[str, Callable[..., None]] = {}


def track(topic: str, *models: Any) -> None:
    """Bump `topic` whenever an instance of one of `models` is saved or deleted (each app
    tracks its own models, in its AppConfig.ready)."""
    from django.db.models.signals import post_delete, post_save

    receiver = _RECEIVERS.setdefault(topic, bump_on_change(topic))  # kept: signals hold receivers weakly
    for model in models:
        label = model._meta.label
        post_save.connect(receiver, sender=model, dispatch_uid=f"generation-{topic}-{label}-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"generation-{topic}-{label}-delete")


def bump_on_change(topic: str) -> Callable[..., None]:
    """A post_save / post_delete receiver that bumps `topic`."""

    def receiver(sender: Any, **kwargs: Any) -> None:
        bump(topic)

    return receiver
