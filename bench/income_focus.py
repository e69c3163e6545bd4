"""Time the three focus groups of notice §2 (dixian.income.focus) in-process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dixian_bench .venv/bin/python bench/income_focus.py
    .venv/bin/python bench/income_focus.py --year 2025 --runs 3

Reads only. For each group: compute the county-wide membership and fetch every member's
户编号 (what `dixian income_focus` prints), `--runs` times with a fresh context (so F02's
cut-off is recomputed each time); prints the median, the fastest and the group's size,
and the total of the medians. The target is under 20 s for all three on 1,000,000
households.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dixian.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, help="income year (default: the latest recorded)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from dixian.income import focus
    from dixian.registry.models import Household

    year = args.year or focus.income_years()[0]
    households = Household.objects.count()
    print(f"{connection.vendor}, {households:,} households, income year {year}, median of {args.runs} runs")
    print(f"{'group':<26}{'members':>10}{'median s':>10}{'best s':>9}")
    total = 0.0
    for code in focus.GROUPS:
        times, size = [], 0
        for _ in range(args.runs):
            started = time.perf_counter()
            ctx = focus.FocusContext(year)
            numbers = list(focus.group_members(code, year, ctx=ctx).values_list("number", flat=True))
            times.append(time.perf_counter() - started)
            size = len(numbers)
        median = statistics.median(times)
        total += median
        print(f"{code:<26}{size:>10,}{median:>10.2f}{min(times):>9.2f}")
    print(f"{'all three (sum of medians)':<36}{total:>10.2f}")


if __name__ == "__main__":
    main()
