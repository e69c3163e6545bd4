"""Screening rules (预警规则) of issue 4: each a `Rule` with its stable code, its label and
a set-based selection over a household queryset. `run_screening`
(dixian.monitoring.screening_services) stores what they find as warnings."""

from __future__ import annotations

from dixian.monitoring.rules.base import Context, Rule, latest_income_year
from dixian.monitoring.rules.cases import CASE_RULES
from dixian.monitoring.rules.households import HOUSEHOLD_RULES

RULES: dict[str, Rule] = {rule.code: rule for rule in [*HOUSEHOLD_RULES, *CASE_RULES]}
RULE_LABELS: dict[str, str] = {code: rule.label for code, rule in RULES.items()}

__all__ = ["RULES", "RULE_LABELS", "Context", "Rule", "latest_income_year"]
