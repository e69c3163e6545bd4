"""Row-level validation of national-system files: plain functions, no database.

`parse_row` turns a row's text into typed, JSON-ready data grouped by target model
(``household``, ``person``, ``case``, ``risks``, ``income``, ``measures``,
``employment``, ``work_plan``, ``area``) and a list of errors, each
``{"column", "value", "reason"}``.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.apps import apps

from dixian.imports import columns as C
from dixian.imports.columns import Column, Kind, ValueType
from dixian.imports.reader import parse_date, parse_month
from dixian.monitoring.models import Category, EliminationMethod, RiskType
from dixian.registry import choices, idcard

NOT_IN_SCHOOL = "非在校生"

CODE_LISTS: dict[str, list[str]] = {
    C.ID_TYPE: choices.IdType.values,
    C.RELATION: choices.Relation.values,
    C.SEX: choices.Sex.values,
    "文化程度": choices.Education.values,
    "在校生状况": [*choices.SCHOOL_STAGES, NOT_IN_SCHOOL],
    "健康状况": choices.Health.values,
    "残疾等级": choices.DisabilityGrade.values,
    "劳动技能": choices.LabourSkill.values,
    "户类型": choices.HouseholdType.values,
    "享受低保政策情况": choices.Dibao.values,
    "享受特困供养政策情况": choices.Tekun.values,
    C.CATEGORY: Category.values,
    C.ELIMINATION_METHOD: EliminationMethod.values,
    **{name: RiskType.values for name in C.RISK_COLUMNS},
}
_ALLOWED: dict[str, frozenset[str]] = {name: frozenset(codes) for name, codes in CODE_LISTS.items()}
YES, NO = "是", "否"
MOBILE = re.compile(r"^1\d{10}$")
MONEY_JUNK = re.compile(r"[,，\s元]")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc, tab and line breaks included
INCOME_TOLERANCE = Decimal(1)
# The longest cell a column without a text field behind it takes (numbers, dates, codes).
MAX_CELL = 64
# How much of a bad value an error repeats (a 100,000-character cell is not echoed back).
SHOWN_VALUE = 100
# Where each `Column.target` model lives; areas are checked against Area.name.
TARGET_MODELS = {
    "household": "registry.Household",
    "person": "registry.Person",
    "case": "monitoring.MonitoringCase",
    "risk": "monitoring.CaseRisk",
    "measure": "monitoring.AssistanceMeasure",
    "employment": "employment.EmploymentRecord",
    "work_plan": "employment.WorkPlan",
}
AREA_COLUMNS = (C.COUNTY, C.TOWNSHIP, C.VILLAGE)


def err(column: str, value: str, reason: str) -> dict[str, str]:
    # PostgreSQL's jsonb cannot hold NUL: the error shows it as the visible symbol ␀.
    value = value.replace("\x00", "\u2400")
    if len(value) > SHOWN_VALUE:
        value = value[:SHOWN_VALUE] + "…"
    return {"column": column, "value": value, "reason": reason}


@cache
def max_length(column: Column) -> int:
    """The longest text a cell of the column may hold: its model field's max_length
    (CharFields), Area.name for the area columns, else MAX_CELL."""
    if column.name in AREA_COLUMNS:
        model, field = "areas.Area", "name"
    elif column.target and column.type in (ValueType.TEXT, ValueType.CHOICE):
        label, field = column.target.split(".")
        model = TARGET_MODELS[label]
    else:
        return MAX_CELL
    return apps.get_model(model)._meta.get_field(field).max_length or MAX_CELL


def cell_problem(column: Column, text: str, limit: int | None = None) -> str | None:
    """Why a cell's text cannot be taken at all: control characters (never stripped
    silently: a name is an identity) or more characters than the field holds
    (`limit`, by default `max_length(column)`)."""
    # Control characters are not printable: the regex only runs on the rare cell that is not.
    bad = None if text.isprintable() else CONTROL.search(text)
    if bad is not None:
        return f"含有不可见的控制字符（U+{ord(bad[0]):04X}），请删除后重新上传"
    if limit is None:
        limit = max_length(column)
    if len(text) > limit:
        return f"内容过长：{len(text)}个字符，最多{limit}个"
    return None


def parse_value(column: Column, text: str) -> Any:
    """The typed, JSON-ready value of a non-empty cell; raises ValueError(reason)."""
    t = column.type
    if t is ValueType.CHOICE:
        if text not in _ALLOWED[column.name]:
            allowed = CODE_LISTS[column.name]
            shown = "、".join(allowed[:12]) + ("…" if len(allowed) > 12 else "")
            raise ValueError(f"不在代码表中（可选：{shown}）")
        return "" if text == NOT_IN_SCHOOL else text
    if t is ValueType.YES_NO:
        if text not in (YES, NO):
            raise ValueError("应为“是”或“否”")
        return text == YES
    if t is ValueType.DATE:
        try:
            return parse_date(text).isoformat()
        except ValueError:
            raise ValueError("日期格式无法识别（应为YYYY-MM-DD或YYYYMMDD）") from None
    if t is ValueType.MONTH:
        try:
            return parse_month(text).isoformat()
        except ValueError:
            raise ValueError("年月格式无法识别（应为YYYYMM）") from None
    if t is ValueType.DECIMAL:
        try:
            value = Decimal(MONEY_JUNK.sub("", text))
        except InvalidOperation:
            raise ValueError("应为数字") from None
        if not value.is_finite() or abs(value) >= Decimal(10) ** 10:
            raise ValueError("应为数字")
        return str(value.quantize(Decimal("0.01")))
    if t is ValueType.YEAR:
        if not re.fullmatch(r"(19|20)\d{2}", text):
            raise ValueError("应为四位年份")
        return int(text)
    if t is ValueType.INT:
        if not text.isdigit():
            raise ValueError("应为整数")
        return int(text)
    if t is ValueType.PHONE:
        if not MOBILE.match(text):
            raise ValueError("应为11位手机号码")
        return text
    return text


def parse_row(kind: Kind, values: dict[str, str]) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """Typed data and errors for one row (household-level checks come later)."""
    data: dict[str, Any] = {}
    errors: list[dict[str, str]] = []
    plans = _plans(kind)
    for name, text in values.items():
        column, limit, place = plans[name]
        if not text:
            if column.required:
                errors.append(err(name, "", "必填项为空"))
            continue
        if not text.isprintable() or len(text) > limit:
            problem = cell_problem(column, text, limit)
            if problem is not None:
                errors.append(err(name, text, problem))
                continue
        kind_of_value = column.type
        if kind_of_value is ValueType.ID_NUMBER:
            continue  # checked with sex and birth date below
        if kind_of_value is ValueType.TEXT:
            value: Any = text
        elif kind_of_value is ValueType.CHOICE and text in _ALLOWED[name] and text != NOT_IN_SCHOOL:
            value = text
        else:
            try:
                value = parse_value(column, text)
            except ValueError as exc:
                errors.append(err(name, text, str(exc)))
                continue
        if place is not None:
            section, key = place
            if section:
                target = data.get(section)
                if target is None:
                    target = data[section] = {}
                target[key] = value
            else:
                data[key] = value
    _check_identity(values, data, errors)
    if kind in (Kind.HOUSEHOLD, Kind.MONITORING):
        data.setdefault("area", {}).update(
            township_name=values.get(C.TOWNSHIP, ""), village_name=values.get(C.VILLAGE, "")
        )
    if kind is Kind.MONITORING:
        _check_case(values, data, errors)
    return data, errors


def _place(column: Column) -> tuple[str, str] | None:
    """Where a column's value goes in the row's data: (section, key), section "" for
    the top level; None when the value is only checked."""
    if column.name == C.MEMBER_COUNT:
        return ("", "member_count")
    if column.name == C.PER_CAPITA:
        return ("", "per_capita")
    if column.name in C.RISK_COLUMNS:
        return ("risks", column.name[-1])
    if column.name in C.MEASURE_COLUMNS:
        return ("measures", column.name)
    if column.target:
        model, field = column.target.split(".")
        return (model, field)
    return None


@cache
def _plans(kind: Kind) -> dict[str, tuple[Column, int, tuple[str, str] | None]]:
    """Per column of a kind, worked out once: the column, its length limit, its place."""
    return {name: (c, max_length(c), _place(c)) for name, c in C.columns_by_name(kind).items()}


def _check_identity(values: dict[str, str], data: dict[str, Any], errors: list[dict[str, str]]) -> None:
    raw = values.get(C.ID_NUMBER, "")
    if not raw or any(e["column"] == C.ID_NUMBER for e in errors):
        return
    try:
        parsed = idcard.parse(raw)
    except idcard.IdNumberError as exc:
        errors.append(err(C.ID_NUMBER, raw, str(exc)))
        return
    person = data.setdefault("person", {})
    person["id_number"] = parsed.number
    if parsed.disability_suffix:
        person["disability_suffix"] = parsed.disability_suffix
        if person.get("id_type", choices.IdType.DISABILITY) != choices.IdType.DISABILITY:
            errors.append(err(C.ID_TYPE, values.get(C.ID_TYPE, ""), "20位证件号码应为残疾人证"))
        person["id_type"] = choices.IdType.DISABILITY
    if "birth_date" in person and person["birth_date"] != parsed.birth_date.isoformat():
        errors.append(
            err(
                C.BIRTH_DATE,
                values[C.BIRTH_DATE],
                f"与证件号码中的出生日期 {parsed.birth_date:%Y-%m-%d} 不一致",
            )
        )
    if "sex" in person and person["sex"] != parsed.sex:
        errors.append(err(C.SEX, values[C.SEX], f"与证件号码中的性别（{parsed.sex}）不一致"))
    if C.BIRTH_DATE in values or C.SEX in values or C.NAME in values:
        person["birth_date"] = parsed.birth_date.isoformat()
        person["sex"] = parsed.sex


def _check_case(values: dict[str, str], data: dict[str, Any], errors: list[dict[str, str]]) -> None:
    case = data.get("case", {})
    if "category" not in case:
        data.pop("case", None)
        data.pop("risks", None)
        return
    if "identified_on" not in case and not values.get(C.IDENTIFIED):
        errors.append(err(C.IDENTIFIED, "", "监测对象类别不为空时必填"))
    if case.get("eliminated"):
        if not values.get(C.ELIMINATION_METHOD):
            errors.append(err(C.ELIMINATION_METHOD, "", "风险已消除时必填"))
        if not values.get(C.ELIMINATED_ON):
            errors.append(err(C.ELIMINATED_ON, "", "风险已消除时必填"))
    case.setdefault("eliminated", False)
    case.setdefault("elimination_method", "")
    case.setdefault("eliminated_on", None)


INCOME_FIELDS = [
    "wage",
    "business",
    "property_income",
    "transfer",
    "business_expense",
    "compliant_out_of_pocket",
]


def income_components(data: dict[str, Any]) -> dict[str, Decimal]:
    income = data.get("income", {})
    return {f: Decimal(income.get(f, "0")) for f in INCOME_FIELDS}
