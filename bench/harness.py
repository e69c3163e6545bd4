"""`python -m bench` / `make bench`: dixian at province scale, against PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dixian_bench python -m bench --runs 3
    python -m bench --smoke                      # 1,000 households, 1 run, no targets

1. Data: the database named by DATABASE_URL holds the demo county of --households
   households (default 1,000,000) — reused when it holds exactly that, else `dixian
   migrate` + `dixian demo --households N` (COPY on PostgreSQL). Each other --scales size
   gets its own database `<name>_<size>` (kept for the next run).
2. At --households, each the median of --runs runs with min and max: the full screening
   (all rules; the warnings table truncated before each run so each is a first run, and
   a re-run on top of the last), the three income focus groups, the data-quality
   catalogue, importing a --import-persons national 户信息 file into a scratch database
   (bench/import_bench.py's generator and phases; rows/s and peak RSS), exporting
   --export-rows 户信息 rows to xlsx through dixian.exports (peak RSS of the exporting
   child process), and the household list (township + 脱贫户 filter) and monitoring
   dashboard under --clients concurrent clients over loopback (p50/p95/p99, errors).
3. The naive baseline: the same rules as a Python loop over households through the ORM
   (bench/naive.py) on the first --naive-households households by id, against the real
   rules on the same households; both must fire for the same households per rule.
4. Scaling: screening and focus at every --scales size; time per household and growth
   between the two largest sizes (1.0 = linear).
5. Figures to --output/results.json and results.md, with targets met/missed.

--smoke builds throwaway databases (PostgreSQL when DATABASE_URL is postgres://, else
SQLite in a temporary directory), 1,000 households, 1 run, and writes to --output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.databases import ROOT, Databases
from bench.report import FIGURES, summary_lines, targets, write_markdown

BENCH_DIR = ROOT / "bench"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--households", type=int, help="size of the main set (default 1,000,000; smoke 1,000)"
    )
    parser.add_argument("--runs", type=int, help="runs per figure, median reported (default 3; smoke 1)")
    parser.add_argument(
        "--scales", help="comma-separated sizes for the scaling table (default 20000,100000,N)"
    )
    parser.add_argument("--naive-households", type=int, default=10_000)
    parser.add_argument("--naive-runs", type=int, default=1, help="runs of the naive loop (slow)")
    parser.add_argument("--import-persons", type=int, default=100_000)
    parser.add_argument("--export-rows", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=20, help="requests per client and page")
    parser.add_argument("--as-of", default=dt.date.today().isoformat(), help="reference date (default today)")
    parser.add_argument(
        "--only", help="comma-separated parts: screening,focus,dataquality,naive,export,http,import,scaling"
    )
    parser.add_argument("--output", type=Path, default=BENCH_DIR, help="where results.json/.md go")
    parser.add_argument("--smoke", action="store_true", help="1,000 households, 1 run, throwaway databases")
    parser.add_argument("--keep", action="store_true", help="smoke: keep the throwaway databases")
    args = parser.parse_args(argv)
    if args.smoke:
        args.households = args.households or 1000
        args.runs = args.runs or 1
        args.scales = args.scales or f"{args.households // 2},{args.households}"
        args.naive_households = min(args.naive_households, args.households)
        args.import_persons = min(args.import_persons, 1000)
        args.export_rows = min(args.export_rows, 1000)
        args.requests = min(args.requests, 2)
    args.households = args.households or 1_000_000
    args.runs = args.runs or 3
    args.scales = sorted({int(s) for s in (args.scales or f"20000,100000,{args.households}").split(",")})
    if args.households not in args.scales:
        args.scales.append(args.households)
        args.scales.sort()
    args.parts = set((args.only or "screening,focus,dataquality,naive,export,http,import,scaling").split(","))
    return args


def child(phase: str, url: str, **options: Any) -> dict:
    """Run one measurement in a fresh process (bench/child.py); its last stdout line is JSON."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.child", phase, "--url", url, "--options", json.dumps(options)],
        check=True,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _stats(values: list[float]) -> dict[str, Any]:
    from bench.child import stats

    return stats(values)


def _machine(dbs: Databases, url: str) -> dict:
    info: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    try:
        info["git"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        info["git"] = ""
    if dbs.vendor == "postgresql":
        import psycopg

        with psycopg.connect(url) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            info["postgresql"] = row[0] if row else ""
    return info


def run_import(dbs: Databases, prefix: str, args: argparse.Namespace) -> dict:
    """Import a generated national file into a scratch database --runs times, each into a
    fresh copy of a migrated database that holds the villages and the importing user."""
    if dbs.vendor != "postgresql":
        return {
            "skipped": "PostgreSQL only: bench/import_bench.py reads the server's CPU time (pg_backend_pid)"
        }
    base, scratch = f"{prefix}_import_base", f"{prefix}_import"
    path = Path(tempfile.gettempdir()) / f"dixian-bench-{os.getpid()}-huxinxi.xlsx"
    try:
        dbs.drop(base)
        dbs.create(base, template=dbs.template(prefix))
        made = child("import_setup", dbs.url(base), persons=args.import_persons, file=str(path))
        print(
            f"   file: {made['persons']:,} persons in {made['households']:,} households, "
            f"{made['bytes'] / 2**20:.1f} MiB",
            flush=True,
        )
        runs = []
        for i in range(args.runs):
            dbs.drop(scratch)
            dbs.create(scratch, template=base)
            res = child("import_run", dbs.url(scratch), file=str(path))
            res["rows_per_s"] = made["persons"] / res["total_s"]
            runs.append(res)
            print(
                f"      import run {i + 1}: {res['total_s']:.1f} s ({res['rows_per_s']:,.0f} rows/s), "
                f"peak {res['peak_mib']:.0f} MiB",
                flush=True,
            )
        totals = [r["total_s"] for r in runs]
        median_run = sorted(runs, key=lambda r: r["total_s"])[(len(runs) - 1) // 2]
        return {
            "persons": made["persons"],
            "households": made["households"],
            "total_s": _stats(totals),
            "rows_per_s": round(made["persons"] / median_run["total_s"], 1),
            "stage_s": round(median_run["stage_s"], 3),
            "commit_s": round(median_run["commit_s"], 3),
            "peak_mib": max(r["peak_mib"] for r in runs),
            "created": median_run["committed"]["create"],
        }
    finally:
        dbs.drop(scratch)
        dbs.drop(base)
        path.unlink(missing_ok=True)


def run_export(url: str, args: argparse.Namespace) -> dict:
    runs = []
    for i in range(args.runs):
        res = child("export", url, rows=args.export_rows)
        runs.append(res)
        print(f"      export run {i + 1}: {res['seconds']:.1f} s, peak {res['peak_mib']:.0f} MiB", flush=True)
    return {
        "rows": runs[0]["rows"],
        "total_s": _stats([r["seconds"] for r in runs]),
        "peak_mib": max(r["peak_mib"] for r in runs),
        "startup_mib": runs[0]["startup_mib"],
        "bytes": runs[0]["bytes"],
    }


def scaling(results: dict, scales: list[int]) -> dict:
    """Time per household at each size and the growth of that time between sizes
    (1.0 = linear; the 100k→1M factor is the one the target names)."""
    table: dict[str, dict] = {}
    for n in scales:
        entry = results["scales"].get(str(n), {})
        row: dict[str, Any] = {"households": n}
        for key in ("screening", "focus"):
            part = entry.get(key)
            if part:
                seconds = part["first_run_s" if key == "screening" else "total_s"]["median"]
                row[f"{key}_s"] = seconds
                row[f"{key}_us_per_household"] = round(seconds / n * 1e6, 2)
        table[str(n)] = row
    growth: dict[str, Any] = {}
    for a, b in zip(scales, scales[1:], strict=False):
        for key in ("screening", "focus"):
            ta, tb = table[str(a)].get(f"{key}_s"), table[str(b)].get(f"{key}_s")
            if ta and tb:
                growth.setdefault(key, {})[f"{a}->{b}"] = round((tb / ta) / (b / a), 3)
    largest = f"{scales[-2]}->{scales[-1]}" if len(scales) > 1 else None
    return {
        "table": table,
        "growth_per_household": growth,
        "largest_step": largest,
        "screening_growth": growth.get("screening", {}).get(largest) if largest else None,
        "focus_growth": growth.get("focus", {}).get(largest) if largest else None,
    }


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith(("postgres://", "postgresql://")):
        dbs, main_name = Databases.postgres(database_url)
    elif args.smoke:
        dbs, main_name = Databases.sqlite_tmp(), "bench"
    else:
        sys.exit(
            "python -m bench needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/dixian_bench "
            "(SQLite is not a province-scale database; only --smoke runs on SQLite)."
        )
    prefix = main_name
    if args.smoke:
        prefix = f"{main_name}_smoke_{os.getpid()}" if dbs.vendor == "postgresql" else "bench"
        main_name = f"{prefix}_{args.households}"

    started = time.time()
    previous: dict[str, Any] = {}
    if args.only and (args.output / "results.json").exists():
        # --only re-measures some parts and keeps every other figure of the last run.
        previous = json.loads((args.output / "results.json").read_text())
    results: dict[str, Any] = {
        **previous,
        "meta": {
            "command": "python -m bench " + " ".join(sys.argv[1:] if argv is None else argv),
            "smoke": args.smoke,
            "database": dbs.vendor,
            "households": args.households,
            "runs": args.runs,
            "as_of": args.as_of,
            "started": dt.datetime.fromtimestamp(started, dt.UTC).isoformat(timespec="seconds"),
        },
        "scales": previous.get("scales", {}),
    }
    if previous:
        results["meta"]["previous_run"] = {
            k: previous["meta"].get(k) for k in ("command", "started", "finished", "elapsed_s", "machine")
        }

    def save() -> None:
        """Write what is measured so far (a long run that fails late keeps its figures)."""
        results["scaling"] = scaling(results, args.scales)
        results["meta"]["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        results["meta"]["elapsed_s"] = round(time.time() - started, 1)
        results["meta"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        results["targets"] = targets(results, smoke=args.smoke)
        results["figures"] = FIGURES
        args.output.mkdir(parents=True, exist_ok=True)
        text = json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n"
        (args.output / "results.json").write_text(text)
        write_markdown(args.output / "results.md", results)

    def part(name: str, measure: Any, *a: Any, **kw: Any) -> Any:
        """One measurement, `measure(*a, **kw)`; a failure is recorded and the run goes on."""
        try:
            value = measure(*a, **kw)
        except (subprocess.CalledProcessError, RuntimeError, OSError) as exc:
            print(f"   {name} FAILED: {exc}", flush=True)
            value = {"error": f"{type(exc).__name__} (see the console output)"}
        return value

    results["meta"]["machine"] = _machine(dbs, dbs.url("postgres") if dbs.vendor == "postgresql" else "")
    print(
        f"== dixian benchmark: {dbs.vendor}, {args.households:,} households, {args.runs} run(s)", flush=True
    )
    try:
        measured_here = args.parts & {"screening", "focus", "dataquality", "naive", "export", "http"}
        for n in args.scales if measured_here else []:
            is_main = n == args.households
            name = main_name if is_main else f"{prefix}_{n}"
            if not is_main and "scaling" not in args.parts:
                continue
            print(f"\n== {n:,} households ({name})", flush=True)
            data = dbs.ensure_demo(name, n, prefix=prefix, owned=args.smoke or not is_main)
            url = dbs.url(name)
            entry: dict[str, Any] = {**results["scales"].get(str(n), {}), "data": data}
            results["scales"][str(n)] = entry
            common = {"as_of": args.as_of, "runs": args.runs}
            if "screening" in args.parts:
                print("   screening …", flush=True)
                reruns = args.runs if is_main else 1
                entry["screening"] = part("screening", child, "screening", url, reruns=reruns, **common)
            if "focus" in args.parts:
                print("   focus groups …", flush=True)
                entry["focus"] = part("focus", child, "focus", url, **common)
            if not is_main:
                save()
                continue
            results["screening"] = entry.get("screening", results.get("screening"))
            results["focus"] = entry.get("focus", results.get("focus"))
            save()
            if "dataquality" in args.parts:
                print("   data-quality catalogue …", flush=True)
                results["dataquality"] = part("dataquality", child, "dataquality", url, **common)
                save()
            if "naive" in args.parts:
                print(f"   naive baseline on the first {args.naive_households:,} households …", flush=True)
                results["naive"] = part(
                    "naive",
                    child,
                    "naive",
                    url,
                    households=args.naive_households,
                    naive_runs=args.naive_runs,
                    **common,
                )
                save()
            if "export" in args.parts:
                print(f"   export {args.export_rows:,} rows to xlsx …", flush=True)
                results["export"] = part("export", run_export, url, args)
                save()
            if "http" in args.parts:
                print(f"   pages under {args.clients} concurrent clients …", flush=True)
                results["http"] = part(
                    "http", child, "http", url, clients=args.clients, requests=args.requests
                )
                save()
        if "import" in args.parts:
            print(f"\n== import of a {args.import_persons:,}-person national file", flush=True)
            results["import"] = part("import", run_import, dbs, prefix, args)
    finally:
        save()
        if args.smoke and not args.keep:
            for n in args.scales:
                dbs.drop(main_name if n == args.households else f"{prefix}_{n}")
        dbs.cleanup()

    print()
    print("\n".join(summary_lines(results)))
    print(f"\nwritten: {args.output / 'results.json'}, {args.output / 'results.md'}")
