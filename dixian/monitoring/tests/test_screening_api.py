"""GET /api/v1/monitoring/warnings and /warnings/summary: paginated, scoped, validated."""

from __future__ import annotations

import datetime as dt

import pytest

from dixian.accounts.models import ApiToken
from dixian.monitoring.screening_services import run_screening

R05 = "R05-BELOW-LINE-UNMONITORED"
LIST, SUMMARY = "/api/v1/monitoring/warnings", "/api/v1/monitoring/warnings/summary"


@pytest.fixture
def screened(world):
    for h in (world.a1, world.b1, world.moved):
        h.incomes.update(wage="10000")
    run_screening(as_of=dt.date(2025, 6, 30))
    return world


def get(client, user, url, **params):
    token = ApiToken.issue(user=user, name="test")[1]
    return client.get(url, params, headers={"Authorization": f"Bearer {token}"})


def test_list_is_scoped_and_paginated(client, screened):
    data = get(client, screened.town_b, LIST, rule=R05).json()
    assert data["count"] == 2
    assert {i["household_number"] for i in data["items"]} == {screened.b1.number, screened.moved.number}
    item = data["items"][0]
    assert item["rule_label"] == "低于监测范围未纳入" and item["status"] == "pending"
    assert item["township_name"] == "陡水镇" and item["year"] == 2024
    page = get(client, screened.county, LIST, rule=R05, limit=1, offset=1).json()
    assert page["count"] == 3 and len(page["items"]) == 1


def test_list_filters_by_township_and_status(client, screened):
    data = get(client, screened.county, LIST, rule=R05, township="360724100000").json()
    assert [i["household_number"] for i in data["items"]] == [screened.a1.number]
    assert get(client, screened.county, LIST, status="expired").json()["count"] == 0
    assert get(client, screened.county, LIST, status="all", rule=R05).json()["count"] == 3


def test_bad_filters_are_422(client, screened):
    assert get(client, screened.county, LIST, rule="R99").status_code == 422
    assert get(client, screened.county, LIST, township="abc").status_code == 422
    assert get(client, screened.county, LIST, status="open").status_code == 422


def test_summary_counts_per_rule_in_scope(client, screened):
    counts = {r["rule"]: r["count"] for r in get(client, screened.town_a, SUMMARY).json()}
    assert counts[R05] == 2  # a1 and moved
    assert len(counts) == 9
    assert {r["rule"]: r["count"] for r in get(client, screened.nobody, SUMMARY).json()}[R05] == 0


def test_api_needs_authentication(client, screened):
    assert client.get(LIST).status_code == 401
