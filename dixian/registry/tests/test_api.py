import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dixian.accounts.models import ApiToken
from dixian.accounts.roles import Role
from dixian.conftest import COUNTY, TOWN_A, TOWN_B, VISIBLE
from dixian.core.masking import mask_id_number, mask_phone
from dixian.monitoring.models import CaseRisk, MonitoringCase
from dixian.testing import factories as f

LIST = "/api/v1/households"


@pytest.fixture
def as_user(client):
    """`as_user(user).get(url, **params)`: a request with that user's bearer token."""
    tokens = {}

    class _Caller:
        def __init__(self, user):
            if user.pk not in tokens:
                tokens[user.pk] = ApiToken.issue(user=user, name="test")[1]
            self.headers = {"Authorization": f"Bearer {tokens[user.pk]}"}

        def get(self, url, **params):
            return client.get(url, params, headers=self.headers)

    return _Caller


def names_in(world, response):
    by_pk = {h.pk: name for name, h in world.households().items()}
    return {by_pk[item["id"]] for item in response.json()["items"]}


def detail_url(pk):
    return f"{LIST}/{pk}"


def open_case(household, *risks, eliminated=False):
    case = MonitoringCase.objects.create(
        household=household, category="脱贫不稳定户", identified_on=dt.date(2024, 3, 1), eliminated=eliminated
    )
    for position, risk in enumerate(risks, start=1):
        CaseRisk.objects.create(case=case, position=position, risk_type=risk)
    return case


# ---------------------------------------------------------------- scope


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_list_returns_exactly_the_visible_households(world, as_user, who):
    response = as_user(world.users()[who]).get(LIST)
    assert response.status_code == 200
    assert names_in(world, response) == VISIBLE[who]
    assert response.json()["count"] == len(VISIBLE[who])


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_detail_is_200_inside_scope_and_the_same_404_outside(world, as_user, who):
    caller = as_user(world.users()[who])
    missing = caller.get(detail_url(999_999))
    assert missing.status_code == 404
    for name, household in world.households().items():
        response = caller.get(detail_url(household.pk))
        if name in VISIBLE[who]:
            assert response.status_code == 200
            assert response.json()["number"] == household.number
        else:
            assert response.status_code == 404
            assert response.content == missing.content


def test_search_for_another_townships_number_finds_nothing(world, as_user):
    assert as_user(world.town_b).get(LIST, q=world.a1.number).json()["count"] == 0
    assert names_in(world, as_user(world.town_a).get(LIST, q=world.a1.number)) == {"a1"}


def test_township_filter_cannot_reach_outside_scope(world, as_user):
    assert as_user(world.town_b).get(LIST, township=TOWN_A).json()["count"] == 0
    assert names_in(world, as_user(world.county).get(LIST, township=TOWN_A)) == {"a1", "a2"}


def test_search_by_last_four_id_characters_and_by_name(world, as_user):
    head = world.a2.members.get()
    county = as_user(world.county)
    assert names_in(world, county.get(LIST, q=head.id_number[-4:])) == {"a2"}
    assert names_in(world, county.get(LIST, q=head.name)) == {"a2"}
    assert as_user(world.village_a1_user).get(LIST, q=head.name).json()["count"] == 0


# ---------------------------------------------------------------- filters


def test_filters_narrow_the_list(world, as_user):
    open_case(world.a1, "因病")
    open_case(world.b1, "因学", eliminated=True)
    county = as_user(world.county)
    assert names_in(world, county.get(LIST, household_type="一般农户")) == {"a2"}
    assert names_in(world, county.get(LIST, relocated="true")) == {"moved"}
    assert names_in(world, county.get(LIST, village=world.village_a1.code)) == {"a1"}
    assert names_in(world, county.get(LIST, monitoring_category="any")) == {"a1"}
    assert names_in(world, county.get(LIST, monitoring_category="脱贫不稳定户")) == {"a1"}
    assert names_in(world, county.get(LIST, monitoring_category="none")) == {"a2", "b1", "moved"}


def test_income_filters_use_the_chosen_year(world, as_user):
    f.IncomeFactory(household=world.a1, year=2023, wage=4000, members=2)  # 2000 per head
    county = as_user(world.county)
    low = county.get(LIST, income_year=2023, income_max="5000")
    assert names_in(world, low) == {"a1"}
    item = low.json()["items"][0]
    assert item["income_year"] == 2023 and float(item["per_capita_net"]) == 2000
    assert county.get(LIST, income_min="10000").json()["count"] == 4  # latest year: 10000 each


def test_blank_filters_mean_no_filter(world, as_user):
    response = as_user(world.county).get(LIST, township="", household_type="", relocated="", q=" ")
    assert response.status_code == 200
    assert response.json()["count"] == 4


@pytest.mark.parametrize(
    "params",
    [
        {"township": "abc"},
        {"township": "360724100201"},  # a village, not a township
        {"village": TOWN_B},
        {"household_type": "富裕户"},
        {"monitoring_category": "somewhat"},
        {"order": "phone"},
        {"income_min": "lots"},
        {"income_max": "NaN"},
        {"income_year": "1800"},
        {"income_min": "9000", "income_max": "100"},
        {"township": TOWN_A, "village": "360724101201"},  # village of another township
        {"relocated": "maybe"},
        {"limit": "201"},
        {"offset": "-1"},
    ],
)
def test_bad_filter_value_is_422_with_a_reason(world, as_user, params):
    response = as_user(world.county).get(LIST, **params)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail and all(error["msg"] for error in detail)


def test_422_names_the_bad_area_code(world, as_user):
    response = as_user(world.county).get(LIST, township="360724100201")
    assert "不是乡镇级区划代码" in response.json()["detail"][0]["msg"]


# ---------------------------------------------------------------- contents


def test_ids_and_phones_leave_only_masked(world, as_user):
    county = as_user(world.county)
    head = world.a1.members.get()
    listing = county.get(LIST).content.decode()
    detail = county.get(detail_url(world.a1.pk)).content.decode()
    for content in (listing, detail):
        assert head.id_number not in content
        assert head.phone not in content and world.a1.phone not in content
        assert head.birth_date.strftime("%Y%m%d") not in content
        assert head.birth_date.isoformat() not in content
        assert mask_phone(world.a1.phone) in content
    assert mask_id_number(head.id_number) in detail and mask_phone(head.phone) in detail


def test_list_item_carries_the_household_summary(world, as_user):
    items = {i["id"]: i for i in as_user(world.county).get(LIST).json()["items"]}
    moved = items[world.moved.pk]
    assert moved["area_code"] == world.village_b1.code
    assert moved["village_name"] == "陡水B1村" and moved["township_name"] == "陡水镇"
    assert moved["is_relocated"] is True and moved["origin_area_code"] == world.village_a1.code
    assert moved["member_count"] == 1 and moved["head_name"] == world.moved.members.get().name
    assert float(moved["per_capita_net"]) == 10000 and moved["income_year"] == 2024
    assert moved["monitoring_category"] is None


def test_detail_has_incomes_open_cases_and_pairings(world, as_user):
    open_case(world.b1, "因病", "因学")
    open_case(world.b1, "其他", eliminated=True)
    ended = f.pair(f.user("gone_cadre", Role.CADRE, COUNTY), world.b1)
    ended.ended_on = dt.date(2024, 6, 1)
    ended.save()
    body = as_user(world.county).get(detail_url(world.b1.pk)).json()
    (income,) = body["incomes"]
    assert (
        income["year"] == 2024 and float(income["wage"]) == 20000 and float(income["per_capita_net"]) == 10000
    )
    assert set(income) >= {
        "business",
        "property_income",
        "transfer",
        "business_expense",
        "compliant_out_of_pocket",
    }
    assert [c["risks"] for c in body["open_cases"]] == [["因病", "因学"]]
    assert [(p["cadre_name"], p["side"], p["cadre_unit"]) for p in body["pairings"]] == [
        ("cadre", "residence", "县帮扶单位甲")
    ]
    (member,) = body["members"]
    assert member["relation"] == "户主" and "birth_date" not in member and member["age"] > 0


def test_pagination_counts_all_and_pages_in_order(world, as_user):
    county = as_user(world.county)
    first = county.get(LIST, limit=3).json()
    rest = county.get(LIST, limit=3, offset=3).json()
    assert first["count"] == rest["count"] == 4
    assert len(first["items"]) == 3 and len(rest["items"]) == 1
    numbers = [i["number"] for i in first["items"] + rest["items"]]
    assert numbers == sorted(numbers)


# ---------------------------------------------------------------- cost


def _more_households(world, n):
    for _ in range(n):
        household = f.HouseholdFactory(area=world.village_a1)
        f.PersonFactory(household=household)
        f.PersonFactory(household=household, relation="配偶")
        f.IncomeFactory(household=household)
        open_case(household, "因病", "因残")


def test_list_queries_do_not_grow_with_page_size(world, as_user, django_assert_max_num_queries):
    _more_households(world, 30)
    county = as_user(world.county)
    county.get(LIST)  # stamp last_used_at, so both calls below do the same work
    with CaptureQueriesContext(connection) as small:
        assert len(county.get(LIST, limit=2).json()["items"]) == 2
    with django_assert_max_num_queries(len(small)):
        assert len(county.get(LIST, limit=200).json()["items"]) == 34
    assert len(small) <= 6


def test_detail_queries_do_not_grow_with_members(world, as_user, django_assert_max_num_queries):
    county = as_user(world.county)
    open_case(world.moved, "因病")
    county.get(detail_url(world.moved.pk))  # stamp last_used_at
    with CaptureQueriesContext(connection) as one_each:
        county.get(detail_url(world.moved.pk))
    for _ in range(6):
        f.PersonFactory(household=world.moved, relation="之子")
        open_case(world.moved, "因病", "因学", "缺劳动力")
    f.IncomeFactory(household=world.moved, year=2023)
    with django_assert_max_num_queries(len(one_each)):
        body = county.get(detail_url(world.moved.pk)).json()
    assert len(body["members"]) == 7 and len(body["open_cases"]) == 7 and len(body["incomes"]) == 2
    assert len(one_each) <= 10


# ---------------------------------------------------------------- schema


def test_openapi_lists_the_operations_and_docs_are_served(client, db, settings):
    # Tests run without collectstatic: serve the docs' Swagger files from the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/households", "/api/v1/households/{household_id}"} <= set(schema["paths"])
    assert schema["paths"]["/api/v1/households"]["get"]["summary"] == "农户列表"
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and b"/static/ninja/swagger-ui" in docs.content


def test_404_body_is_the_same_with_debug_on(world, as_user, settings):
    settings.DEBUG = True  # Ninja's default 404 would then spell out the lookup
    caller = as_user(world.town_b)
    outside, missing = caller.get(detail_url(world.a1.pk)), caller.get(detail_url(999_999))
    assert outside.status_code == missing.status_code == 404
    assert outside.content == missing.content
