import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from dixian.core.models import AuditEvent


def reveal(person, field="id_number") -> str:
    return reverse("person_reveal", args=[person.pk, field])


def grant_full_pii(user):
    user.user_permissions.add(Permission.objects.get(codename="view_full_pii"))


def test_county_admin_reveal_returns_full_id_and_writes_audit_event(client, world):
    person = world.a1.members.get()
    client.force_login(world.county)
    response = client.post(reveal(person), REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 200
    assert person.id_number in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    event = AuditEvent.objects.get()
    assert (event.user, event.action, event.object_type, event.object_id) == (
        world.county,
        AuditEvent.Action.REVEAL_ID,
        "registry.Person",
        str(person.pk),
    )
    assert event.ip_address == "10.0.0.7"


def test_reveal_phone_is_audited_as_phone(client, world):
    person = world.a1.members.get()
    client.force_login(world.county)
    response = client.post(reveal(person, "phone"))
    assert person.phone in response.content.decode()
    assert AuditEvent.objects.get().action == AuditEvent.Action.REVEAL_PHONE


def test_reveal_without_permission_is_403_and_not_audited(client, world):
    client.force_login(world.town_a)
    assert client.post(reveal(world.a1.members.get())).status_code == 403
    assert not AuditEvent.objects.exists()


def test_reveal_of_person_outside_scope_is_404_even_with_permission(client, world):
    grant_full_pii(world.town_b)
    client.force_login(world.town_b)
    assert client.post(reveal(world.a1.members.get())).status_code == 404
    assert client.post(reveal(world.b1.members.get())).status_code == 200
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize("field", ["name", "birth_date", "password"])
def test_reveal_of_other_fields_is_404(client, world, field):
    client.force_login(world.county)
    assert client.post(reveal(world.a1.members.get(), field)).status_code == 404
    assert not AuditEvent.objects.exists()


def test_reveal_needs_post(client, world):
    client.force_login(world.county)
    assert client.get(reveal(world.a1.members.get())).status_code == 405
    assert not AuditEvent.objects.exists()


def test_reveal_needs_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.county)
    assert client.post(reveal(world.a1.members.get())).status_code == 403


def test_anonymous_reveal_is_sent_to_login(client, world):
    response = client.post(reveal(world.a1.members.get()))
    assert response.status_code == 302
    assert not AuditEvent.objects.exists()
