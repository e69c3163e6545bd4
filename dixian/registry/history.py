"""The change history of one household: its own records, its members' and its yearly
incomes', merged newest first (django-simple-history rows diffed in memory)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from dixian.core.masking import mask_birth_date, mask_id_number, mask_phone
from dixian.registry.models import Household, HouseholdIncome, Person

# Personal data stays masked in history too: the full value is shown only through the
# audited reveal, never as a side effect of an edit.
_MASKS: dict[str, Callable[[Any], str]] = {
    "id_number": mask_id_number,
    "phone": mask_phone,
    "birth_date": mask_birth_date,
}
_KIND = {"+": "新建", "~": "修改", "-": "删除"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    user: Any
    subject: str
    kind: str
    changes: list[FieldChange] = field(default_factory=list)


def household_history(household: Household, limit: int = 200) -> list[HistoryEntry]:
    """Changes to the household, its persons and its incomes, newest first."""
    sources: list[tuple[type[models.Model], Any, Callable[[Any], str]]] = [
        (Household, Household.history.filter(id=household.pk), lambda r: "农户信息"),
        (Person, Person.history.filter(household_id=household.pk), lambda r: f"家庭成员 {r.name}"),
        (
            HouseholdIncome,
            HouseholdIncome.history.filter(household_id=household.pk),
            lambda r: f"{r.year}年收入",
        ),
    ]
    entries: list[HistoryEntry] = []
    for model, records, subject in sources:
        ordered = records.select_related("history_user").order_by("history_date", "history_id")
        entries.extend(_entries(model, ordered, subject))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


BOOKKEEPING = ["version"]


def _entries(model: type[models.Model], records: Iterable[Any], subject: Callable[[Any], str]):
    previous: dict[Any, Any] = {}
    for record in records:
        before = previous.get(record.id)
        changes: list[FieldChange] = []
        if record.history_type == "~" and before is not None:
            # `version` is the optimistic-locking counter, not something a person changed
            delta = record.diff_against(before, excluded_fields=BOOKKEEPING)
            changes = [_change(model, c.field, c.old, c.new) for c in delta.changes]
        previous[record.id] = record
        yield HistoryEntry(
            at=record.history_date,
            user=record.history_user,
            subject=subject(record),
            kind=_KIND.get(record.history_type, record.history_type),
            changes=changes,
        )


def _change(model: type[models.Model], name: str, old: Any, new: Any) -> FieldChange:
    label = str(getattr(model._meta.get_field(name), "verbose_name", name))
    return FieldChange(label, _display(name, old), _display(name, new))


def _display(name: str, value: Any) -> str:
    if name in _MASKS:
        return _MASKS[name](value) or "（空）"
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)
