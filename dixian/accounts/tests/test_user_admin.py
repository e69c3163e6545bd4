from django.urls import reverse

from dixian.accounts.models import User


def test_user_admin_edits_org_unit_full_name_and_phone(admin_client, world):
    url = reverse("admin:accounts_user_change", args=[world.town_a.pk])
    html = admin_client.get(url).content.decode()
    assert 'name="org_unit"' in html and 'name="full_name"' in html and 'name="phone"' in html


def test_user_admin_changelist_shows_roles(admin_client, world):
    html = admin_client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "帮扶干部" in html


def test_user_admin_adds_a_user_with_org_unit(admin_client, world):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newbie",
            "password1": "a-long-enough-pass-1",
            "password2": "a-long-enough-pass-1",
            "usable_password": "true",
            "org_unit": world.town_a.org_unit_id,
            "full_name": "新同事",
            "phone": "13900000000",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="newbie")
    assert (user.org_unit, user.full_name) == (world.town_a.org_unit, "新同事")
