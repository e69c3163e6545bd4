"""Time `dixian demo` in a throwaway database and print the row counts.

    .venv/bin/python bench/demo_load.py                          # PostgreSQL, default county
    .venv/bin/python bench/demo_load.py --households 1000000     # PostgreSQL, 1M households
    .venv/bin/python bench/demo_load.py --sqlite                 # SQLite file under /tmp

PostgreSQL: creates the database `dixian_bench` on --server (dropping an old one), runs
`dixian migrate` and `dixian demo` against it, then drops it (unless --keep). The load
must stay under 10 minutes for 1,000,000 households on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DIXIAN = [sys.executable, str(ROOT / "manage.py")]
COUNTS = {
    "households": "registry_household",
    "persons": "registry_person",
    "incomes": "registry_householdincome",
    "monitoring objects": "monitoring_monitoringcase",
    "risks": "monitoring_caserisk",
    "pairings": "registry_pairing",
    "users": "accounts_user",
}


def run(args: list[str], url: str) -> float:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "dixian.settings"}
    started = time.monotonic()
    subprocess.run([*DIXIAN, *args], check=True, cwd=ROOT, env=env)
    return time.monotonic() - started


def counts_sql() -> str:
    return "SELECT " + ", ".join(f"(SELECT count(*) FROM {table})" for table in COUNTS.values())


def bench_postgres(server: str, name: str, households: int, keep: bool) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    url = f"{server}/{name}"
    try:
        run(["migrate", "--no-input", "-v0"], url)
        elapsed = run(["demo", "--households", str(households)], url)
        with psycopg.connect(url) as conn:
            row = conn.execute(counts_sql()).fetchone()
        report("PostgreSQL", households, elapsed, row)
    finally:
        if not keep:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name}")


def bench_sqlite(households: int) -> None:
    import sqlite3

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        run(["migrate", "--no-input", "-v0"], url)
        elapsed = run(["demo", "--households", str(households)], url)
        with sqlite3.connect(f"{tmp}/bench.sqlite3") as conn:
            row = conn.execute(counts_sql()).fetchone()
        report("SQLite", households, elapsed, row)


def report(engine: str, households: int, elapsed: float, row: tuple | None) -> None:
    print(f"\n== {engine}, --households {households:,}: {elapsed:.1f} s (whole `dixian demo` process)")
    for label, value in zip(COUNTS, row or (), strict=False):
        print(f"   {label:<20}{value:>12,}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--sqlite", action="store_true", help="time SQLite instead of PostgreSQL")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="dixian_bench")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    args = parser.parse_args()
    if args.sqlite:
        bench_sqlite(args.households)
    else:
        bench_postgres(args.server, args.database, args.households, args.keep)


if __name__ == "__main__":
    main()
