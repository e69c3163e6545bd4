"""Template helpers shared by every page: masking of personal data and sortable headers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.html import format_html

from dixian.core.masking import age_on, mask_id_number, mask_phone

register = template.Library()


@register.filter
def mask_id(value: str | None) -> str:
    return mask_id_number(value)


@register.filter(name="mask_phone")
def mask_phone_filter(value: str | None) -> str:
    return mask_phone(value)


@register.filter
def age(value: dt.date | None) -> str:
    """Age today in whole years (shown instead of the birth date, which would unmask the ID)."""
    return "" if value is None else str(age_on(value, dt.date.today()))


@register.filter
def money(value: Any) -> str:
    """`12345.6` -> `12,345.60`; empty for None (no income recorded)."""
    if value is None or value == "":
        return ""
    return f"{value:,.2f}"


@register.simple_tag(takes_context=True)
def sort_link(context: dict[str, Any], key: str, label: str) -> str:
    """A column header link that sorts by `key`, toggling direction, keeping the filters."""
    request = context["request"]
    current = request.GET.get("order") or "number"
    params = request.GET.copy()
    params.pop("page", None)
    arrow = ""
    if current == key:
        params["order"], arrow = f"-{key}", " ▲"
    elif current == f"-{key}":
        params["order"], arrow = key, " ▼"
    else:
        params["order"] = key
    return format_html('<a class="sort-link" href="?{}">{}{}</a>', params.urlencode(), label, arrow)
