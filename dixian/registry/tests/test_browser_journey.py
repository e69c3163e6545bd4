"""A township user's journey on a phone-sized screen, in headless Chromium.

Skipped when /usr/bin/chromium is missing, except under CI (env var CI set), where a
missing browser is a failure. Set DIXIAN_SCREENSHOTS=<dir> to keep screenshots.
"""

from __future__ import annotations

import re

import pytest

from dixian.monitoring.models import MonitoringCase
from dixian.testing import factories as f
from dixian.testing.browser import require_chromium

require_chromium()

from playwright.sync_api import Browser, expect  # noqa: E402

from dixian.testing.browser import PHONE, chromium, fits_the_screen, log_in, log_out, screenshot  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def browser():
    with chromium() as browser:
        yield browser


def test_township_user_filters_opens_household_and_other_township_gets_404(
    live_server, world, browser: Browser
):
    for n in range(8):  # a list long enough to look like one
        extra = f.HouseholdFactory(area=world.village_a1 if n % 2 else world.village_a2)
        f.PersonFactory(household=extra)
        f.IncomeFactory(household=extra, wage=9000 + 1000 * n)
    MonitoringCase.objects.create(household=world.a1, category="脱贫不稳定户", identified_on="2024-04-01")
    base = live_server.url
    page = browser.new_page(viewport=PHONE, reduced_motion="reduce")  # no collapse animation
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    log_in(page, base, "town_a")
    expect(page.locator("#stat-households")).to_have_text("11")
    screenshot(page, "home_375")
    assert fits_the_screen(page)

    page.goto(f"{base}/households/")
    expect(page.locator("#household-table tbody tr")).to_have_count(11)
    screenshot(page, "household_list_375")
    assert fits_the_screen(page)

    page.get_by_role("button", name="筛选").click()
    expect(page.locator("#filters")).to_have_class(re.compile(r"\bshow\b"))
    page.select_option("#id_village", world.village_a1.code)
    page.select_option("#id_monitoring_category", "any")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(r"/households/\?.*village=" + world.village_a1.code))
    rows = page.locator("#household-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(world.a1.number)
    expect(page.locator("#id_village")).to_have_value(world.village_a1.code)  # filters kept
    screenshot(page, "household_list_filtered_375")

    page.get_by_role("link", name=world.a1.number).click()
    page.wait_for_url(f"{base}/households/{world.a1.pk}/")
    person = world.a1.members.get()
    masked = f"{person.id_number[:4]}**********{person.id_number[-4:]}"
    expect(page.locator("#members-table")).to_contain_text(masked)
    assert person.id_number not in page.content()
    expect(page.locator("#income-chart canvas")).to_have_count(1)  # ECharts drew from the static file
    screenshot(page, "household_detail_375")
    assert fits_the_screen(page)
    assert errors == []

    log_out(page)
    log_in(page, base, "town_b")
    response = page.goto(f"{base}/households/{world.a1.pk}/")
    assert response is not None and response.status == 404
