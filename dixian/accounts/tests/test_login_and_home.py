import pytest
from django.urls import reverse

from dixian.conftest import VISIBLE
from dixian.monitoring.models import MonitoringCase
from dixian.testing.factories import PASSWORD

HOME = reverse("home")


def test_anonymous_home_redirects_to_login(client, db):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_chinese_with_no_cdn(client, db):
    html = client.get(reverse("login")).content.decode()
    assert "登录" in html and "用户名" in html
    assert "cdn" not in html.lower() and "https://" not in html


def test_login_with_password_lands_on_home(client, world):
    response = client.post(reverse("login"), {"username": "town_a", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == HOME
    assert "town_a" in response.content.decode()


def test_wrong_password_shows_error(client, world):
    response = client.post(reverse("login"), {"username": "town_a", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_logout_is_a_post_form(client, world):
    client.force_login(world.town_a)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(HOME).status_code == 302


def test_home_shows_name_org_unit_and_roles(client, world):
    client.force_login(world.town_b)
    html = client.get(HOME).content.decode()
    assert "town_b" in html
    assert str(world.town_b.org_unit) in html
    assert "乡镇" in html


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_home_counts_are_scoped(client, world, who):
    client.force_login(world.users()[who])
    summary = client.get(HOME).context["summary"]
    assert summary.households_total == len(VISIBLE[who])
    assert summary.persons_total == len(VISIBLE[who])  # one member each in the world
    assert sum(n for _, n in summary.households_by_type) == len(VISIBLE[who])
    rows = summary.townships + ([summary.elsewhere] if summary.elsewhere else [])
    assert sum(r.households for r in rows) == len(VISIBLE[who])


def test_home_township_table_lists_only_townships_in_scope(client, world):
    client.force_login(world.town_a)
    summary = client.get(HOME).context["summary"]
    assert [(t.name, t.households) for t in summary.townships] == [("东山镇", 2)]
    # the household moved from 东山镇 to 陡水镇 is counted apart, for origin duties
    assert summary.elsewhere.households == 1
    html = client.get(HOME).content.decode()
    assert "陡水镇" not in html


def test_county_home_table_lists_every_township(client, world):
    client.force_login(world.county)
    summary = client.get(HOME).context["summary"]
    assert len(summary.townships) == 16
    assert summary.elsewhere is None
    counts = {t.name: t.households for t in summary.townships}
    assert counts["东山镇"] == 2 and counts["陡水镇"] == 2 and counts["营前镇"] == 0


def test_home_counts_open_monitoring_by_category_in_scope(client, world):
    MonitoringCase.objects.create(household=world.a1, category="脱贫不稳定户", identified_on="2024-01-01")
    MonitoringCase.objects.create(household=world.b1, category="突发严重困难户", identified_on="2024-01-01")
    MonitoringCase.objects.create(
        household=world.a2, category="边缘易致贫户", identified_on="2023-01-01", eliminated=True
    )
    client.force_login(world.town_a)
    summary = client.get(HOME).context["summary"]
    assert summary.monitored_total == 1
    assert dict(summary.monitored_by_category) == {"脱贫不稳定户": 1, "边缘易致贫户": 0, "突发严重困难户": 0}
    assert summary.townships[0].monitored == 1


def test_cadre_home_lists_paired_households(client, world):
    client.force_login(world.cadre)
    response = client.get(HOME)
    assert list(response.context["summary"].paired) == [world.b1]
    html = response.content.decode()
    assert reverse("household_detail", args=[world.b1.pk]) in html
    assert world.a1.number not in html


def test_user_without_role_is_told_so(client, world):
    client.force_login(world.nobody)
    html = client.get(HOME).content.decode()
    assert "尚未分配角色" in html
    assert reverse("household_list") not in html


def test_navbar_links_follow_role(client, world):
    client.force_login(world.village_a1_user)
    html = client.get(HOME).content.decode()
    assert reverse("household_list") in html
    assert reverse("parameters") not in html
    assert reverse("admin:index") not in html
    client.force_login(world.county)
    html = client.get(HOME).content.decode()
    assert reverse("parameters") in html
