"""Reads behind the 明白纸: the year's parameter values (carried forward as the rules read
them), the county and issuing unit, the consultation phone. Sheets are public documents:
nothing here touches households or persons, so no scope applies."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.html import format_html, html_safe
from django.utils.safestring import SafeString

from dixian.areas.models import Area, OrgUnit
from dixian.monitoring.leaflets.sheets import Sheet, codes_of
from dixian.monitoring.rules.base import yuan
from dixian.registry.models import PolicyParameter
from dixian.registry.parameters import SPECS
from dixian.registry.selectors import ParameterValue, parameters_for_year

MISSING = "未设置"
_MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")


@html_safe
@dataclass(frozen=True)
class Figure:
    """One parameter as a sheet prints it. In a template `{{ p.code }}` renders the
    formatted value, or a 「未设置」 mark on screen and a blank to fill in on paper;
    `.text` is the plain text."""

    code: str
    value: ParameterValue | None

    @property
    def label(self) -> str:
        return SPECS[self.code].label

    @property
    def missing(self) -> bool:
        return self.value is None

    @property
    def text(self) -> str:
        if self.value is None:
            return MISSING
        return format_number(self.value.value)

    def __str__(self) -> str:
        if self.value is None:
            return _missing_html(self.code)
        return format_html('<strong class="leaflet-value" data-code="{}">{}</strong>', self.code, self.text)


def _missing_html(code: str) -> SafeString:
    return format_html(
        '<span class="leaflet-missing" data-code="{}"><span class="screen-only">{}</span>'
        '<span class="print-only">＿＿＿＿</span></span>',
        code,
        MISSING,
    )


def format_number(value: object) -> str:
    """8500 → "8,500"; 1500.50 → "1,500.50"; counts as they are."""
    return yuan(value) if isinstance(value, Decimal) else str(value)


@html_safe
@dataclass(frozen=True)
class Hotline:
    number: str  # empty when not configured or refused
    problem: str  # why it is not printed, for county admins

    def __str__(self) -> str:
        if not self.number:
            return _missing_html("hotline")
        return format_html('<strong class="leaflet-value">{}</strong>', self.number)


def county_hotline() -> Hotline:
    """The county bureau's consultation phone (setting DIXIAN_COUNTY_HOTLINE). A mobile
    number is refused: the sheets are handed out to every household, and a mobile is a
    person's phone, not the office's."""
    number = str(getattr(settings, "DIXIAN_COUNTY_HOTLINE", "")).strip()
    if not number:
        return Hotline("", "县农业农村局咨询电话未配置（服务器环境变量 DIXIAN_COUNTY_HOTLINE）")
    if _MOBILE.match(re.sub(r"[\s-]", "", number)):
        return Hotline("", "DIXIAN_COUNTY_HOTLINE 是手机号码：明白纸只印单位固定电话，未予显示")
    return Hotline(number, "")


@dataclass(frozen=True)
class LeafletYear:
    """Everything the sheets of one year print."""

    year: int
    figures: dict[str, Figure]  # every code the sheets print
    county: str  # 上犹县
    region: str  # 江西省赣州市
    issuer: str  # 上犹县农业农村局
    hotline: Hotline
    issued_on: dt.date

    @property
    def missing(self) -> list[Figure]:
        return [f for f in self.figures.values() if f.missing]


def leaflet_year(year: int, sheets: list[Sheet], *, today: dt.date) -> LeafletYear:
    """The figures of `sheets` in force in `year` (set that year or carried forward), and
    the header and footer of the page. A code with no value yet is a Figure with no value."""
    values = parameters_for_year(year)
    figures = {code: Figure(code, values.get(code)) for code in codes_of(sheets)}
    county = Area.objects.filter(code=settings.DIXIAN_COUNTY_CODE).select_related("parent__parent").first()
    region = ""
    if county is not None and county.parent is not None:
        region = (county.parent.parent.name if county.parent.parent else "") + county.parent.name
    bureau = (
        OrgUnit.objects.filter(area_id=settings.DIXIAN_COUNTY_CODE, kind=OrgUnit.Kind.COUNTY_BUREAU)
        .order_by("pk")
        .first()
    )
    county_name = county.name if county else ""
    return LeafletYear(
        year=year,
        figures=figures,
        county=county_name,
        region=region,
        issuer=bureau.name if bureau else f"{county_name}农业农村局",
        hotline=county_hotline(),
        issued_on=today,
    )


def leaflet_years(current: int) -> list[int]:
    """The years to offer, newest first: those with any parameter set, and the current one
    (which holds the values carried forward)."""
    years = set(PolicyParameter.objects.values_list("year", flat=True).distinct())
    return sorted(years | {current}, reverse=True)
