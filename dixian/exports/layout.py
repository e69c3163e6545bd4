"""The national layouts of an export row: one row per person, household fields repeated,
columns in the order of `dixian.imports.columns` so that an export imports back.

Two layouts: 户信息 (`Kind.HOUSEHOLD`) and 监测对象信息 (`Kind.MONITORING`: the 户信息
columns, then the household's monitoring case, risks, income of one year and one column
per assistance measure type).

Plain functions over loaded objects (no queries): the selector hands in persons with
their household and area chain already joined, and for 监测对象信息 each household's
`MonitoringState` loaded in bulk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dixian.core.masking import mask_birth_date, mask_id_number, mask_phone
from dixian.imports.columns import (
    BIRTH_DATE,
    COUNTY,
    MEASURE_COLUMNS,
    MEMBER_COUNT,
    PER_CAPITA,
    RISK_COLUMNS,
    TOWNSHIP,
    VILLAGE,
    Column,
    Kind,
    ValueType,
    column_names,
    columns_by_name,
)
from dixian.monitoring.models import MonitoringCase
from dixian.registry.choices import IdType
from dixian.registry.models import HouseholdIncome, Person

HOUSEHOLD_HEADER: list[str] = column_names(Kind.HOUSEHOLD)
MONITORING_HEADER: list[str] = column_names(Kind.MONITORING)
HEADERS: dict[Kind, list[str]] = {Kind.HOUSEHOLD: HOUSEHOLD_HEADER, Kind.MONITORING: MONITORING_HEADER}
TITLES: dict[Kind, str] = {Kind.HOUSEHOLD: "（基础信息）户信息", Kind.MONITORING: "（自定义）监测对象信息"}
_COLUMNS: dict[str, Column] = columns_by_name(Kind.MONITORING)  # a superset of the 户信息 columns
# Cells that hold identifiers: written as text, never as numbers (no 3.6e17).
TEXT_COLUMNS = {c.name for c in _COLUMNS.values() if c.type in (ValueType.ID_NUMBER, ValueType.PHONE)} | {
    "户编号"
}
# AssistanceMeasure.detail holds at most this many characters: a longer cell would not import back.
MEASURE_CELL_MAX = 100
MEASURE_HELD = "是"  # the cell of a measure held without a detail (a non-empty cell means held)


@dataclass
class MonitoringState:
    """What the 监测对象信息 columns of one household show: its monitoring case (the open
    approved one, else the latest approved), the case's risks in order, its income of the
    export year and the text of each measure type it holds that year."""

    case: MonitoringCase | None = None
    risks: list[str] = field(default_factory=list)
    income: HouseholdIncome | None = None
    measures: dict[str, str] = field(default_factory=dict)


def measure_cell(details: list[str]) -> str:
    """One measure type's cell: its distinct details joined (cut to what the field holds),
    or 是 when none has a detail."""
    unique = list(dict.fromkeys(d for d in details if d))
    return "；".join(unique)[:MEASURE_CELL_MAX] if unique else MEASURE_HELD


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
    if kind == ValueType.MONTH and isinstance(value, dt.date):
        return value.strftime("%Y%m")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, Decimal):
        return f"{value:.2f}"
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


def _monitoring_value(name: str, column: Column, state: MonitoringState) -> str:
    case = state.case
    if name in RISK_COLUMNS:
        index = RISK_COLUMNS.index(name)
        return state.risks[index] if index < len(state.risks) else ""
    if name in MEASURE_COLUMNS:
        return state.measures.get(name, "")
    if name == PER_CAPITA:
        return _text(state.income.per_capita_net if state.income is not None else None, column.type)
    model, _, attr = column.target.partition(".")
    if model == "income":
        return _text(getattr(state.income, attr) if state.income is not None else None, column.type)
    if model == "case" and case is not None:
        return _text(getattr(case, attr), column.type)
    return ""


def row_builder(
    *, full_pii: bool, kind: Kind = Kind.HOUSEHOLD
) -> Callable[[Person, MonitoringState | None], list[str]]:
    """A function turning one person (household and area chain loaded, `member_count`
    annotated) and, for 监测对象信息, the household's state into the row's cells.

    Unless `full_pii`, IDs and phones are masked and the birth date shows its year only
    (with the area prefix and last four digits of the masked ID, a full birth date would
    give the whole number back)."""
    masks: dict[ValueType, Callable[[str], str]] = (
        {} if full_pii else {ValueType.ID_NUMBER: mask_id_number, ValueType.PHONE: mask_phone}
    )
    header = HEADERS[kind]
    household_columns = set(HOUSEHOLD_HEADER)

    def build(person: Person, state: MonitoringState | None = None) -> list[str]:
        county, township, village = _area_names(person)
        cells: list[str] = []
        for name in header:
            column = _COLUMNS[name]
            if name not in household_columns:
                cells.append(_monitoring_value(name, column, state or MonitoringState()))
                continue
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
            elif name == BIRTH_DATE and not full_pii:
                value = mask_birth_date(person.birth_date)
            else:
                value = _text(_target_value(person, column.target), column.type)
            mask = masks.get(column.type)
            cells.append(mask(value) if mask else value)
        return cells

    return build


def _target_value(person: Person, target: str) -> Any:
    model, _, field_name = target.partition(".")
    if model == "person":
        return getattr(person, field_name)
    if model == "household":
        return getattr(person.household, field_name)
    return None
