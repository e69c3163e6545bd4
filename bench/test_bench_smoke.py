"""The benchmark harness cannot rot: its smoke version (1,000 households, one run, no
targets, throwaway databases on the database engine of the test run) produces every
figure, and the naive baseline agrees with the real rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.harness import scaling
from bench.report import FIGURES, get

ROOT = Path(__file__).resolve().parent.parent


def _postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    out = tmp_path_factory.mktemp("bench")
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--output", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads((out / "results.json").read_text()), (out / "results.md").read_text()


def test_smoke_writes_every_figure(smoke: tuple[dict, str]) -> None:
    results, _ = smoke
    missing = []
    for path in FIGURES:
        if path.startswith("import.") and not _postgres():
            assert "skipped" in results["import"]  # PostgreSQL only, said so in the JSON
            continue
        try:
            get(results, path)
        except KeyError:
            missing.append(path)
    assert missing == []
    assert results["meta"]["database"] == ("postgresql" if _postgres() else "sqlite")
    assert results["meta"]["households"] == 1000


def test_smoke_figures_are_real(smoke: tuple[dict, str]) -> None:
    results, markdown = smoke
    assert results["screening"]["warnings"] > 0
    assert results["scales"]["1000"]["screening"]["households"] == 1000
    assert results["scales"]["500"]["screening"]["households"] == 500
    assert all(g["members"] >= 0 for g in results["focus"]["groups"].values())
    assert results["dataquality"]["checks_run"] == results["dataquality"]["checks"]
    assert results["export"]["rows"] == 1000
    for page in ("list", "dashboard"):
        assert results["http"][page]["errors"] == 0
        assert results["http"][page]["requests"] == 8 * 2
    if _postgres():
        assert results["import"]["created"] > 0
    # smoke: no targets judged, but every row is in the table
    assert all(t["met"] is None for t in results["targets"])
    assert "| what | result | target |" in markdown
    assert "not run" not in markdown


def test_naive_baseline_fires_for_the_same_households(smoke: tuple[dict, str]) -> None:
    naive = smoke[0]["naive"]
    assert naive["households"] == 1000
    assert naive["rules_mismatched"] == []
    assert len(naive["rules"]) == 9
    assert sum(r["set_based"] for r in naive["rules"].values()) > 0
    assert naive["ratio"] > 1  # the loop is slower than the set-based rules


def test_bench_refuses_sqlite_outside_the_smoke(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"}
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--output", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "needs PostgreSQL" in done.stderr
    assert not (tmp_path / "results.json").exists()


def test_growth_is_time_per_household_relative_to_the_smaller_size() -> None:
    results = {
        "scales": {
            "100000": {"screening": {"first_run_s": {"median": 4.0}}, "focus": {"total_s": {"median": 1.0}}},
            "1000000": {
                "screening": {"first_run_s": {"median": 30.0}},
                "focus": {"total_s": {"median": 12.0}},
            },
        }
    }
    out = scaling(results, [100_000, 1_000_000])
    assert out["largest_step"] == "100000->1000000"
    assert out["screening_growth"] == 0.75  # 10× the households in 7.5× the time: better than linear
    assert out["focus_growth"] == 1.2  # 12× the time for 10× the households: worse
    assert out["table"]["1000000"]["screening_us_per_household"] == 30.0
