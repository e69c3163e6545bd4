"""Administrative division codes (统计用区划代码): plain functions, no database.

Codes are 12 digits and hierarchical: province 2, city 4, county 6, township 9,
village 12 significant digits, zero-padded to 12. The significant prefix of an area is
therefore the prefix of every code beneath it, which is what area scope filters on.
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"


SIGNIFICANT_DIGITS: dict[Level, int] = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
}


class AreaCodeError(ValueError):
    pass


def normalise(code: str) -> str:
    """Pad a 2/4/6/9/12-digit code to 12 digits; reject anything else."""
    code = code.strip()
    if not code.isdigit() or len(code) not in (2, 4, 6, 9, 12):
        raise AreaCodeError(f"区划代码 {code!r} 应为 2/4/6/9/12 位数字")
    return code.ljust(12, "0")


def level_of(code: str) -> Level:
    code = normalise(code)
    if code[9:] != "000":
        return Level.VILLAGE
    if code[6:9] != "000":
        return Level.TOWNSHIP
    if code[4:6] != "00":
        return Level.COUNTY
    if code[2:4] != "00":
        return Level.CITY
    return Level.PROVINCE


def prefix(code: str) -> str:
    """The significant prefix: every area beneath this one has a code starting with it."""
    code = normalise(code)
    return code[: SIGNIFICANT_DIGITS[level_of(code)]]


def township_code(code: str) -> str:
    """The 12-digit code of the township containing a village (or the township itself)."""
    return normalise(code)[:9] + "000"


def parent_code(code: str) -> str | None:
    level = level_of(code)
    if level is Level.PROVINCE:
        return None
    order = list(SIGNIFICANT_DIGITS)
    parent_level = order[order.index(level) - 1]
    return normalise(code)[: SIGNIFICANT_DIGITS[parent_level]].ljust(12, "0")
