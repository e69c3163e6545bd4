"""Recording a disaster or accident (突发灾害/意外) on the household page: the event rule R03
reads. In scope, audited, validated (no future date, no negative loss), read-only roles
refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dixian.core.models import AuditEvent
from dixian.monitoring.measures import services
from dixian.monitoring.models import EventKind, HouseholdEvent


def new_event(household):
    return reverse("event_new", args=[household.pk])


def test_village_user_records_a_flood_seen_on_the_household_page(client, world):
    client.force_login(world.village_a1_user)
    response = client.post(
        new_event(world.a1),
        {"date": "2025-06-20", "kind": "洪涝", "loss": "12000", "note": "房屋进水，稻田受淹"},
    )
    assert response.status_code == 302 and response.url.endswith("#events")
    event = HouseholdEvent.objects.get()
    assert (event.household, event.date, event.kind, event.loss) == (
        world.a1,
        dt.date(2025, 6, 20),
        "洪涝",
        Decimal("12000"),
    )
    assert event.history.get().history_user == world.village_a1_user
    audit = AuditEvent.objects.get(object_type="monitoring.HouseholdEvent")
    assert audit.user == world.village_a1_user and "2025-06-20 洪涝，损失 12,000.00 元" in audit.detail
    page = client.get(reverse("household_detail", args=[world.a1.pk])).content.decode()
    assert "房屋进水，稻田受淹" in page and "12,000.00" in page


def test_kinds_are_the_natural_disaster_sub_types_and_accident(client, world):
    client.force_login(world.village_a1_user)
    form = client.get(new_event(world.a1)).context["form"]
    offered = [value for value, _ in form.fields["kind"].choices if value]
    assert offered == ["洪涝", "地质", "旱灾", "生物", "气象", "地震", "其他自然灾害", "意外事故"]


def test_a_date_in_the_future_is_refused_and_the_input_kept(client, world):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    client.force_login(world.village_a1_user)
    response = client.post(
        new_event(world.a1),
        {"date": tomorrow.isoformat(), "kind": "意外事故", "loss": "800", "note": "摔伤住院"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "不能晚于今天" in html and 'value="摔伤住院"' in html and 'value="800"' in html
    assert not HouseholdEvent.objects.exists() and not AuditEvent.objects.exists()


def test_today_is_accepted(world):
    today = dt.date(2025, 6, 30)
    services.event_record(
        actor=world.village_a1_user,
        household_id=world.a1.pk,
        date=today,
        kind=EventKind.ACCIDENT,
        loss=Decimal("0"),
        today=today,
    )
    assert HouseholdEvent.objects.get().date == today


@pytest.mark.parametrize("loss, ok", [("-0.01", False), ("0", True), ("0.01", True)])
def test_loss_may_be_zero_but_not_negative(world, loss, ok):
    call = {
        "actor": world.village_a1_user,
        "household_id": world.a1.pk,
        "date": dt.date(2025, 6, 1),
        "kind": "旱灾",
        "loss": Decimal(loss),
        "today": dt.date(2025, 6, 30),
    }
    if ok:
        services.event_record(**call)
        assert HouseholdEvent.objects.count() == 1
    else:
        with pytest.raises(ValidationError, match="损失金额不能为负数"):
            services.event_record(**call)
        assert not HouseholdEvent.objects.exists()


def test_negative_loss_on_the_form_names_the_field(client, world):
    client.force_login(world.village_a1_user)
    response = client.post(new_event(world.a1), {"date": "2025-06-01", "kind": "旱灾", "loss": "-5"})
    assert response.status_code == 422 and response.context["form"].errors["loss"]
    assert not HouseholdEvent.objects.exists()


def test_an_unknown_kind_is_refused(world):
    with pytest.raises(ValidationError, match="请选择灾害或事故类型"):
        services.event_record(
            actor=world.county,
            household_id=world.a1.pk,
            date=dt.date(2025, 6, 1),
            kind="火灾",
            loss=Decimal("1"),
            today=dt.date(2025, 6, 30),
        )


def test_household_outside_scope_answers_404(client, world):
    client.force_login(world.town_b)
    assert client.get(new_event(world.a1)).status_code == 404
    data = {"date": "2025-06-01", "kind": "旱灾", "loss": "1"}
    assert client.post(new_event(world.a1), data).status_code == 404
    assert not HouseholdEvent.objects.exists()


def test_leader_gets_403_and_no_button(client, world):
    client.force_login(world.leader)
    assert client.get(new_event(world.b1)).status_code == 403
    data = {"date": "2025-06-01", "kind": "旱灾", "loss": "1"}
    assert client.post(new_event(world.b1), data).status_code == 403
    assert not HouseholdEvent.objects.exists()
    page = client.get(reverse("household_detail", args=[world.b1.pk])).content.decode()
    assert new_event(world.b1) not in page


def test_paired_cadre_records_an_event_for_their_household(client, world):
    client.force_login(world.cadre)
    response = client.post(new_event(world.b1), {"date": "2025-06-01", "kind": "地质", "loss": "3000"})
    assert response.status_code == 302
    assert HouseholdEvent.objects.get().household == world.b1
