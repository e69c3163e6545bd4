"""The ledger journey on a phone-sized screen: a township user opens its ledger, verifies
two rows (one with a data correction, one with an income-increase measure) and submits;
the county user then sees the township's ledger 已报送.

Skipped when /usr/bin/chromium is missing, except under CI (env var CI set)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dixian.testing.browser import require_chromium

require_chromium()

from playwright.sync_api import Browser, Page, expect  # noqa: E402

from dixian.income.ledger import services  # noqa: E402
from dixian.income.models import IncomeLedger, IncomeLedgerRow  # noqa: E402
from dixian.income.tests.ledger_builders import YEAR, declined_world, measure, monitored  # noqa: E402
from dixian.registry.models import HouseholdIncome  # noqa: E402
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


def open_row(page: Page, number: str) -> None:
    page.get_by_role("link", name=number).click()
    expect(page.locator("#row-form")).to_be_visible()


def save(page: Page) -> None:
    page.locator("#row-form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_be_visible()


def test_township_verifies_two_rows_and_submits_then_county_sees_it(live_server, world, browser: Browser):
    declined_world(world)
    monitored(world.a2)  # a monitored 一般农户 that fell: in P(Y)
    job = measure(world.a2, "就业帮扶", "推荐到县工业园务工")
    services.ledger_generate(year=YEAR, actor=world.county)
    base = live_server.url
    page = browser.new_page(viewport=PHONE, reduced_motion="reduce")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    log_in(page, base, "town_a")
    page.goto(f"{base}/income/ledger/")
    expect(page.locator("h1")).to_contain_text("东山镇")
    expect(page.locator("#count-pending")).to_have_text("2")
    screenshot(page, "ledger_township_375")
    assert fits_the_screen(page)

    open_row(page, world.a1.number)  # the 2025 wage was entered short: correct it
    page.select_option("#id_status", "verified")
    page.select_option("#id_cause", "数据录入错误")
    page.check("#id_data_error")
    page.fill("#id_wage", "21000")
    page.fill("#id_correction_reason", "务工收入漏录一个季度")
    assert fits_the_screen(page)
    save(page)

    open_row(page, world.a2.number)
    page.select_option("#id_status", "verified")
    page.select_option("#id_cause", "务工减少")
    page.fill("#id_verified_income", "8000")
    page.get_by_label("就业帮扶 推荐到县工业园务工").check()
    save(page)
    expect(page.locator("#count-verified")).to_have_text("2")

    page.locator("#ledger-submit button").click()
    expect(page.locator(".alert-success")).to_contain_text("台账已报送")
    expect(page.locator("#ledger-status")).to_have_text("已报送")
    log_out(page)

    log_in(page, base, "county")
    page.goto(f"{base}/income/ledger/")
    expect(page.locator("#township-360724100000 .ledger-state")).to_contain_text("已报送")
    expect(page.locator("#township-360724101000 .ledger-state")).to_contain_text("未报送")
    screenshot(page, "ledger_county_375")
    assert fits_the_screen(page)
    assert errors == []

    assert IncomeLedger.objects.get(township_id="360724100000", year=YEAR).status == "submitted"
    assert HouseholdIncome.objects.get(household=world.a1, year=YEAR).per_capita_net == Decimal("10500.00")
    assert list(IncomeLedgerRow.objects.get(household=world.a2).measures.all()) == [job]
