"""run_screening: stores warnings, never duplicates, expires, follows the parameters."""

from __future__ import annotations

import datetime as dt

import pytest

from dixian.monitoring.models import ScreeningWarning
from dixian.monitoring.rules import RULES
from dixian.monitoring.screening_services import run_screening
from dixian.monitoring.tests.screening_builders import AS_OF, YEAR, household, income, monitored
from dixian.registry.models import Household, PolicyParameter
from dixian.registry.selectors import MissingParameter

pytestmark = pytest.mark.django_db

R05 = "R05-BELOW-LINE-UNMONITORED"
Status = ScreeningWarning.Status


def _poor(per_capita: str = "6000") -> Household:
    h = household()
    income(h, YEAR, per_capita)
    return h


def test_a_firing_household_gets_one_pending_warning_with_evidence():
    h = _poor("6120")
    counts = run_screening(as_of=AS_OF)
    assert list(counts) == list(RULES)
    assert counts[R05] == 1
    warning = ScreeningWarning.objects.get(rule=R05)
    assert (warning.household, warning.year, warning.as_of, warning.status) == (
        h,
        YEAR,
        AS_OF,
        Status.PENDING,
    )
    assert warning.evidence == "2024 人均纯收入 6,120 < 监测范围 8,500"


def test_re_running_does_not_duplicate_and_refreshes_changed_evidence():
    h = _poor("6120")
    run_screening(as_of=AS_OF)
    first = ScreeningWarning.objects.get(rule=R05)
    run_screening(as_of=AS_OF)
    h.incomes.update(wage="7000")
    counts = run_screening(as_of=AS_OF + dt.timedelta(days=1))
    assert counts[R05] == 1
    again = ScreeningWarning.objects.get(rule=R05)
    assert again.pk == first.pk
    assert again.evidence == "2024 人均纯收入 7,000 < 监测范围 8,500"


def test_warning_whose_evidence_no_longer_holds_expires():
    h = _poor()
    run_screening(as_of=AS_OF)
    monitored(h, AS_OF)  # included: R05 no longer applies
    counts = run_screening(as_of=AS_OF)
    assert counts[R05] == 0
    warning = ScreeningWarning.objects.get(rule=R05)
    assert warning.status == Status.EXPIRED and warning.closed_at is not None


def test_after_expiry_a_new_firing_opens_a_new_warning():
    h = _poor()
    run_screening(as_of=AS_OF)
    h.incomes.update(wage="9000")
    run_screening(as_of=AS_OF)
    h.incomes.update(wage="5000")
    run_screening(as_of=AS_OF)
    assert list(
        ScreeningWarning.objects.filter(rule=R05).values_list("status", flat=True).order_by("pk")
    ) == [
        Status.EXPIRED,
        Status.PENDING,
    ]


def test_a_dismissed_warning_is_not_raised_again_the_same_year():
    _poor()
    run_screening(as_of=AS_OF)
    ScreeningWarning.objects.filter(rule=R05).update(status=Status.DISMISSED)
    assert run_screening(as_of=AS_OF)[R05] == 0
    assert ScreeningWarning.objects.filter(rule=R05).count() == 1


def test_changing_the_monitoring_line_changes_the_result():
    _poor("9000")
    assert run_screening(as_of=AS_OF)[R05] == 0
    PolicyParameter.objects.filter(code="monitoring_line", year=2024).update(value="9500")
    assert run_screening(as_of=AS_OF)[R05] == 1


def test_a_year_without_monitoring_line_refuses_to_run():
    _poor()
    PolicyParameter.objects.filter(code="monitoring_line").delete()
    with pytest.raises(MissingParameter, match="monitoring_line"):
        run_screening(as_of=AS_OF)
    assert not ScreeningWarning.objects.exists()


def test_year_defaults_to_the_latest_year_with_income_data():
    h = _poor("9000")
    income(h, YEAR + 1, "6000")
    run_screening(as_of=AS_OF)
    warning = ScreeningWarning.objects.get(rule=R05)
    assert warning.year == YEAR + 1 and warning.evidence.startswith("2025 ")
    assert run_screening(year=YEAR, as_of=AS_OF)[R05] == 0


def test_year_with_no_income_data_warns_nobody_on_income():
    _poor()
    assert run_screening(year=2026, as_of=AS_OF)[R05] == 0


def test_screening_a_subset_leaves_other_households_warnings_alone():
    a, b = _poor(), _poor()
    run_screening(as_of=AS_OF)
    b.incomes.update(wage="9000")
    counts = run_screening(as_of=AS_OF, households=Household.objects.filter(pk=a.pk))
    assert counts[R05] == 1
    assert ScreeningWarning.objects.get(household=b, rule=R05).status == Status.PENDING
