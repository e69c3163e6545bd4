"""Masking of personal data for lists, exports and public notices (no database needed)."""

from __future__ import annotations


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
