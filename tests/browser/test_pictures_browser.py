"""Pages lead with pictures: the way in on the first screen, a picture on every card and result,
a header that leaves the phone screen to the content."""

import pytest

pytestmark = pytest.mark.browser

SIZES = [(360, 740), (1280, 800)]


@pytest.fixture(params=SIZES, ids=["phone", "laptop"])
def screen(request, browser):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < 500)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_the_way_in_is_on_the_first_screen_of_the_home_page(screen, live_server, seeded):
    screen.goto(f"{live_server.url}/")
    height = screen.viewport_size["height"]
    intro = screen.locator(".home-intro .lead").bounding_box()
    body_map = screen.locator(".body-map-figure").bounding_box()
    assert intro["y"] + intro["height"] <= height
    # The whole map, so every area on it can be touched without scrolling.
    assert body_map["y"] + body_map["height"] <= height
    assert screen.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_the_phone_header_is_at_most_64_px_and_search_opens_from_its_button(browser, live_server, seeded):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/routines/neck/")
    assert page.locator(".site-header").bounding_box()["height"] <= 64
    search = page.locator("#site-search")  # a combobox once its suggestions script has loaded
    closed = search.bounding_box()
    assert closed["width"] >= 44 and closed["height"] >= 44
    search.tap()
    assert search.bounding_box()["width"] > 200  # it opens across the header
    search.fill("kneading")
    search.press("Enter")
    page.wait_for_url("**/search/?q=kneading")
    assert page.locator(".results .card").count() >= 1
    context.close()


@pytest.mark.parametrize("path", ["/", "/routines/", "/search/?q=neck", "/search/?q=kneading", "/plan/?r=neck&r=feet"])
def test_every_card_and_result_has_a_picture_with_a_description(screen, live_server, seeded, path):
    screen.goto(f"{live_server.url}{path}")
    cards = screen.locator(".cards > .card")
    assert cards.count() >= 1
    for index in range(cards.count()):
        image = cards.nth(index).locator("img")
        assert image.count() == 1
        assert len(image.get_attribute("alt")) >= 20
        # Width and height are given, so the page does not shift as pictures load.
        assert image.get_attribute("width") and image.get_attribute("height")
    assert screen.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_cards_use_the_width_of_a_laptop_screen(browser, live_server, seeded):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    for path in ("/routines/", "/search/?q=knead"):
        page.goto(f"{live_server.url}{path}")
        tops = {round(box["y"]) for box in (card.bounding_box() for card in page.locator(".cards > .card").all()[:3])}
        assert len(tops) == 1, f"{path}: the first three cards should sit side by side"
    context.close()
