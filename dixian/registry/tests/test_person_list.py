"""The person list (人员名单): scope, filters, masking, links, export buttons."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dixian.conftest import VISIBLE
from dixian.core.masking import mask_id_number, mask_phone
from dixian.registry import idcard
from dixian.registry.person_selectors import PersonFilters, person_list
from dixian.testing import factories as f

URL = reverse("person_list")


def born(day: dt.date, seq: int = 1) -> str:
    return idcard.make("360724", day, seq)


def names(client, params=None) -> list[str]:
    response = client.get(URL, params or {})
    assert response.status_code == 200
    return [p.name for p in response.context["page"]]


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_list_and_count_hold_exactly_the_persons_in_scope(client, world, who):
    client.force_login(world.users()[who])
    response = client.get(URL)
    households = world.households()
    expected = {households[n].members.get().name for n in VISIBLE[who]}
    assert {p.name for p in response.context["page"]} == expected
    html = response.content.decode()
    assert f"共 {len(expected)} 人" in html
    for name, household in households.items():
        assert (household.number in html) == (name in VISIBLE[who])


def test_township_user_cannot_widen_the_list_with_another_township(client, world):
    client.force_login(world.town_a)
    response = client.get(URL, {"township": "360724101000"})
    assert response.status_code == 200
    assert list(response.context["page"]) == [] and 'id="filter-errors"' in response.content.decode()
    assert world.b1.number not in response.content.decode()


def test_rows_mask_id_and_phone_and_link_to_the_household(client, world):
    person = world.a1.members.get()
    client.force_login(world.county)
    html = client.get(URL, {"q": world.a1.number}).content.decode()
    assert mask_id_number(person.id_number) in html and person.id_number not in html
    assert mask_phone(person.phone) in html and person.phone not in html
    assert reverse("household_detail", args=[world.a1.pk]) in html
    assert person.birth_date.isoformat() not in html


def test_age_range_is_taken_on_the_reference_day(client, world):
    h = world.a1
    f.PersonFactory(household=h, relation="之子", name="十七岁", id_number=born(dt.date(2007, 6, 1)))
    f.PersonFactory(household=h, relation="之女", name="刚满十八", id_number=born(dt.date(2007, 5, 31)))
    f.PersonFactory(household=h, relation="之父", name="六十", id_number=born(dt.date(1965, 1, 1)))
    client.force_login(world.county)
    on = {"as_of": "2025-05-31", "q": h.number}
    assert set(names(client, {**on, "age_min": 18, "age_max": 59})) == {"刚满十八"} | {
        p.name for p in h.members.filter(relation="户主")
    }
    assert names(client, {**on, "age_max": 17}) == ["十七岁"]
    assert names(client, {"as_of": "2025-06-01", "q": h.number, "age_max": 17}) == []
    assert names(client, {**on, "age_min": 60}) == ["六十"]


def test_filters_on_person_fields(client, world):
    h = world.a2
    f.PersonFactory(household=h, relation="之子", name="学生", school_stage="七年级", labour_skill="无劳动力")
    f.PersonFactory(
        household=h,
        relation="之母",
        name="残疾母亲",
        health="残疾",
        disability_grade="二级",
        labour_skill="丧失劳动力",
        medical_insurance=False,
    )
    f.PersonFactory(
        household=h, relation="配偶", name="幼儿", school_stage="学前教育", labour_skill="无劳动力"
    )
    client.force_login(world.county)
    q = {"q": h.number}
    assert names(client, {**q, "school_stage": "any"}) == ["学生"]
    assert names(client, {**q, "school_stage": "学前教育"}) == ["幼儿"]
    assert len(names(client, {**q, "school_stage": "none"})) == 2
    assert names(client, {**q, "disability_grade": "any"}) == ["残疾母亲"]
    assert names(client, {**q, "health": "残疾", "disability_grade": "二级"}) == ["残疾母亲"]
    assert names(client, {**q, "insured": "no"}) == ["残疾母亲"]
    assert names(client, {**q, "relation": "配偶"}) == ["幼儿"]
    assert set(names(client, {**q, "labour_skill": "无劳动力"})) == {"学生", "幼儿"}
    assert names(client, {"household_type": "一般农户", "school_stage": "any"}) == ["学生"]
    assert names(client, {"household_type": "脱贫户", "school_stage": "any"}) == []


def test_area_sex_and_search_filters(client, world):
    client.force_login(world.county)
    assert set(names(client, {"township": "360724100000"})) == {
        world.a1.members.get().name,
        world.a2.members.get().name,
    }
    assert names(client, {"village": world.village_a2.code}) == [world.a2.members.get().name]
    person = world.b1.members.get()
    assert names(client, {"q": person.name}) == [person.name]
    assert names(client, {"q": person.id_number[-4:]}) == [person.name]
    other = "女" if person.sex == "男" else "男"
    assert person.name not in names(client, {"sex": other})


def test_list_shows_head_first_and_household_size(client, world):
    f.PersonFactory(household=world.a1, relation="配偶", name="配偶甲")
    persons = list(person_list(world.county, PersonFilters(q=world.a1.number)))
    assert [p.relation for p in persons] == ["户主", "配偶"]
    assert {p.member_count for p in persons} == {2}
    only_spouse = list(person_list(world.county, PersonFilters(relation="配偶")))
    assert [p.member_count for p in only_spouse] == [2]  # the household's size, not the filtered rows


def test_pages_of_fifty(client, world):
    for _ in range(55):
        f.PersonFactory(household=world.a1, relation="之子")
    client.force_login(world.county)
    response = client.get(URL, {"q": world.a1.number})
    assert len(response.context["page"]) == 50
    assert "共 56 人" in response.content.decode()
    assert len(client.get(URL, {"q": world.a1.number, "page": 2}).context["page"]) == 6


def test_export_buttons_carry_the_filters(client, world):
    client.force_login(world.county)
    html = client.get(URL, {"sex": "男", "page": "1"}).content.decode()
    assert 'id="export-xlsx"' in html and reverse("export_persons_xlsx") in html
    assert reverse("export_persons_csv") in html
    assert 'name="sex" value="男"' in html and 'name="page"' not in html
    assert 'id="export-full-pii"' in html


def test_no_full_value_checkbox_without_permission(client, world):
    client.force_login(world.town_a)
    html = client.get(URL).content.decode()
    assert 'id="export-xlsx"' in html and 'id="export-full-pii"' not in html


def test_nav_links_the_person_list(client, world):
    client.force_login(world.town_a)
    assert f'href="{URL}"' in client.get(reverse("household_list")).content.decode()


def test_anonymous_user_is_sent_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_list_is_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for _ in range(40):
        f.PersonFactory(household=f.HouseholdFactory(area=world.village_a1))
    client.force_login(world.county)
    with django_assert_max_num_queries(12):
        assert len(client.get(URL).context["page"]) == 44
