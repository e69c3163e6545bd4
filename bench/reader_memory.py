"""Memory of reading a large national 户信息 xlsx, reader only (no staging, no database).

    .venv/bin/python bench/reader_memory.py                 # 200,000 rows
    .venv/bin/python bench/reader_memory.py --rows 50000 --no-tracemalloc

Writes a one-person-per-household file of --rows rows with
`dixian.imports.tests.bigfile` (two title rows, header on row 3, every cell an inline
string), then, in a fresh child process so that ru_maxrss is the reader's own, opens it
with `dixian.imports.reader.open_table` and iterates every row. Prints rows, seconds,
rows per second, the Python-side peak (tracemalloc) and the process peak RSS, which
includes python-calamine's Rust-side copy of the sheet. The test suite runs the same
check on 20,000 rows (dixian/imports/tests/test_hostile_files.py).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dixian.settings")
    import django

    django.setup()


def read(path: str, trace: bool) -> dict:
    _setup()
    import tracemalloc

    from dixian.imports.reader import open_table

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    rows = 0
    with open(path, "rb") as stream:
        table = open_table(stream, filename=path)
        for _ in table.rows():
            rows += 1
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds),
        "python_peak_mib": round(peak / 2**20, 1) if trace else None,
        "rss_peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_before_mib": round(baseline / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--no-tracemalloc", action="store_true", help="time without tracemalloc's overhead")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(read(args.child, not args.no_tracemalloc)))
        return
    _setup()
    from dixian.imports.tests.bigfile import household_file

    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "户信息_bench.xlsx")
        started = time.perf_counter()
        household_file(path, args.rows)
        size = os.path.getsize(path)
        print(f"wrote {args.rows:,} rows, {size / 2**20:.1f} MiB in {time.perf_counter() - started:.1f} s")
        command = [sys.executable, __file__, "--child", path]
        if args.no_tracemalloc:
            command.append("--no-tracemalloc")
        result = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    print(
        f"read {result['rows']:,} rows in {result['seconds']} s ({result['rows_per_second']:,} rows/s); "
        f"Python peak {result['python_peak_mib']} MiB (tracemalloc); "
        f"process peak RSS {result['rss_peak_mib']} MiB (before reading {result['rss_before_mib']} MiB)"
    )


if __name__ == "__main__":
    main()
