"""Arguments shared by the `screen` and `warnings` commands."""

from __future__ import annotations

import argparse
import datetime as dt

from django.utils import timezone


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD：{text!r}") from None


def add_year_and_as_of(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, help="收入年度 Y（默认：有收入数据的最近年度）")
    parser.add_argument("--as-of", type=iso_date, dest="as_of", help="筛查基准日 YYYY-MM-DD（默认：今天）")


def today() -> dt.date:
    return timezone.localdate()
