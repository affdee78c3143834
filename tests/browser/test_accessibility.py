"""axe-core finds no WCAG 2.2 A/AA problems on the main pages, in the light and the dark theme,
on a desktop screen and on a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# WCAG 2.0, 2.1 and 2.2, levels A and AA (axe's own names for them).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

PAGES = {
    "home": "/",
    "glossary": "/techniques/",
    "technique": "/techniques/kneading/",
    "routines": "/routines/",
    "routine": "/routines/legs/",
    "plan": "/plan/?r=neck&r=legs",
    "empty plan": "/plan/",
    "search": "/search/?q=kneading",
    "search corrected": "/search/?q=kneeding",
    "search nothing found": "/search/?q=xq+zzv",
    "search page result": "/search/?q=pregnant",
    "safety": "/pages/safety/",
    "about": "/about/",
    "contributor": "/about/people/editorial-team/",
    "not found": "/no-such-page/",
}

axe = Axe()


def open_page(browser, scheme, width=1280, height=900, phone=False):
    """A fresh page in the given colour scheme; CSP is bypassed so axe's script can be injected."""
    context = browser.new_context(
        viewport={"width": width, "height": height},
        color_scheme=scheme,
        is_mobile=phone,
        has_touch=phone,
        bypass_csp=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def axe_violations(page):
    """Run axe with the WCAG A/AA rules; a readable report of what it found, or "" when nothing."""
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    lines = []
    for violation in results.response["violations"]:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node.get('failureSummary', '')}".rstrip())
    return "\n".join(lines)


@pytest.fixture(params=["light", "dark"])
def scheme(request):
    return request.param


@pytest.mark.parametrize("url", PAGES.values(), ids=PAGES.keys())
def test_page_has_no_wcag_violations(browser, live_server, seeded, scheme, url):
    context, page = open_page(browser, scheme)
    try:
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == (404 if url == PAGES["not found"] else 200)
        report = axe_violations(page)
        assert not report, f"axe found problems on {url} ({scheme}):\n{report}"
    finally:
        context.close()


def test_routine_in_guided_mode_has_no_wcag_violations(browser, live_server, seeded, scheme):
    context, page = open_page(browser, scheme)
    try:
        page.goto(f"{live_server.url}/routines/legs/")
        page.locator("#guided-start").click()
        expect(page.locator("#guided-player")).to_be_visible()
        page.get_by_role("button", name="Pause").click()  # a still page: the clock would keep changing it
        report = axe_violations(page)
        assert not report, f"axe found problems in guided mode ({scheme}):\n{report}"
    finally:
        context.close()


@pytest.mark.parametrize("url", [PAGES["home"], PAGES["plan"], "/routines/legs/"], ids=["home", "plan", "routine"])
def test_phone_screen_has_no_wcag_violations(browser, live_server, seeded, scheme, url):
    """At 360 px the body map is at its smallest: its areas must stay big enough to tap."""
    context, page = open_page(browser, scheme, width=360, height=780, phone=True)
    try:
        page.goto(f"{live_server.url}{url}")
        report = axe_violations(page)
        assert not report, f"axe found problems on {url} at 360 px ({scheme}):\n{report}"
    finally:
        context.close()


def test_body_map_shows_keyboard_focus_and_each_area_leads_to_its_routine(page, live_server, seeded):
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="Search").focus()  # the last stop in the header, just before the map
    page.keyboard.press("Tab")
    neck = page.get_by_role("link", name="Neck routine")
    expect(neck).to_be_focused()
    shape = neck.locator(".map-shape")
    assert shape.evaluate("el => getComputedStyle(el).strokeWidth") == "4px"
    assert shape.evaluate("el => getComputedStyle(el).strokeDasharray") == "none"
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/routines/neck/")

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Lower back routine").click()
    expect(page).to_have_url(f"{live_server.url}/routines/lower-back/")


def test_body_map_areas_can_be_tapped_on_a_phone(phone_page, live_server, seeded):
    phone_page.goto(f"{live_server.url}/")
    assert phone_page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    feet = phone_page.get_by_role("link", name="Feet routine")
    feet.scroll_into_view_if_needed()
    box = feet.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    # The feet are two shapes: tap the left one (the middle of the box is the gap between them).
    phone_page.touchscreen.tap(box["x"] + box["width"] * 0.2, box["y"] + box["height"] / 2)
    expect(phone_page).to_have_url(f"{live_server.url}/routines/feet/")
