"""An editor uses the real admin in Chromium, and readers see the result."""

import pytest

from routines.models import Routine
from techniques.models import Technique

pytestmark = [pytest.mark.browser, pytest.mark.every_backend]


@pytest.fixture
def editor(django_user_model, transactional_db):
    return django_user_model.objects.create_superuser("editor", "editor@example.com", "a-long-test-password")


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")


def test_editor_adds_a_technique_and_edits_a_step_and_readers_see_both(page, live_server, editor, seeded):
    sign_in(page, live_server)

    # A new technique: the slug fills itself in from the name.
    page.goto(f"{live_server.url}/admin/techniques/technique/add/")
    page.locator("#id_name").press_sequentially("Palm press")
    assert page.input_value("#id_slug") == "palm-press"
    page.select_option("#id_family", "pressing")
    page.fill("#id_definition", "You press the heel of your palm into the muscle and hold.")
    page.fill("#id_how_to", "Place the heel of your hand on the muscle.\n\nLean in gently and hold.")
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    assert "was added successfully" in page.inner_text(".messagelist")
    assert Technique.objects.get(slug="palm-press").is_live

    # An existing routine: change the first step's words.
    legs = Routine.objects.get(slug="legs")
    page.goto(f"{live_server.url}/admin/routines/routine/{legs.pk}/change/")
    page.fill("#id_steps-0-instruction", "Stroke up from the ankle with both flat hands, slowly.")
    page.click("input[name=_save]")
    assert "was changed successfully" in page.inner_text(".messagelist")

    page.goto(f"{live_server.url}/routines/legs/")
    assert "Stroke up from the ankle with both flat hands, slowly." in page.inner_text("#step-1")
    page.goto(f"{live_server.url}/techniques/")
    page.click("text=Palm press")
    assert page.inner_text("h1") == "Palm press"


def test_a_broken_admin_form_shows_errors_and_saves_nothing(page, live_server, editor, seeded):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/techniques/technique/add/")
    page.fill("#id_name", "Kneading")  # already exists
    page.fill("#id_slug", "kneading")
    page.select_option("#id_family", "kneading")
    page.click("input[name=_save]")
    errors = page.inner_text(".errornote")
    assert "correct the errors" in errors.lower()
    assert "already exists" in page.inner_text(".errorlist")
    assert Technique.objects.filter(name="Kneading").count() == 1


def test_public_pages_fit_a_phone_screen(phone_page, live_server, seeded):
    for path in ("/", "/techniques/", "/techniques/kneading/", "/routines/", "/routines/legs/"):
        phone_page.goto(f"{live_server.url}{path}")
        # clientWidth, not innerWidth: on a phone the layout viewport grows to fit what overflows.
        overflow = phone_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"
