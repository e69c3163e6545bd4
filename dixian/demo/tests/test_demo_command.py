"""`dixian demo` on the test database: what a small county holds, the demo logins and
their scopes, idempotence and --reset."""

from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q

from dixian.accounts import scope
from dixian.accounts.models import User
from dixian.demo import sinks
from dixian.demo.generator import Generator
from dixian.demo.parameters import DEMO_PARAMETERS
from dixian.demo.users import LOGINS, PASSWORD
from dixian.employment.models import EmploymentRecord, WorkPlan
from dixian.monitoring.models import (
    AssistanceMeasure,
    Category,
    HouseholdEvent,
    MonitoringCase,
    ScreeningWarning,
)
from dixian.registry import idcard
from dixian.registry.income import per_capita_net_income
from dixian.registry.models import Household, HouseholdIncome, Pairing, Person, PolicyParameter
from dixian.testing.factories import sign_in

SIZE = 300


def demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--households", str(SIZE), "--seed", "11", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def county(db) -> str:
    return demo()


def test_small_county_has_the_requested_households_3_to_1(county):
    assert Household.objects.count() == SIZE
    assert Counter(Household.objects.values_list("household_type", flat=True)) == {
        "脱贫户": 225,
        "一般农户": 75,
    }
    assert "完成：农户 300 户" in county and "cadre" in county and PASSWORD in county


def test_every_household_has_exactly_one_head(county):
    heads = Household.objects.annotate(n=Count("members", filter=Q(members__relation="户主")))
    assert set(heads.values_list("n", flat=True)) == {1}


def test_ids_are_valid_unique_and_birth_dates_match(county):
    persons = list(
        Person.objects.values_list("id_number", "disability_suffix", "birth_date", "sex", "id_last4")
    )
    assert len({p[0] for p in persons}) == len(persons)
    for number, suffix, birth, sex, last4 in persons:
        parsed = idcard.parse(number + suffix)
        assert (parsed.birth_date, parsed.sex) == (birth, sex)
        assert last4 == number[-4:]  # computed by the database


def test_incomes_cover_four_years_and_the_database_computes_per_capita(county):
    per_household = Counter(HouseholdIncome.objects.values_list("household_id", flat=True))
    assert len(per_household) == SIZE and set(per_household.values()) == {4}
    sizes = dict(Household.objects.annotate(n=Count("members")).values_list("pk", "n"))
    for income in HouseholdIncome.objects.all():
        assert income.members == sizes[income.household_id]
        assert income.per_capita_net == per_capita_net_income(
            wage=income.wage,
            business=income.business,
            property_income=income.property_income,
            transfer=income.transfer,
            business_expense=income.business_expense,
            members=income.members,
        )


def test_all_three_monitoring_categories_are_present(county):
    approved = MonitoringCase.objects.filter(status=MonitoringCase.Status.APPROVED)
    assert set(approved.values_list("category", flat=True)) == set(Category.values)
    assert not MonitoringCase.objects.filter(category=Category.UNSTABLE, household__household_type="一般农户")
    assert not MonitoringCase.objects.filter(category=Category.MARGINAL, household__household_type="脱贫户")
    assert all(1 <= c.risks.count() <= 3 for c in approved)


def test_measures_employment_events_and_clues_are_loaded(county):
    assert AssistanceMeasure.objects.filter(source="demo").count() > SIZE / 4
    assert EmploymentRecord.objects.count() > SIZE / 2 and WorkPlan.objects.exists()
    assert HouseholdEvent.objects.exists()
    assert MonitoringCase.objects.filter(status__in=MonitoringCase.OPEN_STATUSES).exists()
    record = EmploymentRecord.objects.exclude(transport_subsidy=0).first()
    assert record.transport_subsidy in (Decimal(300), Decimal(500)) and record.updated_at is not None
    assert "帮扶措施" in county and "务工信息" in county


def test_relocated_households_have_origin_areas_and_two_cadres(county):
    relocated = Household.objects.filter(is_relocated=True)
    assert relocated.exists()
    for h in relocated:
        assert h.origin_area_id and h.origin_area_id != h.area_id and h.resettlement_site_id
        if h.household_type == "脱贫户":
            assert set(h.pairings.values_list("side", flat=True)) == {"destination", "origin"}


@pytest.mark.parametrize("login", LOGINS, ids=lambda login: login.username)
def test_each_demo_login_signs_in_and_sees_households(county, client, login):
    sign_in(client, login.username, PASSWORD)
    user = User.objects.get(username=login.username)
    assert login.role in user.roles
    assert scope.households_visible_to(user).exists()


def test_township_login_sees_only_its_township(county):
    for username, prefix in (("township", "360724100"), ("township2", "360724101")):
        seen = scope.households_visible_to(User.objects.get(username=username))
        for area, origin in seen.values_list("area_id", "origin_area_id"):
            assert area.startswith(prefix) or (origin or "").startswith(prefix)
        assert seen.count() < SIZE


def test_cadre_login_is_paired_with_a_monitored_household(county):
    cadre = User.objects.get(username="cadre")
    paired = scope.households_visible_to(cadre)
    assert 1 <= paired.count() <= 20
    assert paired.filter(monitoring_cases__isnull=False).exists()
    assert Pairing.objects.filter(cadre__org_unit=cadre.org_unit).count() > paired.count()


def test_running_again_does_not_duplicate(county):
    before = (Household.objects.count(), Person.objects.count(), User.objects.count())
    out = demo()
    assert "已加载" in out and "county" in out
    assert (Household.objects.count(), Person.objects.count(), User.objects.count()) == before


def test_reset_reloads_the_same_county(county):
    numbers = sorted(Household.objects.values_list("number", flat=True))
    ids = sorted(Person.objects.values_list("id_number", flat=True))
    users = User.objects.count()
    tables = (MonitoringCase, AssistanceMeasure, EmploymentRecord, WorkPlan, HouseholdEvent)
    counts = [m.objects.count() for m in tables]
    ScreeningWarning.objects.create(
        household=Household.objects.first(),
        rule="R01-INCOME-DROP",
        year=2025,
        as_of="2026-11-29",
        evidence="x",
    )
    out = demo("--reset")
    assert "已删除演示数据" in out
    assert sorted(Household.objects.values_list("number", flat=True)) == numbers
    assert sorted(Person.objects.values_list("id_number", flat=True)) == ids
    assert User.objects.count() == users
    assert [m.objects.count() for m in tables] == counts
    assert not ScreeningWarning.objects.exists() and not ScreeningWarning.history.exists()


def test_every_screening_rule_fires_on_a_mid_sized_county(db):
    call_command("demo", "--households", "3000", "--seed", "2024", stdout=StringIO())
    out = StringIO()
    call_command("screen", "--as-of", "2026-11-29", stdout=out)
    counts = dict(line.split("\t") for line in out.getvalue().splitlines())
    assert len(counts) == 9 and all(int(n) > 0 for n in counts.values()), counts


def test_demo_parameters_fill_empty_years_without_overwriting(db):
    PolicyParameter.objects.create(year=2022, code="monitoring_line", value="6600", source="省通知")
    demo()
    assert PolicyParameter.objects.get(year=2022, code="monitoring_line").value == "6600"
    for year, code, value in DEMO_PARAMETERS[1:]:
        param = PolicyParameter.objects.get(year=year, code=code)
        assert (param.value, param.source) == (value, "演示数据")


def test_a_failed_load_leaves_nothing_behind(db, monkeypatch):
    def constraints() -> dict:
        with connection.cursor() as cursor:
            return connection.introspection.get_constraints(cursor, Person._meta.db_table)

    before = constraints()
    original, calls = Generator.village_batch, []

    def fail_on_the_fifth_village(self, quota):
        calls.append(quota)
        if len(calls) == 5:
            raise RuntimeError("generator failed")
        return original(self, quota)

    monkeypatch.setattr(Generator, "village_batch", fail_on_the_fifth_village)
    monkeypatch.setattr(sinks, "FLUSH_HOUSEHOLDS", 1)  # the writer has written some villages
    with pytest.raises(RuntimeError, match="generator failed"):
        demo()
    assert not Household.objects.exists() and not Person.objects.exists()
    assert not User.objects.filter(username__in=[login.username for login in LOGINS]).exists()
    assert constraints().keys() == before.keys()
