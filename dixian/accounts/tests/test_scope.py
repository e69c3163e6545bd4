import pytest

from dixian.accounts import scope
from dixian.conftest import VISIBLE


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_each_role_sees_exactly_its_households(world, who):
    user = world.users()[who]
    by_pk = {h.pk: name for name, h in world.households().items()}
    seen = {by_pk[pk] for pk in scope.households_visible_to(user).values_list("pk", flat=True)}
    assert seen == VISIBLE[who]


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_persons_and_incomes_follow_household_scope(world, who):
    user = world.users()[who]
    names = world.households()
    expected = {names[n].pk for n in VISIBLE[who]}
    assert set(scope.persons_visible_to(user).values_list("household_id", flat=True)) == expected
    assert set(scope.incomes_visible_to(user).values_list("household_id", flat=True)) == expected


def test_out_of_scope_household_is_404_for_other_township(world):
    from django.http import Http404

    with pytest.raises(Http404):
        scope.get_household_for_user(world.town_b, world.a1.pk)
    assert scope.get_household_for_user(world.town_a, world.a1.pk) == world.a1


def test_ended_pairing_removes_cadre_access(world):
    import datetime as dt

    world.cadre.pairings.update(ended_on=dt.date(2025, 1, 1))
    assert not scope.households_visible_to(world.cadre).exists()


def test_inactive_user_sees_nothing(world):
    world.county.is_active = False
    world.county.save()
    assert not scope.households_visible_to(world.county).exists()


def test_township_filter_areas_are_own_subtree(world):
    codes = set(scope.areas_visible_to(world.town_a).values_list("code", flat=True))
    assert "360724100201" in codes and "360724101201" not in codes


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_measures_and_employment_follow_household_scope(world, who):
    from dixian.employment.models import EmploymentRecord, WorkPlan
    from dixian.monitoring.models import AssistanceMeasure

    for household in world.households().values():
        AssistanceMeasure.objects.create(household=household, measure_type="产业帮扶")
        person = household.members.get()
        EmploymentRecord.objects.create(person=person, county="广东省东莞市")
        WorkPlan.objects.create(person=person, plans_to_work=True)
    user = world.users()[who]
    names = world.households()
    expected = {names[n].pk for n in VISIBLE[who]}
    assert set(scope.measures_visible_to(user).values_list("household_id", flat=True)) == expected
    assert set(scope.employment_visible_to(user).values_list("person__household_id", flat=True)) == expected
    assert set(scope.work_plans_visible_to(user).values_list("person__household_id", flat=True)) == expected
