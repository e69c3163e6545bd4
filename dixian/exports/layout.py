"""The national 户信息 layout of an export row: one row per person, household fields
repeated, columns in the order of `dixian.imports.columns` so that an export imports back.

Plain functions over loaded objects (no queries): the selector hands in persons with
their household and area chain already joined.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from dixian.core.masking import mask_id_number, mask_phone
from dixian.imports.columns import (
    COUNTY,
    MEMBER_COUNT,
    TOWNSHIP,
    VILLAGE,
    Column,
    Kind,
    ValueType,
    column_names,
    columns_by_name,
)
from dixian.registry.choices import IdType
from dixian.registry.models import Person

HOUSEHOLD_HEADER: list[str] = column_names(Kind.HOUSEHOLD)
_COLUMNS: dict[str, Column] = columns_by_name(Kind.HOUSEHOLD)
# Cells that hold identifiers: written as text, never as numbers (no 3.6e17).
TEXT_COLUMNS = {c.name for c in _COLUMNS.values() if c.type in (ValueType.ID_NUMBER, ValueType.PHONE)} | {
    "户编号"
}


def full_id_number(person: Person) -> str:
    """The number as the national file writes it: a 残疾人证 number is the ID followed by
    the two digits of disability category and grade."""
    if person.id_type == IdType.DISABILITY and person.disability_suffix:
        return person.id_number + person.disability_suffix
    return person.id_number


def _text(value: Any, kind: ValueType) -> str:
    if value is None:
        return ""
    if kind == ValueType.YES_NO or isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _area_names(person: Person) -> tuple[str, str, str]:
    village = person.household.area
    township = village.parent
    county = township.parent if township is not None else None
    return (
        county.name if county is not None else "",
        township.name if township is not None else "",
        village.name,
    )


def row_builder(*, full_pii: bool) -> Callable[[Person], list[str]]:
    """A function turning one person (household and area chain loaded, `member_count`
    annotated) into the row's cells, IDs and phones masked unless `full_pii`."""
    masks: dict[ValueType, Callable[[str], str]] = (
        {} if full_pii else {ValueType.ID_NUMBER: mask_id_number, ValueType.PHONE: mask_phone}
    )

    def build(person: Person) -> list[str]:
        county, township, village = _area_names(person)
        cells: list[str] = []
        for name in HOUSEHOLD_HEADER:
            column = _COLUMNS[name]
            if name == COUNTY:
                value = county
            elif name == TOWNSHIP:
                value = township
            elif name == VILLAGE:
                value = village
            elif name == MEMBER_COUNT:
                value = _text(getattr(person, "member_count", None), column.type)
            elif column.type == ValueType.ID_NUMBER:
                value = full_id_number(person)
            else:
                value = _text(_target_value(person, column.target), column.type)
            mask = masks.get(column.type)
            cells.append(mask(value) if mask else value)
        return cells

    return build


def _target_value(person: Person, target: str) -> Any:
    model, _, field = target.partition(".")
    if model == "person":
        return getattr(person, field)
    if model == "household":
        return getattr(person.household, field)
    return None
