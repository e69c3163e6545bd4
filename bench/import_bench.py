"""Time the import of a generated national 户信息 file into a throwaway PostgreSQL database.

    .venv/bin/python bench/import_bench.py                                   # 100,000 persons
    .venv/bin/python bench/import_bench.py --persons 200000 --keep
    .venv/bin/python bench/import_bench.py --server postgres://postgres@127.0.0.1:5432

Creates the database `dixian_bench_import` on --server (dropping an old one), runs
`dixian migrate`, then in a child process creates the demo county's villages
(`dixian.demo.geography.ensure_geography`, no households) and writes a 户信息 xlsx of
--persons persons the way the national system does (two title rows, header on row 3,
one row per person with the household fields repeated, every cell text, valid GB 11643
IDs from the demo generator's `IdAllocator`, 残疾人证 numbers with their two digits)
using xlsxwriter in constant_memory mode.

Then, each in a fresh child process so that its peak memory (ru_maxrss) is its own, it
imports the file twice with the services the UI and `dixian import_national` use:
`batch_create`, `batch_stage`, `batch_commit(mode="valid")`, timed separately. The
second import of the same file must change nothing (0 to create, 0 to update).
Target (issue 3): 100,000 persons in under 60 s and under 1 GiB.
The database is dropped afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DIXIAN = [sys.executable, str(ROOT / "manage.py")]
SEED = 2024
YEAR = 2025


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dixian.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _backend_cpu_s(pid: int) -> float | None:
    """CPU (user+sys) of our PostgreSQL backend, when the server runs on this machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- child: villages and the file ---------------------------------------------------


def setup(url: str, persons: int, path: Path) -> dict:
    _django(url)
    import xlsxwriter

    from dixian.accounts.models import User
    from dixian.areas.models import Area
    from dixian.demo import people
    from dixian.demo.generator import EXIT_YEARS, _pick
    from dixian.demo.geography import CITY_CODE, ensure_geography, plan_villages
    from dixian.demo.names import NameDrawer
    from dixian.imports.columns import Kind, column_names

    villages = plan_villages(SEED)
    ensure_geography(villages)
    if not User.objects.filter(username="bench").exists():
        User.objects.create_superuser("bench", password="bench-import-2024")
    county = Area.objects.get(code="360724000000").name

    header = column_names(Kind.HOUSEHOLD)
    started = time.monotonic()
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet("户信息")
    text = workbook.add_format({"num_format": "@"})
    sheet.write_string(0, 0, "（基础信息）户信息")
    sheet.write_string(1, 0, f"导出时间：{YEAR + 1}-11-29  {county}")
    for col, name in enumerate(header):
        sheet.write_string(2, col, name, text)
    rng = random.Random(f"{SEED}:import-bench")
    r = rng.random
    names = NameDrawer(rng)
    ids = people.IdAllocator(SEED)
    line, written, households = 3, 0, 0
    serials: dict[str, int] = {}
    while written < persons:
        village = villages[int(r() * len(villages))]
        serial = serials[village.code] = serials.get(village.code, 0) + 1
        size = min(people.household_size(r), persons - written)
        alleviated = r() < 0.75
        members, _ = people.make_members(
            rng, names, ids, household_id=0, first_id=0, size=size, alleviated=alleviated,
            urban=village.township_code == CITY_CODE,
        )  # fmt: skip
        relocated = r() < 0.03
        household = [
            "脱贫户" if alleviated else "一般农户",
            str(_pick(r, EXIT_YEARS)) if alleviated else "",
            "是" if relocated else "否",
            "是" if not relocated and r() < 0.015 else "否",
            "否" if not relocated and r() < 0.012 else "是",
            next((m[19] for m in members if m[19]), ""),
            str(size),
        ]
        number = f"{village.code}{serial:05d}"
        for m in members:
            (_, _, id_type, id_number, suffix, name, sex, birth, relation, ethnicity, education, stage,
             health, grade, skill, medical, critical, dibao, tekun, _phone) = m  # fmt: skip
            row = [
                county, village.township_name, village.name, number, name, id_type, id_number + suffix,
                relation, sex, birth.isoformat(), ethnicity, education, stage, health, grade, skill,
                household[0], household[1], "是" if medical else "否", "是" if critical else "否",
                dibao, tekun, household[2], household[3], household[4], household[5], household[6],
            ]  # fmt: skip
            for col, cell in enumerate(row):
                if cell:
                    sheet.write_string(line, col, cell, text)
            line += 1
        written += size
        households += 1
    workbook.close()
    return {
        "persons": written,
        "households": households,
        "write_s": time.monotonic() - started,
        "bytes": path.stat().st_size,
        "villages": len(villages),
    }


# --- child: one import ----------------------------------------------------------------


def import_once(url: str, path: Path) -> dict:
    _django(url)
    from django.core.files import File
    from django.db import connection

    from dixian.accounts.models import User
    from dixian.imports.models import ImportBatch
    from dixian.imports.services import batch_commit, batch_create, batch_stage
    from dixian.registry.models import Household, Person

    user = User.objects.get(username="bench")
    result: dict = {"startup_mib": _peak_mib()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    pg0 = _backend_cpu_s(backend)
    t0 = time.monotonic()
    with path.open("rb") as handle:
        batch = batch_create(
            uploaded_file=File(handle, name=path.name), filename=path.name, user=user, year=YEAR
        )
    t1 = time.monotonic()
    batch = batch_stage(batch=batch)
    t2 = time.monotonic()
    if batch.status != ImportBatch.Status.STAGED:
        raise SystemExit(f"staging failed: {batch.status} {batch.error_message}")
    staged = {
        "create": batch.count_create,
        "update": batch.count_update,
        "unchanged": batch.count_unchanged,
        "rejected": batch.count_rejected,
    }
    batch = batch_commit(batch=batch, mode=ImportBatch.Mode.VALID, actor=user)
    t3 = time.monotonic()
    pg3 = _backend_cpu_s(backend)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registry_historicalperson")
        history = cursor.fetchone()[0]
    result.update(
        create_s=t1 - t0,
        stage_s=t2 - t1,
        commit_s=t3 - t2,
        total_s=t3 - t0,
        staged=staged,
        committed={"create": batch.count_create, "update": batch.count_update},
        households=Household.objects.count(),
        persons=Person.objects.count(),
        person_history_rows=history,
        peak_mib=_peak_mib(),
        cpu_s=_cpu_s(),
        pg_cpu_s=None if pg0 is None or pg3 is None else pg3 - pg0,
    )
    return result


# --- parent -------------------------------------------------------------------------


def child(phase: str, url: str, *extra: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", phase, "--url", url, *extra],
        check=True, cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def report_import(label: str, persons: int, res: dict) -> None:
    s = res["staged"]
    print(f"\n== {label}")
    print(f"   batch_create   {res['create_s']:8.1f} s")
    print(f"   batch_stage    {res['stage_s']:8.1f} s   ({persons / res['stage_s']:,.0f} rows/s)")
    print(f"   batch_commit   {res['commit_s']:8.1f} s   ({persons / res['commit_s']:,.0f} rows/s)")
    print(f"   total          {res['total_s']:8.1f} s   ({persons / res['total_s']:,.0f} rows/s)")
    print(f"   Python CPU     {res['cpu_s']:8.1f} s   (user+sys of the importing process, setup included)")
    if res["pg_cpu_s"] is not None:
        print(f"   PostgreSQL CPU {res['pg_cpu_s']:8.1f} s   (user+sys of its backend during the import)")
    print(f"   peak memory    {res['peak_mib']:8.0f} MiB (ru_maxrss of the importing process; "
          f"{res['startup_mib']:.0f} MiB after Django setup)")  # fmt: skip
    print(f"   preview        create {s['create']:,}  update {s['update']:,}  unchanged {s['unchanged']:,}  "
          f"rejected {s['rejected']:,}")  # fmt: skip
    print(f"   committed      create {res['committed']['create']:,}  update {res['committed']['update']:,}")
    print(f"   database       {res['households']:,} households, {res['persons']:,} persons, "
          f"{res['person_history_rows']:,} person history rows")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="dixian_bench_import")
    parser.add_argument("--file", default="/tmp/dixian_bench_huxinxi.xlsx")
    parser.add_argument("--keep", action="store_true", help="keep the database and the file afterwards")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    path = Path(args.file)
    if args.phase == "setup":
        print(json.dumps(setup(args.url, args.persons, path)))
        return
    if args.phase == "import":
        print(json.dumps(import_once(args.url, path)))
        return

    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {args.database}")
        admin.execute(f"CREATE DATABASE {args.database}")
    url = f"{args.server}/{args.database}"
    try:
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "dixian.settings"}
        subprocess.run([*DIXIAN, "migrate", "--no-input", "-v0"], check=True, cwd=ROOT, env=env)
        print("== load average before: {:.2f} {:.2f} {:.2f} (1/5/15 min)".format(*os.getloadavg()))
        made = child("setup", url, "--persons", str(args.persons), "--file", str(path))
        print(
            f"== file: {made['persons']:,} persons in {made['households']:,} households, "
            f"{made['villages']} villages, {made['bytes'] / 2**20:.1f} MiB, written in {made['write_s']:.1f} s"
        )
        first = child("import", url, "--file", str(path))
        report_import("first import (empty registry)", made["persons"], first)
        second = child("import", url, "--file", str(path))
        report_import("second import of the same file (must change nothing)", made["persons"], second)
        ok = second["committed"] == {"create": 0, "update": 0} and second["persons"] == first["persons"]
        print(f"\n   idempotent: {'yes' if ok else 'NO'}")
        target = first["total_s"] < 60 and first["peak_mib"] < 1024
        print(f"   target (<60 s, <1 GiB) for the first import: {'met' if target else 'MISSED'}")
        print("   load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    finally:
        if not args.keep:
            with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {args.database}")
            path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
