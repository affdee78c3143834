""" "Done today" in a real browser: a reader ticks a routine at the end of guided mode (or from the
plain button under the steps), the plan page lists it for today, "Forget all" clears it, the tick
never leaves the browser, and without JavaScript none of these controls appear."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def watch_requests(page):
    """Every request the page makes from now on, as (resource type, URL)."""
    seen = []
    page.on("request", lambda request: seen.append((request.resource_type, request.url)))
    return seen


def test_ticked_at_the_end_of_guided_mode_shows_on_the_plan_and_is_never_sent(page, live_server, seeded):
    page.goto(f"{live_server.url}/routines/legs/?speed=600")
    page.get_by_role("button", name="Start guided mode").click()
    done_panel = page.locator("#player-done")
    expect(done_panel.get_by_role("heading", name="Well done — routine finished")).to_be_visible(timeout=20_000)

    # One "Done today" at a time: the plain one under the steps gives way while guided mode is on.
    expect(page.locator(".steps-section > .done-today")).to_be_hidden()
    requests = watch_requests(page)
    tick = done_panel.get_by_role("button", name="Done today")
    expect(tick).to_have_attribute("aria-pressed", "false")
    tick.click()
    expect(tick).to_have_attribute("aria-pressed", "true")
    page.wait_for_timeout(500)
    assert requests == [], f"ticking sent requests: {requests}"
    today = page.evaluate("new Date().toLocaleDateString('sv')")
    assert page.evaluate("JSON.parse(localStorage.getItem('done-ticks'))") == {"legs": [today]}

    requests = watch_requests(page)
    page.goto(f"{live_server.url}/plan/")
    ticks = page.get_by_role("region", name="Done in the last 14 days")
    expect(ticks).to_contain_text("Your ticks stay in this browser; nothing is sent to us.")
    expect(ticks.get_by_role("listitem")).to_have_count(1)
    listed = ticks.get_by_role("listitem")
    expect(listed).to_have_text(re.compile(r"^Legs.*: done on 1 of the last 14 days \(today\)$"))
    expect(page.locator("#ticks-none")).to_be_hidden()
    # Only the page's own navigation and its static files: nothing carries the ticks away.
    assert all(kind == "document" or "/static/" in url for kind, url in requests), requests
    assert all(url.startswith(live_server.url) for _, url in requests), requests

    page.get_by_role("button", name="Forget all").click()
    expect(ticks.get_by_role("listitem")).to_have_count(0)
    expect(page.locator("#ticks-none")).to_be_visible()
    expect(page.locator("#ticks-status")).to_have_text("All ticks forgotten.")
    assert page.evaluate("localStorage.getItem('done-ticks')") is None


def test_plain_button_under_the_steps_ticks_and_unticks_without_guided_mode(page, live_server, seeded):
    page.goto(f"{live_server.url}/routines/neck/")
    tick = page.locator(".steps-section > .done-today").get_by_role("button", name="Done today")
    expect(tick).to_be_visible()
    tick.click()
    expect(tick).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(tick).to_have_attribute("aria-pressed", "true")
    tick.click()
    expect(tick).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("localStorage.getItem('done-ticks')") == "{}"


def test_old_ticks_are_pruned_to_fourteen_days(page, live_server, seeded):
    page.goto(f"{live_server.url}/plan/")
    page.evaluate(
        """() => {
          const ago = (n) => { const d = new Date(); d.setDate(d.getDate() - n); return d.toLocaleDateString('sv'); };
          const ticks = {legs: [ago(1), ago(13), ago(14), ago(30)], feet: [ago(20)]};
          localStorage.setItem('done-ticks', JSON.stringify(ticks));
        }"""
    )
    page.reload()
    item = page.get_by_role("region", name="Done in the last 14 days").get_by_role("listitem")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("done on 2 of the last 14 days (yesterday, ")
    assert list(page.evaluate("JSON.parse(localStorage.getItem('done-ticks'))")) == ["legs"]


def test_without_javascript_the_tick_controls_do_not_appear(browser, live_server, seeded):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/routines/legs/")
        expect(page.get_by_role("button", name="Done today")).to_have_count(0)
        expect(page.locator(".done-today").first).to_be_hidden()
        page.goto(f"{live_server.url}/plan/")
        expect(page.get_by_role("button", name="Forget all")).to_have_count(0)
        expect(page.get_by_text("Done in the last 14 days")).to_be_hidden()
    finally:
        context.close()
