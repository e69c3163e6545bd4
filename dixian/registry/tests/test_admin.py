import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from dixian.core.models import AuditEvent
from dixian.monitoring.models import CaseRisk, MonitoringCase
from dixian.registry.models import Person


def make_staff(user, *codenames):
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def town_a_staff(world):
    return make_staff(
        world.town_a,
        "view_household",
        "view_person",
        "view_householdincome",
        "view_monitoringcase",
        "view_caserisk",
    )


def changelist(client, model):
    return client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))


def test_township_staff_household_changelist_shows_only_scope(client, world, town_a_staff):
    client.force_login(town_a_staff)
    response = client.get(reverse("admin:registry_household_changelist"))
    assert response.status_code == 200
    shown = {h.number for h in response.context["cl"].result_list}
    assert shown == {world.a1.number, world.a2.number, world.moved.number}
    assert world.b1.number not in response.content.decode()


def test_township_staff_cannot_open_other_townships_household_in_admin(client, world, town_a_staff):
    client.force_login(town_a_staff)
    own = client.get(reverse("admin:registry_household_change", args=[world.a1.pk]))
    assert own.status_code == 200
    other = client.get(reverse("admin:registry_household_change", args=[world.b1.pk]))
    missing = client.get(reverse("admin:registry_household_change", args=[999999]))
    assert other.status_code == missing.status_code == 404
    assert world.b1.number not in other.content.decode()


def test_township_staff_cannot_read_other_townships_history_in_admin(client, world, town_a_staff):
    client.force_login(town_a_staff)
    assert client.get(reverse("admin:registry_household_history", args=[world.a1.pk])).status_code == 200
    assert client.get(reverse("admin:registry_household_history", args=[world.b1.pk])).status_code == 404
    version = world.b1.history.first().history_id
    url = reverse("admin:registry_household_simple_history", args=[world.b1.pk, version])
    assert client.get(url).status_code == 404


def test_admin_search_does_not_widen_scope(client, world, town_a_staff):
    client.force_login(town_a_staff)
    response = client.get(reverse("admin:registry_household_changelist"), {"q": world.b1.number})
    assert list(response.context["cl"].result_list) == []


def test_person_changelist_is_scoped_and_masks_id_and_phone(client, world, town_a_staff):
    client.force_login(town_a_staff)
    response = changelist(client, Person)
    html = response.content.decode()
    assert {p.household_id for p in response.context["cl"].result_list} == {
        world.a1.pk,
        world.a2.pk,
        world.moved.pk,
    }
    for person in Person.objects.all():
        assert person.id_number not in html
        assert person.phone not in html
    assert re.search(r"3607\*{10}\w{4}", html)


def test_person_change_form_hides_full_id_without_permission(client, world, town_a_staff):
    town_a_staff.user_permissions.add(Permission.objects.get(codename="change_person"))
    person = world.a1.members.get()
    client.force_login(town_a_staff)
    html = client.get(reverse("admin:registry_person_change", args=[person.pk])).content.decode()
    assert person.id_number not in html
    assert person.phone not in html


def test_cases_and_risks_are_scoped_in_admin(client, world, town_a_staff):
    for household in (world.a1, world.b1):
        case = MonitoringCase.objects.create(
            household=household, category="边缘易致贫户", identified_on="2024-01-01"
        )
        CaseRisk.objects.create(case=case, position=1, risk_type="因病")
    client.force_login(town_a_staff)
    cases = changelist(client, MonitoringCase).context["cl"].result_list
    assert [c.household_id for c in cases] == [world.a1.pk]
    risks = changelist(client, CaseRisk).context["cl"].result_list
    assert [r.case.household_id for r in risks] == [world.a1.pk]


def test_audit_events_are_read_only_in_admin(client, world):
    AuditEvent.objects.create(user=world.county, action=AuditEvent.Action.REVEAL_ID, object_id="1")
    world.county.is_superuser = world.county.is_staff = True
    world.county.save()
    client.force_login(world.county)
    assert changelist(client, AuditEvent).status_code == 200
    event = AuditEvent.objects.get()
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    assert (
        client.post(reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert AuditEvent.objects.count() == 1


def test_superuser_admin_pages_render(admin_client, world):
    for name in [
        "registry_household",
        "registry_person",
        "registry_householdincome",
        "registry_pairing",
        "registry_policyparameter",
        "monitoring_monitoringcase",
        "monitoring_caserisk",
        "areas_area",
        "areas_orgunit",
        "areas_resettlementsite",
        "accounts_user",
        "accounts_apitoken",
        "core_auditevent",
    ]:
        assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    assert (
        admin_client.get(reverse("admin:registry_household_change", args=[world.moved.pk])).status_code == 200
    )
    assert (
        admin_client.get(
            reverse("admin:registry_person_change", args=[world.a1.members.get().pk])
        ).status_code
        == 200
    )
    assert admin_client.get(reverse("admin:accounts_user_change", args=[world.town_a.pk])).status_code == 200


def test_person_admin_rejects_an_id_number_with_a_wrong_check_digit(admin_client, world):
    person = world.a1.members.get()
    wrong = person.id_number[:17] + ("0" if person.id_number[17] != "0" else "1")
    url = reverse("admin:registry_person_change", args=[person.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(id_number=wrong, household=world.a1.pk, birth_date=person.birth_date.isoformat())
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "校验位" in str(response.context["adminform"].form.errors)
    person.refresh_from_db()
    assert person.id_number != wrong
