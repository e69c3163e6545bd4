"""Demo-only policy parameters for the years the seed migration leaves empty, so that
the 2022–2025 rules (income decline, growth against the county) can run on demo data.
A value already in the database is never overwritten."""

from __future__ import annotations

from dixian.registry.models import PolicyParameter
from dixian.registry.services import parameter_set

SOURCE = "演示数据"
DEMO_PARAMETERS = [
    (2022, "monitoring_line", "7000"),
    (2023, "monitoring_line", "7500"),
    (2023, "county_rural_growth", "0.075"),
    (2024, "county_rural_growth", "0.068"),
    (2025, "county_rural_growth", "0.062"),
]


def ensure_parameters() -> int:
    """Set the demo values that are missing; return how many were set."""
    created = 0
    for year, code, value in DEMO_PARAMETERS:
        if not PolicyParameter.objects.filter(year=year, code=code).exists():
            parameter_set(year=year, code=code, value=value, source=SOURCE)
            created += 1
    return created
