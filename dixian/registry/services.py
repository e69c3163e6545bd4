"""Writes to the registry: keyword-only, typed, one transaction each. History rows are
written by django-simple-history with the acting user (`_history_user`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from dixian.core.masking import mask_phone
from dixian.registry import idcard
from dixian.registry.models import Household, HouseholdIncome, Person, PolicyParameter
from dixian.registry.parameters import ParameterError, parse_value


def _attach_actor(instance: Any, actor: Any) -> None:
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor


def person_identity(
    id_number: str, *, birth_date: dt.date | None = None, sex: str | None = None
) -> idcard.ParsedId:
    """Validate an ID and check a stated birth date and sex against it.

    Raises ValidationError keyed by field, with reasons a county user can act on.
    """
    try:
        parsed = idcard.parse(id_number)
    except idcard.IdNumberError as exc:
        raise ValidationError({"id_number": str(exc)}) from None
    errors = {}
    if birth_date is not None and birth_date != parsed.birth_date:
        errors["birth_date"] = (
            f"出生日期 {birth_date:%Y-%m-%d} 与证件号码中的 {parsed.birth_date:%Y-%m-%d} 不一致"
        )
    if sex and sex != parsed.sex:
        errors["sex"] = f"性别「{sex}」与证件号码（{parsed.sex}）不一致"
    if errors:
        raise ValidationError(errors)
    return parsed


@transaction.atomic
def person_create(*, household: Household, actor: Any = None, **fields: Any) -> Person:
    parsed = person_identity(
        fields.pop("id_number"), birth_date=fields.pop("birth_date", None), sex=fields.pop("sex", None)
    )
    person = Person(
        household=household,
        id_number=parsed.number,
        disability_suffix=parsed.disability_suffix,
        birth_date=parsed.birth_date,
        sex=parsed.sex,
        **fields,
    )
    if parsed.disability_suffix:
        person.id_type = "残疾人证"
    person.full_clean(exclude=["id_last4"])
    _attach_actor(person, actor)
    person.save()
    return person


HOUSEHOLD_EDIT_FIELDS = {
    "phone": "户联系电话",
    "dangerous_housing": "是否危房户",
    "safe_water": "是否解决安全饮用水",
}
EDIT_CONFLICT = "该户信息已被他人修改，请查看最新内容后重新填写"


class EditConflict(Exception):
    """The record changed since the editor read it; nothing was saved."""


@transaction.atomic
def household_update(
    *,
    household: Household,
    actor: Any = None,
    expected_version: int | None = None,
    request: Any = None,
    **fields: Any,
) -> Household:
    """Change a household's fields. With `expected_version` (an edit from the household page)
    the row is locked and the edit refused with EditConflict when the version the editor read
    is no longer current: of two users saving the same household, one wins and the other is
    told. Every change bumps the version (Household.save), is in history and, from a user, in the
    audit log."""
    from dixian.core.models import AuditEvent
    from dixian.core.services import audit_record

    current = Household.objects.select_for_update().get(pk=household.pk)
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(EDIT_CONFLICT)
    changes = []
    for name, value in fields.items():
        old = getattr(current, name)
        if old != value:
            label = HOUSEHOLD_EDIT_FIELDS.get(name, name)
            if name == "phone":  # the audit trail never holds a full phone number
                old, value_shown = mask_phone(old), mask_phone(value)
            else:
                value_shown = value
            changes.append(f"{label} {_shown(old)}→{_shown(value_shown)}")
        setattr(current, name, value)
    if not changes:
        return current
    current.full_clean()
    _attach_actor(current, actor)
    current.save()
    if actor is not None:
        audit_record(
            request=request,
            user=actor,
            action=AuditEvent.Action.CHANGE,
            obj=current,
            detail="；".join(changes),
        )
    return current


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value) if value not in (None, "") else "（空）"


@transaction.atomic
def income_upsert(
    *,
    household: Household,
    year: int,
    members: int,
    wage: Decimal = Decimal(0),
    business: Decimal = Decimal(0),
    property_income: Decimal = Decimal(0),
    transfer: Decimal = Decimal(0),
    business_expense: Decimal = Decimal(0),
    compliant_out_of_pocket: Decimal = Decimal(0),
    actor: Any = None,
) -> HouseholdIncome:
    """Create or update a household's income for a year. The per-capita figure is
    derived by the database and cannot be passed in."""
    income = HouseholdIncome.objects.select_for_update().filter(household=household, year=year).first()
    if income is None:
        income = HouseholdIncome(household=household, year=year, members=members)
    income.members = members
    income.wage, income.business, income.property_income = wage, business, property_income
    income.transfer, income.business_expense = transfer, business_expense
    income.compliant_out_of_pocket = compliant_out_of_pocket
    income.full_clean(exclude=["per_capita_net"], validate_unique=False)
    _attach_actor(income, actor)
    income.save()
    income.refresh_from_db(fields=["per_capita_net"])
    return income


@transaction.atomic
def parameter_set(
    *, year: int, code: str, value: str, source: str = "", actor: Any = None
) -> PolicyParameter:
    """Set a policy parameter for a year, validated against its spec."""
    try:
        parse_value(code, value)
    except ParameterError as exc:
        raise ValidationError({"value": str(exc)}) from None
    param = PolicyParameter.objects.select_for_update().filter(year=year, code=code).first()
    if param is None:
        param = PolicyParameter(year=year, code=code)
    param.value = str(value).strip()
    param.source = source
    _attach_actor(param, actor)
    param.save()
    return param


# ---- income correction (收入数据更正; used by the income-decline ledger, dixian.income.ledger) ----

INCOME_FIGURES = {
    "members": "家庭常住人口",
    "wage": "工资性收入",
    "business": "生产经营性收入",
    "property_income": "财产性收入",
    "transfer": "转移性收入",
    "business_expense": "生产经营性支出",
    "compliant_out_of_pocket": "合规自付支出",
}


@transaction.atomic
def income_correct(
    *, income: HouseholdIncome, reason: str, actor: Any = None, request: Any = None, **figures: Any
) -> tuple[HouseholdIncome, str]:
    """Correct a recorded income whose figures were entered wrongly (数据录入错误).

    `figures` are the corrected values of any of INCOME_FIGURES. The record is updated
    (history with the actor) and an AuditEvent names each changed figure from → to and
    the per-capita figure the database derives. Returns the record and that text.
    Refuses a correction that changes nothing."""
    from dixian.core.models import AuditEvent
    from dixian.core.services import audit_record

    unknown = set(figures) - set(INCOME_FIGURES)
    if unknown:
        raise ValueError(f"unknown income figures {sorted(unknown)}")
    if not reason.strip():
        raise ValidationError({"reason": "请填写更正说明"})
    record = HouseholdIncome.objects.select_for_update().get(pk=income.pk)
    before = record.per_capita_net
    changes = []
    for name, value in figures.items():
        old = getattr(record, name)
        if value is not None and value != old:
            changes.append(f"{INCOME_FIGURES[name]} {old}→{value}")
            setattr(record, name, value)
    if not changes:
        raise ValidationError("更正后的收入与原记录相同，未作更正")
    record.full_clean(exclude=["per_capita_net"], validate_unique=False)
    _attach_actor(record, actor)
    record.save()
    record.refresh_from_db(fields=["per_capita_net"])
    changes.append(f"人均纯收入 {before}→{record.per_capita_net}")
    text = "；".join(changes)
    audit_record(
        request=request,
        user=actor,
        action=AuditEvent.Action.CHANGE,
        obj=record,
        detail=f"{record.year}年收入更正（{reason.strip()}）：{text}",
    )
    return record, text
