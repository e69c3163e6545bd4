"""Income growth against the benchmarks, figures worked out by hand.

东山镇 (A): A1 30,000/3 → 33,000/3, A2 5,000/1 → 5,500/1, A3 10,000/1 → 11,000/1 (A3 is
also monitored). 陡水镇 (B): B1 20,000/2 → 20,600/2 (脱贫户), B2 8,000/2 → 8,800/2 (一般农户,
monitored), B3 an ordinary household not monitored (in neither population).
脱贫人口, people-weighted: A 45,000/5 = 9,000 → 49,500/5 = 9,900 (+10%); B 10,000 → 10,300
(+3%); county 65,000/7 = 9,285.71 → 70,100/7 = 10,014.29 (+7.85%).
监测对象: county 18,000/3 = 6,000 → 19,800/3 = 6,600 (+10%).
Benchmarks 2024: national 6.6% (seeded), county set here to 7%.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from dixian.accounts.roles import Role
from dixian.income import growth
from dixian.income.tests.builders import ORDINARY, VILLAGE_B, household, set_parameter
from dixian.registry.models import PolicyParameter
from dixian.testing import factories as f

pytestmark = pytest.mark.django_db

YEARS = [2023, 2024]
GROWTH = "/income/growth/"


@pytest.fixture
def county_data():
    household("A1", {2023: (30000, 3), 2024: (33000, 3)})
    household("A2", {2023: (5000, 1), 2024: (5500, 1)})
    household("A3", {2023: (10000, 1), 2024: (11000, 1)}, monitored=True)
    household("B1", {2023: (20000, 2), 2024: (20600, 2)}, village=VILLAGE_B)
    household("B2", {2023: (8000, 2), 2024: (8800, 2)}, village=VILLAGE_B, kind=ORDINARY, monitored=True)
    household("B3", {2023: (100000, 1), 2024: (1000, 1)}, village=VILLAGE_B, kind=ORDINARY)
    set_parameter("county_rural_growth", 2024, "0.07")


@pytest.fixture
def county_user():
    return f.user("county", Role.COUNTY_ADMIN, "360724000000")


@pytest.fixture
def town_a():
    return f.user("town_a", Role.TOWNSHIP, "360724100000")


def rows_of(table: growth.GrowthTable) -> dict[str, growth.GrowthRow]:
    return {r.label: r for r in table.rows}


def test_average_is_weighted_by_people_and_growth_is_against_the_previous_year(county_data, county_user):
    rows = rows_of(growth.growth_table(county_user, "alleviated", YEARS))
    assert list(rows) == ["东山镇", "陡水镇", "全县"]  # townships without households are left out
    a2023, a2024 = rows["东山镇"].figures
    assert (a2023.households, a2023.people, a2023.average) == (
        3,
        5,
        Decimal("9000.00"),
    )  # not (10,000+5,000+10,000)/3
    assert a2023.growth is None and a2023.status == "none"
    assert a2024.average == Decimal("9900.00") and a2024.growth == Decimal("0.1")
    assert rows["陡水镇"].figures[1].growth_text == "+3%"
    county = rows["全县"].figures[1]
    assert (county.average, county.growth_text) == (Decimal("10014.29"), "+7.85%")


def test_monitored_population_is_the_households_monitored_now(county_data, county_user):
    rows = rows_of(growth.growth_table(county_user, "monitored", YEARS))
    county = rows["全县"].figures
    assert [f.average for f in county] == [Decimal("6000.00"), Decimal("6600.00")]
    assert county[1].growth_text == "+10%"
    assert (rows["东山镇"].figures[0].households, rows["陡水镇"].figures[0].households) == (1, 1)


def test_green_only_above_both_benchmarks(county_data, county_user):
    rows = rows_of(growth.growth_table(county_user, "alleviated", YEARS))
    assert rows["东山镇"].figures[1].status == "above"  # 10% > 6.6% and > 7%
    assert rows["陡水镇"].figures[1].below == ["全国", "全县"]
    assert rows["全县"].figures[1].status == "above"  # 7.85%


def test_changing_a_benchmark_changes_the_colour(client, county_data, county_user):
    client.force_login(county_user)
    assert _status(client.get(GROWTH), "alleviated", "county", 2024) == "above"
    set_parameter("county_rural_growth", 2024, "0.08")
    page = client.get(GROWTH)
    assert _status(page, "alleviated", "county", 2024) == "below"
    assert "未高于全县" in _row_html(page, "alleviated", "county")
    assert _status(page, "alleviated", "360724100", 2024) == "above"


def test_a_missing_benchmark_shows_unset_instead_of_failing(client, county_data, county_user):
    PolicyParameter.objects.filter(code="county_rural_growth").delete()
    client.force_login(county_user)
    page = client.get(GROWTH)
    assert page.status_code == 200
    assert _status(page, "alleviated", "360724100", 2024) == "unset"
    assert "全县基准未设置" in _row_html(page, "alleviated", "360724100")
    assert "未设置" in _benchmark_html(page, "alleviated")


def test_a_township_sees_its_own_row_only(client, county_data, town_a):
    # not even the county total: the county's counts less its own would give the others'
    client.force_login(town_a)
    page = client.get(GROWTH)
    tables = page.context["tables"]
    assert [r.label for r in tables[0].rows] == ["东山镇"]
    assert all(r.label == "东山镇" for t in tables for r in t.rows)
    assert "陡水镇" not in page.content.decode()
    assert [f.average for f in rows_of(tables[0])["东山镇"].figures] == [
        Decimal("9000.00"),
        Decimal("9900.00"),
    ]
    chart = page.context["chart_data"]["growth"][0]
    assert [r["label"] for r in chart["rows"]] == ["东山镇"]


def test_a_user_without_a_role_sees_no_figures(client, county_data, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x")
    client.force_login(nobody)
    page = client.get(GROWTH)
    assert all(t.rows == [] for t in page.context["tables"])
    assert page.context["chart_data"]["histograms"] == []


def test_histogram_counts_households_per_2000_yuan_band_in_sql(county_user):
    household("N", {2024: (-3000, 1)})  # negative: first band
    household("L", {2024: (3999, 1)})  # 2,000–4,000
    household("M", {2024: (8000, 2)})  # 4,000 exactly: 4,000–6,000
    household("T", {2024: (90000, 2)})  # 45,000: last band
    household("O", {2024: (3000, 1)}, kind=ORDINARY)  # not 脱贫
    h = growth.histogram(county_user, "alleviated", [2024])
    counts = h.counts[2024]
    assert (counts[0], counts[1], counts[2], counts[-1], sum(counts)) == (1, 1, 1, 1, 4)
    assert (h.bins[0], h.bins[1], h.bins[-1]) == ("2千以下", "2–4千", "40千以上")


def test_page_links_echarts_from_static_files(client, county_data, county_user):
    client.force_login(county_user)
    body = client.get(GROWTH).content.decode()
    assert "vendor/echarts/echarts.min.js" in body and "js/income_growth.js" in body
    assert 'id="growth-data"' in body


# ---------------------------------------------------------------- helpers reading the page


def _row_html(page, population: str, row: str) -> str:
    body = page.content.decode()
    table = body.split(f'id="growth-{population}"', 1)[1].split("</table>", 1)[0]
    return table.split(f'data-row="{row}"', 1)[1].split("</tr>", 1)[0]


def _benchmark_html(page, population: str) -> str:
    body = page.content.decode()
    table = body.split(f'id="growth-{population}"', 1)[1].split("</table>", 1)[0]
    return table.split('class="small text-muted benchmarks"', 1)[1]


def _status(page, population: str, row: str, year: int) -> str:
    match = re.search(rf'data-year="{year}" data-status="(\w+)"', _row_html(page, population, row))
    assert match, row
    return match.group(1)
