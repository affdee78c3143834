"""Feedback in a real browser: without script the form posts and a page thanks the reader; with
script the thanks (or the reason nothing was sent) shows in place, without leaving the page."""

import pytest
from playwright.sync_api import expect

from massage_site import feedback as feedback_view
from massage_site.models import Feedback
from routines.models import Routine

pytestmark = pytest.mark.browser


@pytest.fixture
def page_without_script(browser):
    context = browser.new_context(viewport={"width": 360, "height": 780}, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_reader_without_script_sends_feedback_and_is_thanked(page_without_script, live_server, seeded):
    page = page_without_script
    page.goto(f"{live_server.url}/routines/neck/")
    form = page.get_by_role("group", name="Was this page helpful?")
    form.get_by_label("Yes").check()
    form.get_by_label("Anything to add?").fill("Clear steps, thank you.")
    form.get_by_role("button", name="Send").click()

    expect(page.get_by_role("heading", name="Thank you", level=1)).to_be_visible()
    page.get_by_role("link", name="Back to Neck").click()
    expect(page.get_by_role("heading", name="Neck", level=1)).to_be_visible()
    (feedback,) = Feedback.objects.all()
    assert feedback.item == Routine.objects.get(slug="neck")
    assert feedback.helpful is True and feedback.comment == "Clear steps, thank you."


def test_a_reader_with_script_is_thanked_in_place_without_leaving_the_page(page, live_server, seeded):
    page.goto(f"{live_server.url}/techniques/kneading/")
    page.evaluate("window.stillHere = true")  # gone if the browser loads another page
    form = page.get_by_role("group", name="Was this page helpful?")
    form.get_by_label("Yes").check()
    form.get_by_label("Anything to add?").fill("Now I know what kneading is.")
    form.get_by_role("button", name="Send").click()

    thanks = form.get_by_text("Thank you. Your answer helps us make this guide better.")
    expect(thanks).to_be_focused()
    expect(form.get_by_role("button", name="Send")).to_have_count(0)
    assert page.url == f"{live_server.url}/techniques/kneading/" and page.evaluate("window.stillHere") is True
    (feedback,) = Feedback.objects.all()
    assert feedback.item.slug == "kneading"
    assert feedback.helpful is True and feedback.comment == "Now I know what kneading is."


def test_a_refused_answer_says_why_in_place_and_keeps_the_form(page, live_server, seeded, monkeypatch):
    monkeypatch.setattr(feedback_view, "POSTS_PER_MINUTE", 0)  # the live server runs in this process
    page.goto(f"{live_server.url}/routines/neck/")
    form = page.get_by_role("group", name="Was this page helpful?")
    form.get_by_label("No").check()
    form.get_by_role("button", name="Send").click()

    expect(form.get_by_role("alert")).to_have_text(
        "Not sent. That was a lot of feedback at once: please try again in a minute."
    )
    expect(form.get_by_role("button", name="Send")).to_be_enabled()
    assert page.url == f"{live_server.url}/routines/neck/" and not Feedback.objects.exists()
