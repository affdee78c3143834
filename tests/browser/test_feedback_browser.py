"""Feedback in a real browser, without script: the form posts, and the reader is thanked."""

import pytest
from playwright.sync_api import expect

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
