"""dixian benchmarks at province scale: `python -m bench` (or `make bench`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dixian_bench python -m bench            # 1M, 3 runs
    python -m bench --households 100000 --scales 20000,100000 --runs 3
    python -m bench --smoke                # 1,000 households, 1 run, throwaway databases

See bench/harness.py for what is measured and bench/results.md for the last figures.
The older single-purpose scripts (demo_load.py, import_bench.py, income_focus.py)
still run on their own; the harness imports import_bench's generator and phases.
"""
