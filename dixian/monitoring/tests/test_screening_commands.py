"""The `screen` and `warnings` commands' output formats."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from dixian.monitoring.rules import RULES
from dixian.monitoring.tests.screening_builders import YEAR, household, income
from dixian.registry.models import PolicyParameter

pytestmark = pytest.mark.django_db

R05 = "R05-BELOW-LINE-UNMONITORED"


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_screen_prints_code_tab_count_per_rule():
    for number in ("360724100200000002", "360724100200000001"):
        income(household(number=number), YEAR, "6000")
    lines = _run("screen", "--as-of", "2025-06-30").splitlines()
    assert [line.split("\t")[0] for line in lines] == list(RULES)
    assert f"{R05}\t2" in lines


def test_warnings_prints_sorted_household_numbers():
    for number in ("360724100200000002", "360724100200000001"):
        income(household(number=number), YEAR, "6000")
    _run("screen", "--as-of", "2025-06-30")
    assert _run("warnings", "--rule", R05) == "360724100200000001\n360724100200000002\n"
    assert _run("warnings", "--rule", R05, "--year", "2024") == "360724100200000001\n360724100200000002\n"
    assert _run("warnings", "--rule", R05, "--year", "2023") == ""


def test_unknown_rule_and_missing_parameter_are_command_errors():
    with pytest.raises(CommandError, match="未知规则"):
        _run("warnings", "--rule", "R99")
    PolicyParameter.objects.filter(code="monitoring_line").delete()
    income(household(), YEAR, "6000")
    with pytest.raises(CommandError, match="monitoring_line"):
        _run("screen", "--as-of", "2025-06-30")
