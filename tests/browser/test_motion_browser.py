"""A technique's animation in a real browser: it plays until paused with a large control (mouse, touch
or keyboard), and readers who ask for less motion, or print, get the still picture instead."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

URL = "/techniques/kneading/"


def animated(page):
    return page.locator(".motion-animated img")


def still(page):
    return page.locator(".motion-still img")


def loaded(image):
    return image.evaluate("img => img.complete && img.naturalWidth > 0")


def assert_big_enough(control):
    box = control.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44, box


def test_animation_plays_until_the_pause_control_shows_the_still(page, live_server, seeded):
    page.goto(live_server.url + URL)
    expect(animated(page)).to_be_visible()
    expect(still(page)).to_be_hidden()
    assert loaded(animated(page))  # the SVG with its own <style> is not blocked by the page's CSP

    pause = page.get_by_role("checkbox", name="Pause the animation")
    expect(pause).not_to_be_checked()
    control = page.locator("label", has_text="Pause the animation")
    assert_big_enough(control)
    control.click()

    expect(pause).to_be_checked()
    expect(still(page)).to_be_visible()
    expect(animated(page)).to_be_hidden()
    assert loaded(still(page))

    control.click()
    expect(animated(page)).to_be_visible()
    expect(still(page)).to_be_hidden()


def test_keyboard_reaches_the_pause_control_and_shows_its_focus(page, live_server, seeded):
    page.goto(live_server.url + URL)
    pause = page.get_by_role("checkbox", name="Pause the animation")
    for _ in range(40):
        page.keyboard.press("Tab")
        if pause.evaluate("box => box === document.activeElement"):
            break
    expect(pause).to_be_focused()
    outline = page.locator(".motion-control").evaluate("label => getComputedStyle(label).outlineStyle")
    assert outline == "solid"

    page.keyboard.press("Space")
    expect(pause).to_be_checked()
    expect(still(page)).to_be_visible()
    expect(animated(page)).to_be_hidden()


def test_pause_control_can_be_tapped_on_a_phone(phone_page, live_server, seeded):
    phone_page.goto(live_server.url + URL)
    expect(animated(phone_page)).to_be_visible()
    control = phone_page.locator(".motion-control")
    assert_big_enough(control)
    control.tap()
    expect(still(phone_page)).to_be_visible()
    expect(animated(phone_page)).to_be_hidden()


def test_readers_who_ask_for_less_motion_see_the_still_and_no_control(browser, live_server, seeded):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    try:
        page.goto(live_server.url + URL)
        expect(still(page)).to_be_visible()
        expect(animated(page)).to_be_hidden()
        expect(page.locator(".motion-control")).to_be_hidden()
        expect(page.locator(".motion-pause")).to_be_hidden()  # nothing to pause: not a tab stop either
    finally:
        context.close()


def test_the_still_prints_not_the_animation(page, live_server, seeded):
    page.goto(live_server.url + URL)
    page.emulate_media(media="print")
    expect(still(page)).to_be_visible()
    expect(animated(page)).to_be_hidden()
    expect(page.locator(".motion-control")).to_be_hidden()
