"""Term previews in a real browser: hover, keyboard focus, tap, and Escape to dismiss."""

import pytest

pytestmark = pytest.mark.browser


def test_legs_routine_previews_each_linked_definition_on_hover(page, live_server, seeded):
    page.goto(f"{live_server.url}/routines/legs/")
    for slug, words in [("effleurage", "flat hands"), ("kneading", "fingertips and thumbs"), ("pummelling", "fist")]:
        link = page.locator(f'.steps a.term-link[href="/techniques/{slug}/"]').first
        tip = page.locator(f"#{link.get_attribute('aria-describedby')}")
        assert not tip.is_visible()
        link.hover()
        assert tip.is_visible() and words in tip.inner_text()
        page.mouse.move(0, 0)


def test_keyboard_focus_shows_the_preview_and_escape_hides_it(page, live_server, seeded):
    page.goto(f"{live_server.url}/routines/legs/")
    link = page.locator(".steps a.term-link").first
    tip = page.locator(f"#{link.get_attribute('aria-describedby')}")
    link.focus()
    assert tip.is_visible()
    page.keyboard.press("Escape")
    assert not tip.is_visible()


def test_first_tap_previews_and_second_tap_opens_the_term(phone_page, live_server, seeded):
    phone_page.goto(f"{live_server.url}/routines/legs/")
    link = phone_page.locator('.steps a.term-link[href="/techniques/kneading/"]').first
    tip = phone_page.locator(f"#{link.get_attribute('aria-describedby')}")
    link.tap()
    assert tip.is_visible() and "/routines/legs/" in phone_page.url
    link.tap()
    phone_page.wait_for_url("**/techniques/kneading/")
