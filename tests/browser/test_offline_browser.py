"""Offline use in a real browser: a routine opened with a connection opens again in airplane mode
and its guided mode runs there, with its pictures; a page never opened shows the offline page,
which lists what is saved; back online, an edit made meanwhile shows on the very next load; and
"Keep for offline" keeps a routine until it is pressed again."""

import pytest
from playwright.sync_api import expect

from routines.models import Routine

pytestmark = [pytest.mark.browser, pytest.mark.every_backend]

SAVED = """async () => {
  const paths = [];
  for (const name of await caches.keys())
    if (/^(kept|opened)-/.test(name))
      for (const request of await (await caches.open(name)).keys())
        paths.push(name.split("-")[0] + " " + new URL(request.url).pathname);
  return paths.sort();
}"""


@pytest.fixture
def reader(browser):
    """A phone whose browser runs service workers (Playwright allows them unless told not to)."""
    context = browser.new_context(
        viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True, service_workers="allow"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def saved(page):
    return page.evaluate(SAVED)


def wait_until_saved(page, entry):
    """Until the routine is stored and the worker, done storing its pictures, looks after the page."""
    page.wait_for_function(
        f"() => ({SAVED})().then((paths) => paths.includes({entry!r}))", timeout=30_000, polling=200
    )
    page.wait_for_function("() => navigator.serviceWorker.controller?.state === 'activated'", timeout=30_000)


def test_an_opened_routine_runs_offline_and_an_edit_shows_once_back_online(reader, live_server, seeded):
    reader.goto(f"{live_server.url}/routines/neck/")
    wait_until_saved(reader, "opened /routines/neck/")

    reader.context.set_offline(True)
    reader.goto(f"{live_server.url}/routines/neck/?speed=600")
    expect(reader.get_by_role("heading", level=1)).to_have_text("Neck")
    # The page's own styles and pictures came from the store too.
    assert reader.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"
    reader.get_by_role("button", name="Start guided mode").click()
    player = reader.locator("#guided-player")
    expect(player.locator("#player-title")).not_to_be_empty()
    pictured = player.locator("#player-picture img")
    expect(pictured).to_have_count(1)
    assert pictured.evaluate("(img) => img.decode().then(() => img.naturalWidth)") > 0
    expect(player.get_by_role("heading", name="Well done — routine finished")).to_be_visible(timeout=30_000)

    # A routine never opened is not stored: the offline page says so and lists what is.
    reader.goto(f"{live_server.url}/routines/feet/")
    expect(reader.get_by_role("heading", level=1)).to_have_text("Saved for offline use")
    expect(reader.get_by_role("status")).to_contain_text("You are offline")
    listed = reader.locator("#offline-list").get_by_role("link")
    expect(listed).to_have_count(1)
    expect(listed).to_have_attribute("href", "/routines/neck/")

    neck = Routine.objects.get(slug="neck")
    neck.title = "Neck and upper back"
    neck.save()
    reader.context.set_offline(False)
    reader.goto(f"{live_server.url}/routines/neck/")
    expect(reader.get_by_role("heading", level=1)).to_have_text("Neck and upper back")


def test_keep_for_offline_keeps_a_routine_until_pressed_again(reader, live_server, seeded):
    reader.goto(f"{live_server.url}/routines/lower-back/")
    keep = reader.get_by_role("button", name="Keep for offline")
    expect(keep).to_have_attribute("aria-pressed", "false")
    keep.click()
    expect(keep).to_have_attribute("aria-pressed", "true")
    assert "kept /routines/lower-back/" in saved(reader)

    reader.goto(f"{live_server.url}/offline/")
    expect(reader.get_by_role("status")).to_be_hidden()
    expect(reader.locator("#offline-list li")).to_contain_text(["(kept)"])

    reader.goto(f"{live_server.url}/routines/lower-back/")
    expect(keep).to_have_attribute("aria-pressed", "true")
    keep.click()
    expect(keep).to_have_attribute("aria-pressed", "false")
    assert "kept /routines/lower-back/" not in saved(reader)


def test_without_script_there_is_no_keep_button_and_the_page_is_whole(browser, live_server, seeded):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/routines/neck/")
    expect(page.locator(".keep-offline")).to_be_hidden()
    expect(page.locator(".steps > .step").first).to_be_visible()
    context.close()
