"""The identification journey on a phone-sized screen: a village user opens a clue, visits,
assesses and publicises (backdated, so the 公示 has ended); a township user reviews; a
county user approves; the household then shows the case as approved.

Skipped when /usr/bin/chromium is missing, except under CI (env var CI set)."""

from __future__ import annotations

import datetime as dt

import pytest

from dixian.testing.browser import require_chromium

require_chromium()

from playwright.sync_api import Browser, Page, expect  # noqa: E402

from dixian.monitoring.models import MonitoringCase  # noqa: E402
from dixian.testing.browser import (  # noqa: E402
    PHONE,
    chromium,
    fits_the_screen,
    log_in,
    log_out,
    screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def browser():
    with chromium() as browser:
        yield browser


def days_ago(n: int) -> str:
    return (dt.date.today() - dt.timedelta(days=n)).isoformat()


def submit(page: Page, card: str) -> None:
    page.locator(f"{card} button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_be_visible()


def test_village_township_county_identify_a_household(live_server, world, browser: Browser):
    base = live_server.url
    page = browser.new_page(viewport=PHONE, reduced_motion="reduce")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    log_in(page, base, "village_a1")
    page.goto(f"{base}/households/{world.a1.pk}/")
    page.get_by_role("link", name="新建线索").click()
    page.select_option("#id_source", "基层干部排查")
    page.fill("#id_opened_on", days_ago(12))
    page.get_by_role("button", name="登记线索").click()
    expect(page.locator("#case-status")).to_have_text("线索待核实")
    case = MonitoringCase.objects.get(household=world.a1)

    page.fill("#step-visit #id_visited_on", days_ago(11))
    page.fill("#step-visit #id_findings", "户主患病住院，自付医疗费用高")
    page.check("#step-visit #id_authorisation_signed")
    submit(page, "#step-visit")
    expect(page.locator("#case-status")).to_have_text("已入户核实")

    card = "#step-assess"
    page.fill(f"{card} #id_sat_on", days_ago(10))
    page.fill(f"{card} #id_report_number", "上犹核对〔2026〕017号")
    page.fill(f"{card} #id_report_date", days_ago(10))
    page.check(f"{card} input[name=include][value='1']")
    page.select_option(f"{card} #id_category", "突发严重困难户")
    page.check(f"{card} input[name=risk_types][value='因病']")
    page.check(f"{card} input[name=relief][value='none']")
    page.fill(f"{card} #id_relief_reason", "收入高于低保标准")
    screenshot(page, "workflow_assess_375")
    assert fits_the_screen(page)
    submit(page, card)

    page.fill("#step-publicise #id_starts_on", days_ago(8))
    page.fill("#step-publicise #id_ends_on", days_ago(2))
    submit(page, "#step-publicise")
    expect(page.locator("#case-status")).to_have_text("公示中")
    log_out(page)

    log_in(page, base, "town_a")
    page.goto(f"{base}/monitoring/cases/{case.pk}/")
    page.check("#step-township_review input[name=approve][value='1']")
    submit(page, "#step-township_review")
    expect(page.locator("#case-status")).to_have_text("乡镇已审核")
    log_out(page)

    log_in(page, base, "county")
    page.goto(f"{base}/monitoring/cases/")
    page.get_by_role("link", name=world.a1.number).click()
    submit(page, "#step-county_decision")
    expect(page.locator("#case-status")).to_have_text("已审定纳入")
    screenshot(page, "workflow_approved_375")
    assert fits_the_screen(page)

    page.goto(f"{base}/households/{world.a1.pk}/")
    expect(page.locator("#cases")).to_contain_text("已审定纳入")
    expect(page.locator("#cases")).to_contain_text("突发严重困难户")
    assert errors == []
