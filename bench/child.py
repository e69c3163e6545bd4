"""The measurements, each run in a child process of the harness against one database:

    python -m bench.child PHASE --url DATABASE_URL --options JSON

prints progress on stderr and one JSON object on the last line of stdout. A fresh
process per phase (and per export run) keeps Django bound to one database and makes
`ru_maxrss` the phase's own peak memory."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode

from bench.databases import ROOT


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dixian.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def peak_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def say(line: str) -> None:
    print(f"      {line}", file=sys.stderr, flush=True)


def stats(values: list[float]) -> dict[str, Any]:
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
        "runs": [round(v, 3) for v in values],
    }


def _as_of(options: dict) -> dt.date:
    return dt.date.fromisoformat(options["as_of"])


# ---------------------------------------------------------------- screening


def clear_warnings() -> None:
    """Every warning gone, so the next run is a first run (TRUNCATE on PostgreSQL)."""
    from django.db import connection

    from dixian.monitoring.models import ScreeningWarning

    table = ScreeningWarning._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {table}")
        else:
            cursor.execute(f"DELETE FROM {table}")


def screening(options: dict) -> dict:
    from dixian.monitoring.screening_services import RuleRun, run_screening
    from dixian.registry.models import Household

    as_of = _as_of(options)
    households = Household.objects.count()

    def once() -> tuple[float, dict[str, float], dict[str, int]]:
        rules: dict[str, float] = {}

        def report(run: RuleRun) -> None:
            rules[run.code] = round(run.total, 3)

        started = time.perf_counter()
        counts = run_screening(as_of=as_of, report=report)
        return time.perf_counter() - started, rules, counts

    firsts: list[float] = []
    per_rule: list[dict[str, float]] = []
    counts: dict[str, int] = {}
    for i in range(options["runs"]):
        clear_warnings()
        seconds, rules, counts = once()
        firsts.append(seconds)
        per_rule.append(rules)
        say(f"screening run {i + 1}: {seconds:.2f} s ({sum(counts.values()):,} pending warnings)")
    reruns = []
    for i in range(options["reruns"]):
        seconds, _, _ = once()
        reruns.append(seconds)
        say(f"screening re-run {i + 1}: {seconds:.2f} s")
    median_index = firsts.index(sorted(firsts)[(len(firsts) - 1) // 2])
    return {
        "households": households,
        "first_run_s": stats(firsts),
        "rerun_s": stats(reruns) if reruns else None,
        "rules_s": per_rule[median_index],
        "pending": counts,
        "warnings": sum(counts.values()),
    }


# ---------------------------------------------------------------- focus groups


def focus(options: dict) -> dict:
    from dixian.income import focus as f

    year = f.income_years()[0]
    totals: list[float] = []
    groups: dict[str, list[float]] = {code: [] for code in f.GROUPS}
    sizes: dict[str, int] = {}
    for i in range(options["runs"]):
        total = 0.0
        for code in f.GROUPS:
            started = time.perf_counter()
            ctx = f.FocusContext(year)
            numbers = list(f.group_members(code, year, ctx=ctx).values_list("number", flat=True))
            seconds = time.perf_counter() - started
            groups[code].append(seconds)
            sizes[code] = len(numbers)
            total += seconds
        totals.append(total)
        say(f"focus run {i + 1}: {total:.2f} s")
    return {
        "year": year,
        "total_s": stats(totals),
        "groups": {code: {**stats(times), "members": sizes[code]} for code, times in groups.items()},
    }


# ---------------------------------------------------------------- data quality


def dataquality(options: dict) -> dict:
    from dixian.dataquality.checks import CATALOGUE
    from dixian.dataquality.selectors import county_context, finding_rows
    from dixian.registry.parameters import ParameterError

    totals: list[float] = []
    per_check: dict[str, list[float]] = {}
    findings: dict[str, int] = {}
    not_run: dict[str, str] = {}
    for i in range(options["runs"]):
        started = time.perf_counter()
        ctx = county_context(as_of=_as_of(options))
        for check in CATALOGUE:
            began = time.perf_counter()
            try:
                found = finding_rows(check, ctx)
            except ParameterError as exc:
                not_run[check.code] = str(exc)
                continue
            per_check.setdefault(check.code, []).append(time.perf_counter() - began)
            findings[check.code] = len(found)
        totals.append(time.perf_counter() - started)
        say(f"data quality run {i + 1}: {totals[-1]:.2f} s ({sum(findings.values()):,} findings)")
    medians = {code: statistics.median(times) for code, times in per_check.items()}
    slowest = sorted(medians.items(), key=lambda item: -item[1])[:5]
    return {
        "total_s": stats(totals),
        "checks": len(CATALOGUE),
        "checks_run": len(per_check),
        "not_run": not_run,
        "findings": sum(findings.values()),
        "slowest_s": {code: round(seconds, 3) for code, seconds in slowest},
    }


# ---------------------------------------------------------------- export


def export(options: dict) -> dict:
    """One export of `rows` 户信息 rows (the county's households' members, in the export's
    order) through the export app's selectors and xlsx writer, as the county admin."""
    from django.http import QueryDict

    from dixian.accounts.models import User
    from dixian.exports.layout import HEADERS
    from dixian.exports.selectors import export_queryset, export_rows
    from dixian.exports.services import title_rows
    from dixian.exports.writers import write_xlsx
    from dixian.imports.columns import Kind

    startup = peak_mib()
    user = User.objects.get(username="county")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.xlsx"
        started = time.perf_counter()
        persons = export_queryset("households", Kind.HOUSEHOLD, user, QueryDict())[: options["rows"]]
        rows = export_rows(persons, full_pii=False, kind=Kind.HOUSEHOLD)
        written = write_xlsx(
            path, title_rows(user), HEADERS[Kind.HOUSEHOLD], rows, sheet_name=Kind.HOUSEHOLD.label
        )
        seconds = time.perf_counter() - started
        size = path.stat().st_size
    return {
        "rows": written,
        "seconds": round(seconds, 3),
        "peak_mib": peak_mib(),
        "startup_mib": startup,
        "bytes": size,
    }


# ---------------------------------------------------------------- naive baseline


def naive(options: dict) -> dict:
    from bench.naive import compare, naive_screening, set_based_screening
    from dixian.monitoring.screening_services import screening_year
    from dixian.registry.models import Household

    as_of = _as_of(options)
    year = screening_year(None, as_of)
    ids = list(Household.objects.order_by("pk").values_list("pk", flat=True)[: options["households"]])
    subset = Household.objects.filter(pk__lte=ids[-1]) if ids else Household.objects.none()

    naive_times, set_times = [], []
    naive_fired: dict[str, set[int]] = {}
    set_fired: dict[str, set[int]] = {}
    for i in range(options["naive_runs"]):
        started = time.perf_counter()
        naive_fired = naive_screening(subset, year, as_of)
        naive_times.append(time.perf_counter() - started)
        say(f"naive loop run {i + 1}: {naive_times[-1]:.2f} s over {len(ids):,} households")
    for i in range(options["runs"]):
        started = time.perf_counter()
        set_fired = set_based_screening(subset, year, as_of)
        set_times.append(time.perf_counter() - started)
        say(f"set-based rules on the same subset, run {i + 1}: {set_times[-1]:.2f} s")
    rules = compare(naive_fired, set_fired)
    mismatched = [
        code for code, r in rules.items() if r["only_naive"] or r["only_set_based"] or not r["implemented"]
    ]
    n = max(len(ids), 1)
    naive_s, set_s = statistics.median(naive_times), statistics.median(set_times)
    return {
        "households": len(ids),
        "year": year,
        "naive_s": stats(naive_times),
        "set_based_s": stats(set_times),
        "naive_ms_per_household": round(naive_s / n * 1000, 4),
        "set_based_ms_per_household": round(set_s / n * 1000, 4),
        "ratio": round(naive_s / set_s, 1) if set_s else None,
        "rules": rules,
        "rules_matching": len(rules) - len(mismatched),
        "rules_mismatched": mismatched,
    }


# ---------------------------------------------------------------- pages under load


def http(options: dict) -> dict:
    from bench.http_load import load, serve
    from dixian.accounts.models import User
    from dixian.demo.users import PASSWORD
    from dixian.registry.choices import HouseholdType

    unit = User.objects.select_related("org_unit__area").get(username="township").org_unit
    assert unit is not None, "the demo's township login has its township"
    township = unit.area
    from django.db import connection

    database_url = os.environ["DATABASE_URL"]
    connection.close()
    pages = {
        "list": "/households/?"
        + urlencode({"township": township.code, "household_type": HouseholdType.ALLEVIATED}),
        "dashboard": "/monitoring/dashboard/",
    }
    out: dict[str, Any] = {"clients": options["clients"], "requests_per_client": options["requests"]}
    log = Path(tempfile.gettempdir()) / f"dixian-bench-server-{os.getpid()}.log"
    with serve(database_url, log) as port:
        for name, path in pages.items():
            result = load(
                port,
                path,
                username="county",
                password=PASSWORD,
                clients=options["clients"],
                requests=options["requests"],
            )
            say(
                f"{name}: p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms, "
                f"p99 {result['p99_ms']:.0f} ms, {result['errors']} errors of {result['requests']}"
            )
            out[name] = {**result, "path": unquote(path), "township": township.name}
    log.unlink(missing_ok=True)
    return out


# ---------------------------------------------------------------- import (bench/import_bench.py)


def import_setup(options: dict) -> dict:
    from bench import import_bench

    return import_bench.setup(options["url"], options["persons"], Path(options["file"]))


def import_run(options: dict) -> dict:
    from bench import import_bench

    return import_bench.import_once(options["url"], Path(options["file"]))


PHASES: dict[str, Callable[[dict], dict]] = {
    "screening": screening,
    "focus": focus,
    "dataquality": dataquality,
    "export": export,
    "naive": naive,
    "http": http,
}
RAW_PHASES: dict[str, Callable[[dict], dict]] = {"import_setup": import_setup, "import_run": import_run}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("phase", choices=[*PHASES, *RAW_PHASES])
    parser.add_argument("--url", required=True)
    parser.add_argument("--options", default="{}")
    args = parser.parse_args()
    options = json.loads(args.options)
    if args.phase in RAW_PHASES:  # they set Django up themselves (bench/import_bench.py)
        result = RAW_PHASES[args.phase]({**options, "url": args.url})
    else:
        _django(args.url)
        result = PHASES[args.phase](options)
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
