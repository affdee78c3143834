"""Term previews in a real browser (WCAG 1.4.13): hover, keyboard focus and tap open them; they
stay on screen, can be reached by the pointer and are closed by Escape; on a phone they are a
sheet with Close and "Read more" that keeps clear of guided mode."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from routines.models import Routine

pytestmark = pytest.mark.browser

# In one round trip: where the preview is, whether the page scrolls sideways, and the pointer's
# way onto it (from the line of the link nearest the preview, through the gap between them).
GEOMETRY = """tip => {
  const r = tip.getBoundingClientRect(), lines = tip.previousElementSibling.getClientRects();
  const above = r.bottom <= lines[0].top, line = above ? lines[0] : lines[lines.length - 1], x = line.left + 3;
  return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: innerWidth, height: innerHeight,
          sideways: document.documentElement.scrollWidth > innerWidth,
          link: [x, (line.top + line.bottom) / 2],
          gap: [x, above ? (r.bottom + line.top) / 2 : (line.bottom + r.top) / 2],
          middle: [(r.left + r.right) / 2, (r.top + r.bottom) / 2]};
}"""


def routine_paths():
    return [routine.get_absolute_url() for routine in Routine.objects.published()]


def tip_of(link):
    return link.page.locator(f"#{link.get_attribute('aria-describedby')}")


def assert_on_screen(tip, where):
    box = tip.evaluate(GEOMETRY)
    assert not box["sideways"], f"{where}: the page scrolls sideways"
    assert box["left"] >= 0 and box["right"] <= box["width"], f"{where}: off the side {box}"
    assert box["top"] >= 0 and box["bottom"] <= box["height"], f"{where}: off the top or bottom {box}"
    return box


def overlaps(a, b):
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.clock.install()  # the hide delay runs on a clock the test moves on
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_legs_routine_previews_each_linked_definition_on_hover(page, live_server, seeded):
    page.goto(f"{live_server.url}/routines/legs/")
    for slug, words in [("effleurage", "flat hands"), ("kneading", "fingertips and thumbs"), ("pummelling", "fist")]:
        link = page.locator(f'.steps a.term-link[href="/techniques/{slug}/"]').first
        tip = tip_of(link)
        assert not tip.is_visible()
        link.hover()
        assert tip.is_visible() and words in tip.inner_text()
        page.mouse.move(0, 0)


def test_every_desktop_preview_stays_on_screen_holds_under_the_pointer_and_closes_on_escape(
    desktop, live_server, seeded
):
    page = desktop
    for path in routine_paths():
        page.goto(f"{live_server.url}{path}")
        links = page.locator("main a.term-link")
        assert links.count(), f"{path} links no terms"
        for i in range(links.count()):
            link = links.nth(i)
            tip, where = tip_of(link), f"{path} {link.inner_text()!r}"
            link.hover()
            expect(tip).to_be_visible()
            box = assert_on_screen(tip, where)

            # From the link, into the gap (which must count as the preview), onto the preview: it stays.
            page.mouse.move(*box["link"])
            page.mouse.move(*box["gap"])
            page.clock.run_for(1000)
            assert tip.is_visible(), f"{where}: the preview closed with the pointer in the gap"
            page.mouse.move(*box["middle"], steps=2)
            page.clock.run_for(1000)
            assert tip.is_visible(), f"{where}: the preview closed under the pointer"
            page.keyboard.press("Escape")
            assert not tip.is_visible(), f"{where}: Escape left the hovered preview open"
            page.mouse.move(0, 0)

            link.focus()
            assert tip.is_visible(), f"{where}: focus did not open the preview"
            page.keyboard.press("Escape")
            assert not tip.is_visible(), f"{where}: Escape left the focused preview open"
            link.blur()


def test_preview_closes_a_moment_after_the_pointer_leaves(desktop, live_server, seeded):
    desktop.goto(f"{live_server.url}/routines/legs/")
    link = desktop.locator(".steps a.term-link").first
    link.hover()
    desktop.mouse.move(0, 0)
    assert tip_of(link).is_visible()  # the grace to cross over to it
    desktop.clock.run_for(1000)
    assert not tip_of(link).is_visible()


def test_focus_keeps_the_preview_open_when_the_pointer_leaves(desktop, live_server, seeded):
    desktop.goto(f"{live_server.url}/routines/legs/")
    link = desktop.locator(".steps a.term-link").first
    link.focus()
    link.hover()
    desktop.mouse.move(0, 0)
    desktop.clock.run_for(1000)
    assert tip_of(link).is_visible()
    desktop.keyboard.press("Tab")
    assert not tip_of(link).is_visible()


def test_keyboard_focus_shows_the_preview_and_escape_hides_it(page, live_server, seeded):
    page.goto(f"{live_server.url}/routines/legs/")
    link = page.locator(".steps a.term-link").first
    tip = tip_of(link)
    link.focus()
    assert tip.is_visible()
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    expect(link).to_be_focused()


def test_escape_closes_the_preview_before_it_closes_guided_mode(page, live_server, seeded):
    page.goto(f"{live_server.url}/routines/legs/")
    page.locator("#guided-start").click()
    player = page.locator("#guided-player")
    expect(player).to_be_visible()
    link = page.locator(".prose a.term-link").first
    link.focus()
    assert tip_of(link).is_visible()
    page.keyboard.press("Escape")
    assert not tip_of(link).is_visible()
    expect(player).to_be_visible()
    page.keyboard.press("Escape")
    expect(player).to_be_hidden()


def test_first_tap_previews_and_second_tap_opens_the_term(phone_page, live_server, seeded):
    phone_page.goto(f"{live_server.url}/routines/legs/")
    link = phone_page.locator('.steps a.term-link[href="/techniques/kneading/"]').first
    tip = tip_of(link)
    link.tap()
    assert tip.is_visible() and "/routines/legs/" in phone_page.url
    link.tap()
    phone_page.wait_for_url("**/techniques/kneading/")


def test_every_phone_sheet_fits_the_screen_keeps_clear_of_guided_mode_and_closes(phone, live_server, seeded):
    page = phone
    for path in routine_paths():
        page.goto(f"{live_server.url}{path}")
        start = page.locator("#guided-start")
        links = page.locator("main a.term-link")
        for i in range(links.count()):
            link = links.nth(i)
            tip, where = tip_of(link), f"{path} {link.inner_text()!r}"
            link.tap()
            expect(tip).to_be_visible()
            assert page.url.endswith(path), f"{where}: the first tap left the page"
            assert_on_screen(tip, where)
            sheet = tip.bounding_box()
            assert not overlaps(sheet, start.bounding_box()), f"{where}: the sheet covers Start guided mode"

            name = tip.locator("strong").inner_text()
            more = tip.get_by_role("link", name=f"Read more about {name}")
            assert more.get_attribute("href") == link.get_attribute("href"), where
            close = tip.get_by_role("button", name="Close")
            size = close.bounding_box()
            assert size["width"] >= 44 and size["height"] >= 44, f"{where}: Close is too small to tap"
            close.tap()
            assert not tip.is_visible(), f"{where}: Close left the sheet open"


def test_phone_sheet_moves_to_the_top_rather_than_cover_the_start_button(phone, live_server, seeded):
    phone.goto(f"{live_server.url}/routines/legs/")
    start = phone.locator("#guided-start")
    # Start guided mode at the foot of the screen, a term of the introduction above it.
    phone.evaluate("window.scrollBy(0, document.getElementById('guided-start').getBoundingClientRect().bottom - 732)")
    link = phone.locator(".prose a.term-link").last
    assert link.bounding_box()["y"] < start.bounding_box()["y"]
    link.tap()
    tip = tip_of(link)
    expect(tip).to_be_visible()
    assert not overlaps(tip.bounding_box(), start.bounding_box())
    assert not overlaps(tip.bounding_box(), link.bounding_box())
    assert tip.bounding_box()["y"] < link.bounding_box()["y"]


def test_phone_sheet_closes_on_escape_and_when_guided_mode_starts(phone, live_server, seeded):
    phone.goto(f"{live_server.url}/routines/legs/")
    link = phone.locator(".prose a.term-link").first
    link.tap()
    expect(tip_of(link)).to_be_visible()
    phone.keyboard.press("Escape")
    assert not tip_of(link).is_visible()

    link.tap()
    expect(tip_of(link)).to_be_visible()
    phone.locator("#guided-start").tap()
    expect(phone.locator("#guided-player")).to_be_visible()
    assert not tip_of(link).is_visible()


def test_without_javascript_terms_are_plain_links(browser, live_server, seeded):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/routines/legs/")
        link = page.locator('.steps a.term-link[href="/techniques/kneading/"]').first
        link.hover()
        assert not tip_of(link).is_visible()
        link.click()
        page.wait_for_url("**/techniques/kneading/")
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("phone_screen", [False, True], ids=["desktop", "phone"])
def test_an_open_preview_has_no_wcag_violations(browser, live_server, seeded, scheme, phone_screen):
    size = {"width": 360, "height": 740} if phone_screen else {"width": 1280, "height": 800}
    context = browser.new_context(
        viewport=size, color_scheme=scheme, is_mobile=phone_screen, has_touch=phone_screen, bypass_csp=True
    )
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/routines/legs/")
        link = page.locator(".steps a.term-link").first
        if phone_screen:
            link.tap()
        else:
            link.hover()
        expect(tip_of(link)).to_be_visible()
        tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]})
        assert not results.response["violations"], results.generate_report()
    finally:
        context.close()
