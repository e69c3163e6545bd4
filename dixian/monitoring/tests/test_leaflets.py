"""明白纸 (notice §1 四): the policy sheets print the year's parameters (carried forward
like the rules read them), say plainly what is missing instead of failing, carry no
personal data, and each prints on exactly one A4 page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from dixian.monitoring.leaflets.sheets import SHEETS
from dixian.registry.models import PolicyParameter
from dixian.registry.parameters import SPECS
from dixian.testing.browser import chromium

INDEX = reverse("leaflet_index")
ALL = reverse("leaflet_all")
APPLICATION = reverse("leaflet_sheet", args=["monitoring-application"])
POLICIES = reverse("leaflet_sheet", args=["assistance-policies"])
ELIMINATION = reverse("leaflet_sheet", args=["risk-elimination"])
PAGES = [INDEX, ALL, APPLICATION, POLICIES, ELIMINATION]

ID_LIKE = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{3,6}\*{4,}\d{0,4}[\dXx]?)(?![0-9A-Za-z])")
PHONE_LIKE = re.compile(r"(?<!\d)1[3-9]\d(?:\d{8}|\*{4}\d{4})(?!\d)")


def page(client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def value_of(html: str, code: str) -> str:
    """The text a sheet prints for parameter `code` (the first occurrence)."""
    match = re.search(rf'data-code="{code}">(?:<span class="screen-only">)?([^<]*)<', html)
    assert match, f"{code} is not on the page"
    return match.group(1)


def set_parameter(code: str, year: int, value: str) -> None:
    PolicyParameter.objects.update_or_create(
        code=code, year=year, defaults={"value": value, "source": "测试"}
    )


# ------------------------------------------------------------------ values from the parameters


def test_the_application_sheet_prints_the_years_line_days_and_deadlines(client, world):
    client.force_login(world.village_a1_user)
    html = page(client, APPLICATION, year=2024)
    assert "上犹县2024年防止返贫监测对象申报明白纸" in html
    assert value_of(html, "monitoring_line") == "8,500"
    assert value_of(html, "publicity_days") == "5"
    assert value_of(html, "identification_days") == "15"
    assert value_of(html, "self_report_accept_days") == "2"
    assert "承诺授权书" in html and "农户自主申报" in html and "部门筛查预警" in html


def test_changing_a_parameter_changes_the_sheet(client, world):
    client.force_login(world.cadre)
    assert value_of(page(client, POLICIES, year=2025), "yulu_semester_amount") == "1,500"
    set_parameter("yulu_semester_amount", 2025, "1750")
    set_parameter("microcredit_cap", 2025, "100000")
    html = page(client, POLICIES, year=2025)
    assert value_of(html, "yulu_semester_amount") == "1,750"
    assert value_of(html, "microcredit_cap") == "100,000"
    # the earlier year keeps its own values
    assert value_of(page(client, POLICIES, year=2024), "yulu_semester_amount") == "1,500"


def test_a_year_without_its_own_values_carries_the_earlier_ones_forward(client, world):
    set_parameter("monitoring_line", 2025, "9000")
    client.force_login(world.town_a)
    html = page(client, ELIMINATION, year=2026)
    assert "上犹县2026年防止返贫监测对象风险消除明白纸" in html
    assert value_of(html, "monitoring_line") == "9,000"  # set 2025, in force 2026
    assert value_of(html, "elimination_min_months") == "6"  # set 2024
    index = page(client, INDEX, year=2026)
    assert "沿用2025年" in index and "沿用2024年" in index


def test_the_transport_subsidies_and_industry_award_come_from_their_own_codes(client, world):
    set_parameter("transport_subsidy_out_province", 2024, "600")
    set_parameter("transport_subsidy_in_province", 2024, "350")
    set_parameter("industry_award_cap", 2024, "2000.50")
    client.force_login(world.dept)
    html = page(client, POLICIES, year=2024)
    assert value_of(html, "transport_subsidy_out_province") == "600"
    assert value_of(html, "transport_subsidy_in_province") == "350"
    assert value_of(html, "industry_award_cap") == "2,000.50"


# ------------------------------------------------------------------ missing parameters


def test_a_missing_parameter_shows_未设置_and_the_missing_list_for_county_admins(client, world):
    PolicyParameter.objects.filter(code="industry_award_cap").delete()
    client.force_login(world.county)
    html = page(client, POLICIES, year=2025)
    assert value_of(html, "industry_award_cap") == "未设置"
    missing = html[html.index('id="leaflet-missing"') :]
    assert '<div class="alert alert-warning screen-only" role="alert" id="leaflet-missing">' in html
    assert SPECS["industry_award_cap"].label in missing
    assert f"{reverse('parameters')}?code=industry_award_cap&amp;year=2025" in missing


def test_other_users_see_the_missing_list_but_no_edit_link(client, world):
    PolicyParameter.objects.filter(code="publicity_days").delete()
    client.force_login(world.village_a1_user)
    html = page(client, INDEX, year=2025)
    assert SPECS["publicity_days"].label in html[html.index('id="leaflet-missing"') :]
    assert "?code=publicity_days" not in html
    assert '<div class="alert alert-secondary screen-only" role="alert" id="leaflet-missing">' in html


def test_a_year_before_any_parameter_prints_blanks_and_does_not_fail(client, world):
    client.force_login(world.county)
    html = page(client, ALL, year=2001)
    for sheet in SHEETS.values():
        for code in sheet.codes:
            assert value_of(html, code) == "未设置"
    missing = html[html.index('id="leaflet-missing"') :]
    for code in {c for s in SHEETS.values() for c in s.codes}:
        assert SPECS[code].label in missing


def test_the_rural_dibao_standard_is_not_seeded_and_shows_as_missing(client, world):
    # DOMAIN.md gives no figure for it: the county enters it, the sheet never guesses one.
    client.force_login(world.county)
    html = page(client, POLICIES, year=2024)
    assert value_of(html, "dibao_rural_standard") == "未设置"
    assert SPECS["dibao_rural_standard"].label in html[html.index('id="leaflet-missing"') :]


# ------------------------------------------------------------------ header, footer, phone


def test_header_names_the_county_and_year_and_footer_the_issuing_unit_and_date(client, world):
    client.force_login(world.leader)
    html = page(client, APPLICATION, year=2024)
    assert "江西省赣州市上犹县 · 2024年度" in html
    today = timezone.localdate()
    assert f"上犹县农业农村局<br>{today.year}年{today.month}月{today.day}日" in html


def test_the_county_hotline_setting_is_printed(client, world, settings):
    settings.DIXIAN_COUNTY_HOTLINE = "0797-8543210"
    client.force_login(world.town_b)
    assert "0797-8543210" in page(client, APPLICATION)


def test_a_mobile_number_as_hotline_is_refused_and_county_admins_are_told(client, world, settings):
    settings.DIXIAN_COUNTY_HOTLINE = "138 1234 5678"
    client.force_login(world.town_b)
    html = page(client, APPLICATION)
    assert "138 1234 5678" not in html and 'id="leaflet-hotline-problem"' not in html
    client.force_login(world.county)
    html = page(client, APPLICATION)
    assert "138 1234 5678" not in html and "13812345678" not in html
    assert "是手机号码" in html[html.index('id="leaflet-hotline-problem"') :]


def test_no_page_shows_an_id_number_or_a_phone(client, world, settings):
    settings.DIXIAN_COUNTY_HOTLINE = "0797-8543210"
    client.force_login(world.county)  # the role that may see full values elsewhere
    for url in PAGES:
        html = page(client, url)
        assert not ID_LIKE.search(html), url
        assert not PHONE_LIKE.search(html), url
        for household in world.households().values():
            assert household.phone not in html and household.members.get().id_number not in html


# ------------------------------------------------------------------ access, years, print


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_users_are_sent_to_the_login_page(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_user_without_a_role_may_read_the_sheets(client, world):
    client.force_login(world.nobody)
    for url in PAGES:
        page(client, url)


def test_an_unknown_sheet_is_404(client, world):
    client.force_login(world.county)
    assert client.get(reverse("leaflet_sheet", args=["no-such-sheet"])).status_code == 404


def test_the_year_selector_offers_years_with_parameters_and_the_current_year(client, world):
    set_parameter("monitoring_line", 2025, "9000")
    client.force_login(world.village_a1_user)
    response = client.get(INDEX)
    current = timezone.localdate().year
    assert response.context["year"] == current
    assert response.context["years"][0] == current
    assert {2023, 2024, 2025} <= set(response.context["years"])
    assert client.get(INDEX, {"year": "abc"}).context["year"] == current
    assert '<option value="2024">2024年</option>' in response.content.decode()


def test_the_print_stylesheet_is_linked_and_served_from_our_static_files(client, world):
    client.force_login(world.county)
    for url in (INDEX, APPLICATION, ALL):
        assert '<link rel="stylesheet" href="/static/css/print_leaflet.css">' in page(client, url)
    css = client.get("/static/css/print_leaflet.css")
    assert css.status_code == 200
    text = b"".join(css.streaming_content).decode() if css.streaming else css.content.decode()
    assert "@media print" in text and "size: A4" in text and "break-after: page" in text


def test_print_1_asks_the_browser_to_print_on_load(client, world):
    client.force_login(world.county)
    assert 'data-auto-print="1"' in page(client, POLICIES, print="1")
    html = page(client, POLICIES)
    assert "data-auto-print" not in html
    assert '<script src="/static/js/leaflets.js"></script>' in html
    assert client.get("/static/js/leaflets.js").status_code == 200


def test_the_index_has_a_print_button_per_sheet(client, world):
    client.force_login(world.cadre)
    html = page(client, INDEX, year=2024)
    for slug in SHEETS:
        assert f"{reverse('leaflet_sheet', args=[slug])}?year=2024&amp;print=1" in html
    assert f"{ALL}?year=2024&amp;print=1" in html


# ------------------------------------------------------------------ printed: one A4 page each

Bodies = dict[str, tuple[bytes, int, str]]


def fetch(client, url: str) -> Bodies:
    """`url` as the Django test client answers it, with the static files it links. Fetched
    before Chromium starts: inside Playwright's sync API the ORM gets another connection,
    which cannot see the test's uncommitted data."""
    responses = {url: client.get(url)}
    for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', responses[url].content.decode()):
        responses[asset] = client.get(asset)
    return {
        path: (b"".join(r.streaming_content) if r.streaming else r.content, r.status_code, r["Content-Type"])
        for path, r in responses.items()
    }


def open_page(browser: Any, bodies: Bodies, url: str, viewport: dict[str, int]) -> Any:
    """A Chromium page showing the fetched `url`; no live server, no network."""

    def answer(route: Any) -> None:
        path = route.request.url.removeprefix("http://testserver")
        body, status, content_type = bodies.get(path, (b"", 404, "text/plain"))
        route.fulfill(status=status, body=body, content_type=content_type)

    page = browser.new_page(viewport=viewport)
    page.route("http://testserver/**", answer)
    page.goto(f"http://testserver{url}")
    return page


def pdf_pages(page: Any) -> int:
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


DESKTOP = {"width": 1000, "height": 1400}
PHONE = {"width": 375, "height": 800}


@pytest.mark.browser
def test_each_sheet_prints_on_exactly_one_a4_page(client, world, settings):
    settings.DIXIAN_COUNTY_HOTLINE = "0797-85432100 转 8001"
    set_parameter("monitoring_line", 2024, "12345.67")  # wider figures than any real one
    set_parameter("microcredit_cap", 2024, "100000")
    client.force_login(world.county)
    sheets = {slug: f"{reverse('leaflet_sheet', args=[slug])}?year=2024" for slug in SHEETS}
    fetched = {url: fetch(client, url) for url in [*sheets.values(), f"{ALL}?year=2024"]}
    with chromium() as browser:
        for slug, url in sheets.items():
            page = open_page(browser, fetched[url], url, DESKTOP)
            assert pdf_pages(page) == 1, slug
            page.emulate_media(media="print")
            assert page.locator(".leaflet-toolbar").is_hidden()
            assert page.locator("#leaflet-missing").is_hidden()  # 农村低保标准 is missing
            page.close()
        page = open_page(browser, fetched[f"{ALL}?year=2024"], f"{ALL}?year=2024", DESKTOP)
        assert pdf_pages(page) == len(SHEETS)  # one page each: page-break-after per sheet


@pytest.mark.browser
def test_the_list_and_the_sheets_fit_a_phone_screen(client, world):
    client.force_login(world.village_a1_user)
    fetched = {url: fetch(client, url) for url in (INDEX, POLICIES, APPLICATION)}
    with chromium() as browser:
        for url, bodies in fetched.items():
            page = open_page(browser, bodies, url, PHONE)
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
            page.close()
