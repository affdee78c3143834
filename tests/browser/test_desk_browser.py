"""The editors' admin in Chromium, as an editor made by create_editor: steps reordered with the
keyboard alone, and a form's errors reached from the summary at its top."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from routines.models import Routine

pytestmark = pytest.mark.browser

PASSWORD = "a-long-editor-password"  # what tests/conftest.py's `editor` fixture sets


@pytest.fixture
def editors_group(transactional_db):
    """The Editors group, made again as `migrate` makes it (browser tests empty the database)."""
    call_command("migrate", "massage_site", "0001", verbosity=0)
    call_command("migrate", "massage_site", verbosity=0)


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")


def public_instructions(page, live_server, slug):
    page.goto(f"{live_server.url}/routines/{slug}/")
    return page.locator(".step .step-instruction").all_inner_texts()


def test_an_editor_reorders_steps_with_the_keyboard_alone(editors_group, page, live_server, editor, seeded):
    before = public_instructions(page, live_server, "legs")
    assert len(before) >= 3
    sign_in(page, live_server)
    legs = Routine.objects.get(slug="legs")
    page.goto(f"{live_server.url}/admin/routines/routine/{legs.pk}/change/")
    heading = page.locator("#steps-group .step-order-help").inner_text()
    assert "Move up" in heading and "drag" in heading

    # Tab reaches the first step's buttons, right after its Delete box.
    page.locator("#steps-0 h3 .delete input").focus()
    page.keyboard.press("Tab")
    move_up = page.get_by_role("button", name="Move up (step 1)")
    expect(move_up).to_be_focused()
    page.keyboard.press("Tab")
    move_down = page.get_by_role("button", name="Move down (step 1)")
    expect(move_down).to_be_focused()
    box = move_down.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24

    # Enter twice: the first step goes down to third place; the focus stays on its button.
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Move down (step 2)")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Move down (step 3)")).to_be_focused()
    status = page.locator("#steps-group [role=status]")
    expect(status).to_contain_text(f"is now step 3 of {len(before)}. Save to keep the new order.")
    assert page.locator("#steps-0 .step-number").inner_text() == "Step 3"  # the moved card, renumbered
    assert page.locator("#steps-group .step-card:not(.empty-form) .step-number").all_inner_texts()[:3] == [
        "Step 1",
        "Step 2",
        "Step 3",
    ]
    # At the top, "Move up" says so rather than doing nothing silently.
    page.locator("#steps-1").get_by_role("button", name="Move up (step 1)").press("Enter")
    expect(status).to_contain_text("is already the first step.")

    page.locator("input[name=_continue]").press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    after = public_instructions(page, live_server, "legs")
    assert after == [before[1], before[2], before[0], *before[3:]]


def test_the_error_summary_takes_the_focus_and_its_links_reach_a_step_field(
    editors_group, page, live_server, editor, seeded
):
    sign_in(page, live_server)
    legs = Routine.objects.get(slug="legs")
    page.goto(f"{live_server.url}/admin/routines/routine/{legs.pk}/change/")
    page.fill("#id_steps-2-instruction", "")
    page.click("input[name=_continue]")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is a problem to fix before saving")
    page.keyboard.press("Tab")
    link = page.get_by_role("link", name="Step 3: Instruction")
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_steps-2-instruction")).to_be_focused()
    assert page.locator("#id_steps-2-instruction").is_visible()
