"""Headless Chromium for browser tests: Debian's /usr/bin/chromium, never a downloaded browser."""

import os

import pytest
from django.core.management import call_command

from checks.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

# Playwright's sync API runs an event loop in this thread; the tests only touch the
# database between browser calls, so Django's async-safety guard can stand down.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# A page action waits up to 15 s (below); so do assertions. Playwright's own 5 s for
# `expect` was too short when CI runs both suites at once on a busy machine.
EXPECT_TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not installed at {CHROMIUM} (apt-get install chromium); CI installs it")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(EXPECT_TIMEOUT_MS)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(EXPECT_TIMEOUT_MS)
    yield page
    context.close()


@pytest.fixture
def editors_group(transactional_db):
    """The Editors group, made again as `migrate` makes it. Browser tests empty the database
    after each test, which takes away what data migrations created, such as this group."""
    call_command("migrate", "massage_site", "0001", verbosity=0)
    call_command("migrate", "massage_site", verbosity=0)


@pytest.fixture
def sign_in(live_server, editor_password):
    """``sign_in(page, username="editor")``: signs in through the admin's form as an editor made
    with the `editor` fixture's password (by that fixture, or by `create_editor` in the test)."""

    def sign_in(page, username="editor"):
        page.goto(f"{live_server.url}/admin/")
        page.fill("#id_username", username)
        page.fill("#id_password", editor_password)
        page.click("input[type=submit]")
        page.wait_for_selector("#site-name")

    return sign_in
