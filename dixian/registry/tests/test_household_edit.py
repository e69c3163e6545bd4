"""Editing a household's housing, water and phone: scope, roles, audit, and two users saving
the same household (one wins, the other is told and loses nothing he typed)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.urls import reverse

from dixian.core.models import AuditEvent
from dixian.registry import services
from dixian.registry.models import Household

pytestmark = pytest.mark.django_db


def _post(client, household, **data):
    body = {"dangerous_housing": "0", "safe_water": "1", "phone": "", "version": household.version, **data}
    return client.post(reverse("household_edit", args=[household.pk]), body)


def test_a_village_user_corrects_housing_and_phone_and_it_is_audited(client, world):
    client.force_login(world.village_a1_user)
    page = client.get(reverse("household_edit", args=[world.a1.pk]))
    assert page.status_code == 200 and world.a1.phone not in page.content.decode()  # never the full phone
    response = _post(client, world.a1, dangerous_housing="1", safe_water="0", phone="13912345678")
    assert response.status_code == 302
    a1 = Household.objects.get(pk=world.a1.pk)
    assert (a1.dangerous_housing, a1.safe_water, a1.phone, a1.version) == (True, False, "13912345678", 1)
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHANGE, object_id=str(a1.pk))
    assert event.user == world.village_a1_user
    assert "是否危房户 否→是" in event.detail and "是否解决安全饮用水 是→否" in event.detail
    assert "13912345678" not in event.detail and "139****5678" in event.detail
    assert a1.history.first().history_user == world.village_a1_user


def test_blank_phone_keeps_the_phone(client, world):
    before = world.a1.phone
    client.force_login(world.town_a)
    assert _post(client, world.a1, dangerous_housing="1").status_code == 302
    assert Household.objects.get(pk=world.a1.pk).phone == before


def test_a_bad_phone_keeps_what_was_typed(client, world):
    client.force_login(world.town_a)
    response = _post(client, world.a1, phone="12345", dangerous_housing="1")
    body = response.content.decode()
    assert response.status_code == 200 and "请填写11位手机号码" in body and 'value="12345"' in body
    assert Household.objects.get(pk=world.a1.pk).version == 0


def test_outside_scope_is_404_and_read_only_roles_403(client, world):
    client.force_login(world.town_b)
    assert client.get(reverse("household_edit", args=[world.a1.pk])).status_code == 404
    assert _post(client, world.a1, dangerous_housing="1").status_code == 404
    client.force_login(world.leader)
    assert client.get(reverse("household_edit", args=[world.b1.pk])).status_code == 403
    client.force_login(world.dept)
    assert _post(client, world.a1, dangerous_housing="1").status_code == 403
    assert Household.objects.get(pk=world.a1.pk).version == 0


def test_the_second_of_two_editors_is_told_and_keeps_his_input(client, world):
    read_version = world.a1.version
    services.household_update(
        household=world.a1, actor=world.town_a, expected_version=read_version, safe_water=False
    )
    client.force_login(world.village_a1_user)
    response = _post(
        client, world.a1, dangerous_housing="1", safe_water="1", phone="13700000000", version=read_version
    )
    body = response.content.decode()
    assert response.status_code == 409 and "该户信息已被他人修改" in body
    assert 'value="13700000000"' in body  # nothing typed is lost
    a1 = Household.objects.get(pk=world.a1.pk)
    assert (a1.safe_water, a1.dangerous_housing, a1.version) == (False, False, 1)  # the first edit stands
    # saving again (now against the latest version) goes through
    assert _post(client, a1, dangerous_housing="1", safe_water="1").status_code == 302


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_edits_of_one_household_exactly_one_wins(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent edits need PostgreSQL row locks; SQLite serialises whole-database writes")
    threads_n = 20
    barrier = threading.Barrier(threads_n)
    results: list[str] = []
    lock = threading.Lock()

    def edit(n: int) -> None:
        try:
            barrier.wait()
            services.household_update(
                household=world.a1, actor=world.town_a, expected_version=0, phone=f"139000000{n:02d}"
            )
            outcome = "ok"
        except services.EditConflict:
            outcome = "conflict"
        except Exception as exc:  # noqa: BLE001 - reported in the assertion
            outcome = repr(exc)
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict"] * (threads_n - 1) + ["ok"], results
    a1 = Household.objects.get(pk=world.a1.pk)
    assert a1.version == 1 and a1.history.count() == 2  # created + the one winning edit


def test_any_save_of_the_household_makes_an_open_edit_form_stale(client, world):
    # the version moves on in Household.save(), so an admin edit or any other service counts too
    read_version = Household.objects.get(pk=world.a1.pk).version
    a1 = Household.objects.get(pk=world.a1.pk)
    a1.safe_water = False
    a1.save(update_fields=["safe_water"])
    client.force_login(world.town_a)
    assert _post(client, world.a1, dangerous_housing="1", version=read_version).status_code == 409
    assert Household.objects.get(pk=world.a1.pk).dangerous_housing is False
