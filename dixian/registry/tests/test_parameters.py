from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dixian.registry.parameters import ParameterError, parse_value
from dixian.registry.selectors import MissingParameter, parameter_value, parameters_for_year
from dixian.registry.services import parameter_set


def test_ratio_above_one_is_refused():
    with pytest.raises(ParameterError, match="0 与 1"):
        parse_value("income_drop_ratio", "30")


def test_deadline_parses_as_month_and_day():
    assert parse_value("income_ledger_deadline", "08-09") == (8, 9)
    with pytest.raises(ParameterError):
        parse_value("income_ledger_deadline", "08-32")


@pytest.mark.django_db
def test_seeded_monitoring_line_of_2024_is_8500():
    value = parameter_value("monitoring_line", 2024)
    assert value.value == Decimal("8500")
    assert not value.carried_forward


@pytest.mark.django_db
def test_a_value_holds_for_later_years_until_changed():
    carried = parameter_value("monitoring_line", 2025)
    assert carried.value == Decimal("8500") and carried.set_in == 2024
    assert "沿用2024年" in carried.explain()
    parameter_set(year=2025, code="monitoring_line", value="8800")
    assert parameter_value("monitoring_line", 2025).value == Decimal("8800")
    assert parameter_value("monitoring_line", 2026).value == Decimal("8800")
    assert parameter_value("monitoring_line", 2024).value == Decimal("8500")


@pytest.mark.django_db
def test_year_before_any_value_fails_loudly():
    with pytest.raises(MissingParameter, match="2020年未设置"):
        parameter_value("monitoring_line", 2020)


@pytest.mark.django_db
def test_parameter_set_rejects_a_bad_value_and_changes_nothing():
    with pytest.raises(ValidationError):
        parameter_set(year=2024, code="income_drop_ratio", value="abc")
    assert parameter_value("income_drop_ratio", 2024).value == Decimal("0.30")


@pytest.mark.django_db
def test_parameters_for_year_lists_the_values_in_force():
    params = parameters_for_year(2024)
    assert params["focus_income_line"].value == Decimal("10000")
    assert params["national_rural_growth"].value == Decimal("0.066")
    assert "county_rural_growth" not in params
