"""What the browser tests share: the Chromium they drive, its launch, and the steps every
journey takes (sign in and out, "does the page fit a phone", optional screenshots).

Chromium is Debian's /usr/bin/chromium. Without it a browser test is skipped on a
developer's machine and fails under CI (env var CI set), where `.ci/run` installs it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from dixian.testing.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 800}


def require_chromium() -> None:
    """Skip (or, under CI, fail) the calling test module when Chromium is missing."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: browser tests must run in CI", pytrace=False)
    pytest.skip(f"{CHROMIUM} not installed: browser tests skipped", allow_module_level=True)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium for the duration of the block."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshot(page: Any, name: str) -> None:
    """Keep a full-page screenshot when DIXIAN_SCREENSHOTS names a folder."""
    folder = os.environ.get("DIXIAN_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def log_out(page: Any) -> None:
    from playwright.sync_api import expect

    page.click(".navbar-toggler")
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/login/")


def fits_the_screen(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"])
