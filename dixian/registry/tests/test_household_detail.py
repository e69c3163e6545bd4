import json

import pytest
from django.urls import reverse

from dixian.accounts.roles import Role
from dixian.conftest import VISIBLE
from dixian.monitoring.models import CaseRisk, MonitoringCase
from dixian.registry import services
from dixian.registry.models import Person
from dixian.testing import factories as f


def detail(household) -> str:
    return reverse("household_detail", args=[household.pk])


def masked(id_number: str) -> str:
    return f"{id_number[:4]}**********{id_number[-4:]}"


def test_township_user_cannot_open_other_townships_household(client, world):
    client.force_login(world.town_b)
    assert client.get(detail(world.a1)).status_code == 404


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_each_user_opens_exactly_the_households_in_scope(client, world, who):
    client.force_login(world.users()[who])
    for name, household in world.households().items():
        expected = 200 if name in VISIBLE[who] else 404
        assert client.get(detail(household)).status_code == expected, name


def test_missing_household_is_404_like_an_out_of_scope_one(client, world):
    client.force_login(world.county)
    assert client.get(reverse("household_detail", args=[999999])).status_code == 404


def test_detail_shows_masked_id_and_phone_never_in_full(client, world):
    client.force_login(world.town_a)
    html = client.get(detail(world.a1)).content.decode()
    person = world.a1.members.get()
    assert masked(person.id_number) in html
    assert person.id_number not in html
    assert person.phone not in html and world.a1.phone not in html
    assert f"{person.phone[:3]}****{person.phone[-4:]}" in html


def test_reveal_button_only_for_users_with_full_pii_permission(client, world):
    client.force_login(world.town_a)
    assert "显示完整" not in client.get(detail(world.a1)).content.decode()
    client.force_login(world.county)
    assert "显示完整" in client.get(detail(world.a1)).content.decode()


def test_origin_township_sees_relocated_household_with_origin_badge(client, world):
    client.force_login(world.town_a)
    html = client.get(detail(world.moved)).content.decode()
    assert 'id="origin-badge"' in html
    assert "东山A1村" in html  # 迁出地
    assert "陡水B1村" in html  # 迁入地


def test_destination_township_sees_relocated_household_without_origin_badge(client, world):
    client.force_login(world.town_b)
    html = client.get(detail(world.moved)).content.decode()
    assert 'id="origin-badge"' not in html
    assert 'id="origin-area"' in html


def test_income_table_and_chart_data(client, world):
    f.IncomeFactory(household=world.a1, year=2023, wage=10000, transfer=2000, members=2)
    client.force_login(world.town_a)
    response = client.get(detail(world.a1))
    html = response.content.decode()
    assert "6,000.00" in html and "10,000.00" in html
    chart = response.context["profile"].income_chart()
    assert chart["years"] == [2023, 2024]
    assert chart["income"] == [6000.0, 10000.0]
    assert chart["line"] == [None, 8500.0]  # monitoring line first set for 2024
    assert 'id="income-chart-data"' in html
    assert (
        json.loads(html.split('id="income-chart-data" type="application/json">')[1].split("</script>")[0])
        == chart
    )


def test_detail_page_has_no_inline_script(client, world):
    client.force_login(world.county)
    html = client.get(detail(world.a1)).content.decode()
    for chunk in html.split("<script")[1:]:
        head = chunk.split(">", 1)[0]
        assert "src=" in head or 'type="application/json"' in head, head


def test_monitoring_cases_with_risks_and_pairings_are_listed(client, world):
    case = MonitoringCase.objects.create(
        household=world.b1, category="边缘易致贫户", identified_on="2024-05-01"
    )
    CaseRisk.objects.create(case=case, position=1, risk_type="因病")
    client.force_login(world.cadre)
    html = client.get(detail(world.b1)).content.decode()
    assert "边缘易致贫户" in html and "因病" in html
    assert "cadre" in html  # the paired cadre


def test_change_history_shows_field_old_and_new_newest_first(client, world):
    services.household_update(household=world.a1, actor=world.town_a, household_type="一般农户")
    person = world.a1.members.get()
    person.name = "李四"
    person._history_user = world.town_a
    person.save()
    client.force_login(world.town_a)
    history = client.get(detail(world.a1)).context["history"]
    assert history[0].subject == "家庭成员 李四"
    assert history[0].changes[0].label == "姓名"
    assert history[0].changes[0].new == "李四"
    household_change = next(e for e in history if e.subject == "农户信息" and e.kind == "修改")
    assert household_change.user == world.town_a
    assert [(c.label, c.old, c.new) for c in household_change.changes] == [("户类型", "脱贫户", "一般农户")]
    assert [e.at for e in history] == sorted((e.at for e in history), reverse=True)


def test_change_history_keeps_id_numbers_masked(client, world):
    person = world.a1.members.get()
    old = person.id_number
    new = f.PersonFactory.build().id_number
    Person.objects.filter(pk=person.pk).update(id_number=new)  # no history row
    person.refresh_from_db()
    person.id_number = new
    person.save()  # history row with the same value: now change it back for a diff
    person.id_number = old
    person.save()
    client.force_login(world.county)
    html = client.get(detail(world.a1)).content.decode()
    assert new not in html and old not in html
    assert masked(new) in html


def test_detail_query_count_does_not_grow_with_members_incomes_or_cases(
    client, world, django_assert_max_num_queries
):
    for year in (2020, 2021, 2022, 2023):
        f.IncomeFactory(household=world.a1, year=year)
    for n in range(4):
        f.PersonFactory(household=world.a1, relation="之子")
        case = MonitoringCase.objects.create(
            household=world.a1, category="边缘易致贫户", identified_on="2024-01-01"
        )
        CaseRisk.objects.create(case=case, position=1, risk_type="因病")
        f.pair(f.user(f"cadre{n}", Role.CADRE, "360724000000"), world.a1)
    client.force_login(world.town_a)
    with django_assert_max_num_queries(20):  # +2: the measures and events lists (issue 4)
        assert client.get(detail(world.a1)).status_code == 200


def test_detail_page_shows_age_not_the_birth_date_that_would_unmask_the_id(client, world):
    client.force_login(world.county)
    person = world.a1.members.get()
    page = client.get(reverse("household_detail", args=[world.a1.pk])).content.decode()
    assert person.birth_date.strftime("%Y-%m-%d") not in page
    assert person.id_number[6:14] not in page
