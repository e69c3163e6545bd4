"""Masking of personal data for lists, exports and public notices (no database needed)."""

from __future__ import annotations

import datetime as dt


def mask_id_number(value: str | None) -> str:
    """`360724199001011234` -> `3607**********1234`: area prefix and last four stay."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    """`13812345678` -> `138****5678`."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_birth_date(value: dt.date | str | None) -> str:
    """A birth date is most of an ID number: with the masked ID's prefix and suffix it gives
    the whole of it back. Lists, pages and exports show the year only."""
    if not value:
        return ""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return text[:4] + "-**-**"


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Whole years of age on a date."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
