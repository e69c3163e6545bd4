from decimal import Decimal

import pytest

from dixian.registry.income import per_capita_net_income
from dixian.registry.services import income_upsert
from dixian.testing.factories import HouseholdFactory, village


def test_per_capita_net_income_subtracts_business_expense_and_divides_by_members():
    value = per_capita_net_income(
        wage=Decimal("20000"),
        business=Decimal("6000"),
        property_income=Decimal("500"),
        transfer=Decimal("3500"),
        business_expense=Decimal("2000"),
        members=4,
    )
    assert value == Decimal("7000.00")


def test_per_capita_rounds_to_the_fen():
    value = per_capita_net_income(
        wage=Decimal("10000"), business=0, property_income=0, transfer=0, business_expense=0, members=3
    )
    assert value == Decimal("3333.33")


def test_zero_members_is_refused():
    with pytest.raises(ValueError):
        per_capita_net_income(
            wage=1, business=0, property_income=0, transfer=0, business_expense=0, members=0
        )


@pytest.mark.django_db
def test_database_computes_the_same_per_capita_figure_on_save():
    household = HouseholdFactory(area=village("360724100201"))
    income = income_upsert(
        household=household,
        year=2024,
        members=3,
        wage=Decimal("10000"),
        business=Decimal("2001"),
        transfer=Decimal("1"),
        business_expense=Decimal("1000"),
    )
    assert income.per_capita_net == Decimal("3667.33")
    assert income.per_capita_net == per_capita_net_income(
        wage=Decimal("10000"),
        business=Decimal("2001"),
        property_income=Decimal(0),
        transfer=Decimal("1"),
        business_expense=Decimal("1000"),
        members=3,
    )


@pytest.mark.django_db
def test_income_upsert_updates_the_year_and_keeps_history():
    household = HouseholdFactory(area=village("360724100201"))
    income_upsert(household=household, year=2024, members=2, wage=Decimal("10000"))
    income = income_upsert(household=household, year=2024, members=2, wage=Decimal("12000"))
    assert household.incomes.count() == 1
    assert income.per_capita_net == Decimal("6000.00")
    assert income.history.count() == 2
