"""The scope matrix: every role against every household of the world, through every
channel that returns households — HTML list, HTML detail, API list, API detail, admin
changelist, admin change page, person admin, and the home-page counts.

A household outside a user's scope must not show up anywhere, not even as a count.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from dixian.conftest import VISIBLE
from dixian.registry.models import Household, Person

CHANNELS = ("list", "detail", "api_list", "api_detail", "admin_list", "admin_change", "admin_persons")


def _as_staff(user):
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_household", "view_person"]))


def _seen(client, channel, household):
    """Whether `household` is visible through `channel` for the logged-in client."""
    number = household.number
    if channel == "list":
        return number in client.get(reverse("household_list")).content.decode()
    if channel == "detail":
        return _ok_or_404(client.get(reverse("household_detail", args=[household.pk])))
    if channel == "api_list":
        items = client.get("/api/v1/households?limit=200").json()["items"]
        return number in {i["number"] for i in items}
    if channel == "api_detail":
        return _ok_or_404(client.get(f"/api/v1/households/{household.pk}"))
    if channel == "admin_list":
        return number in client.get(reverse("admin:registry_household_changelist")).content.decode()
    if channel == "admin_change":
        return _ok_or_404(client.get(reverse("admin:registry_household_change", args=[household.pk])))
    if channel == "admin_persons":
        person = household.members.get()
        page = client.get(reverse("admin:registry_person_changelist")).content.decode()
        return f"/admin/registry/person/{person.pk}/change/" in page
    raise AssertionError(channel)


def _ok_or_404(response):
    assert response.status_code in (200, 404), response.status_code
    return response.status_code == 200


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_every_channel_shows_exactly_the_users_scope(client, world, who):
    user = world.users()[who]
    _as_staff(user)
    client.force_login(user)
    mismatches = []
    for name, household in world.households().items():
        expected = name in VISIBLE[who]
        for channel in CHANNELS:
            if _seen(client, channel, household) != expected:
                mismatches.append(f"{channel}:{name} expected {'visible' if expected else 'hidden'}")
    assert mismatches == []


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_counts_on_home_and_api_equal_the_scope(client, world, who):
    user = world.users()[who]
    client.force_login(user)
    assert client.get("/api/v1/households").json()["count"] == len(VISIBLE[who])
    home = client.get(reverse("home"))
    if VISIBLE[who]:
        assert home.context["summary"].households_total == len(VISIBLE[who])
        assert home.context["summary"].persons_total == len(VISIBLE[who])


def test_the_world_really_has_households_outside_each_scope(world):
    # Guards the matrix itself: every user but the county ones has something to miss.
    assert Household.objects.count() == 4 and Person.objects.count() == 4
    for who, seen in VISIBLE.items():
        if who not in ("county", "dept"):
            assert seen != set(world.households())


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_measure_and_employment_admin_lists_stay_in_scope(client, world, who):
    from dixian.employment.models import EmploymentRecord
    from dixian.monitoring.models import AssistanceMeasure

    for name, household in world.households().items():
        AssistanceMeasure.objects.create(household=household, measure_type="产业帮扶", detail=f"措施-{name}")
        EmploymentRecord.objects.create(person=household.members.get(), employer=f"企业-{name}")
    user = world.users()[who]
    user.is_staff = True
    user.save()
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_assistancemeasure", "view_employmentrecord"])
    )
    client.force_login(user)
    measures = client.get(reverse("admin:monitoring_assistancemeasure_changelist")).content.decode()
    jobs = client.get(reverse("admin:employment_employmentrecord_changelist")).content.decode()
    for name in world.households():
        assert (f"措施-{name}" in measures) == (name in VISIBLE[who])
        assert (f"企业-{name}" in jobs) == (name in VISIBLE[who])


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_warning_and_event_admin_lists_stay_in_scope(client, world, who):
    import datetime as dt

    from dixian.monitoring.models import HouseholdEvent, ScreeningWarning

    for name, household in world.households().items():
        ScreeningWarning.objects.create(
            household=household,
            rule="R02-SEVERE-ILLNESS-DISABILITY",
            year=2024,
            as_of=dt.date(2025, 1, 1),
            evidence=f"依据-{name}",
        )
        HouseholdEvent.objects.create(
            household=household, date=dt.date(2024, 6, 1), kind="意外事故", note=f"事件-{name}"
        )
    user = world.users()[who]
    user.is_staff = True
    user.save()
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_screeningwarning", "view_householdevent"])
    )
    client.force_login(user)
    warnings = client.get(reverse("admin:monitoring_screeningwarning_changelist")).content.decode()
    events = client.get(reverse("admin:monitoring_householdevent_changelist")).content.decode()
    for name in world.households():
        assert (f"依据-{name}" in warnings) == (name in VISIBLE[who])
        assert (f"事件-{name}" in events) == (name in VISIBLE[who])
