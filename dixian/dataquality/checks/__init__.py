"""The catalogue of data-quality checks (疑点数据核查), one module per topic."""

from __future__ import annotations

from dixian.dataquality.checks import (  # noqa: F401  (importing registers the checks)
    education,
    employment,
    income,
    labour,
    measures,
    monitoring,
    registry,
)
from dixian.dataquality.checks.base import REGISTRY, Check, Context, Level, Severity

CATALOGUE: list[Check] = sorted(REGISTRY.values(), key=lambda c: c.code)
BY_CODE: dict[str, Check] = {c.code: c for c in CATALOGUE}

__all__ = ["BY_CODE", "CATALOGUE", "Check", "Context", "Level", "Severity"]
