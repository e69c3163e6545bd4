"""GB 11643-1999 citizen ID numbers (no database needed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


class IdNumberError(ValueError):
    pass


def check_char(first17: str) -> str:
    """The check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise IdNumberError("前17位应为数字")
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class ParsedId:
    number: str  # the 18-character ID (for a 残疾人证, without its two trailing digits)
    birth_date: dt.date
    sex: str  # "男" or "女"
    disability_suffix: str = ""  # 残疾人证: category (1-7) and grade (1-4)


def parse(value: str) -> ParsedId:
    """Validate an ID (or a 20-character 残疾人证 number) and return its parts.

    Raises IdNumberError with a reason a county user can act on.
    """
    raw = (value or "").strip().upper()
    suffix = ""
    if len(raw) == 20:
        raw, suffix = raw[:18], raw[18:]
        if not (suffix.isdigit() and "1" <= suffix[0] <= "7" and "1" <= suffix[1] <= "4"):
            raise IdNumberError(f"残疾人证号末两位 {suffix!r} 应为残疾类别(1-7)和等级(1-4)")
    if len(raw) != 18:
        raise IdNumberError(f"证件号码应为18位，实为{len(raw)}位")
    if not raw[:17].isdigit() or not (raw[17].isdigit() or raw[17] == "X"):
        raise IdNumberError("证件号码前17位应为数字，末位为数字或X")
    expected = check_char(raw[:17])
    if raw[17] != expected:
        raise IdNumberError(f"证件号码校验位错误（应为{expected}）")
    try:
        birth = dt.date(int(raw[6:10]), int(raw[10:12]), int(raw[12:14]))
    except ValueError:
        raise IdNumberError(f"证件号码中的出生日期 {raw[6:14]} 无效") from None
    if birth.year < 1900 or birth > dt.date.today():
        raise IdNumberError(f"证件号码中的出生日期 {birth:%Y-%m-%d} 不合理")
    sex = "男" if int(raw[16]) % 2 == 1 else "女"
    return ParsedId(number=raw, birth_date=birth, sex=sex, disability_suffix=suffix)


def make(area6: str, birth: dt.date, sequence: int) -> str:
    """Build a valid ID (for demo data and tests): sequence 0-999, odd for men."""
    first17 = f"{area6}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)
