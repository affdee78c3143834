"""An editor made by create_editor runs a whole change in Chromium, and readers see it (then not)."""

import re

import pytest
from PIL import Image

from routines.models import Routine
from techniques.models import Technique

pytestmark = [pytest.mark.browser, pytest.mark.every_backend]


def public_steps(page, live_server):
    """The Legs routine's public page: each step's technique and words, in order."""
    page.goto(f"{live_server.url}/routines/legs/")
    return [
        (step.locator(".technique-link").all_inner_texts(), step.locator(".step-instruction").inner_text())
        for step in page.locator(".step").all()
    ]


def drag(page, source, target):
    """Drag with the mouse in small moves, as a person would (Sortable needs the intermediate events)."""
    page.locator(target).evaluate("element => element.scrollIntoView({block: 'start'})")
    start, end = page.locator(source).bounding_box(), page.locator(target).bounding_box()
    page.mouse.move(start["x"] + 10, start["y"] + start["height"] / 2)
    page.mouse.down()
    x, y0, y1 = end["x"] + 10, start["y"] + start["height"] / 2, end["y"] + 2
    for i in range(1, 21):
        page.mouse.move(x, y0 + (y1 - y0) * i / 20)
    page.wait_for_timeout(200)
    page.mouse.up()


def test_an_editor_drafts_previews_publishes_and_restores_a_routine(
    editors_group, page, live_server, editor, seeded, tmp_path, sign_in
):
    before = public_steps(page, live_server)
    sign_in(page)

    # A draft technique with an illustration.
    picture = tmp_path / "palm-press.png"
    Image.new("RGB", (160, 120), (230, 180, 150)).save(picture)
    page.goto(f"{live_server.url}/admin/techniques/technique/add/")
    page.locator("#id_name").press_sequentially("Palm press")
    page.select_option("#id_family", "pressing")
    page.fill("#id_definition", "You press the heel of your palm into the muscle and hold.")
    page.fill("#id_how_to", "Place the heel of your hand on the muscle.\n\nLean in gently and hold.")
    page.set_input_files("#id_illustration", str(picture))
    page.fill("#id_illustration_alt", "The heel of a hand pressing into a thigh.")
    assert page.input_value("#id_status") == "draft"
    page.click("input[name=_continue]")
    assert "was added successfully" in page.inner_text(".messagelist")
    technique = Technique.objects.get(slug="palm-press")
    assert technique.illustration and not technique.is_live

    # Its preview is the public page, clearly marked; the public address is still a 404.
    with page.context.expect_page() as opened:
        page.click("text=Preview on site")
    preview = opened.value
    preview.wait_for_load_state()
    assert "Preview — not visible to the public yet" in preview.inner_text(".preview-banner")
    assert preview.inner_text("h1") == "Palm press"
    assert preview.locator(".illustration img").count() == 1
    preview.close()
    assert page.goto(f"{live_server.url}/techniques/palm-press/").status == 404

    # Add it as a step of the published Legs routine: refused while the technique is a draft.
    legs = Routine.objects.get(slug="legs")
    change_url = f"{live_server.url}/admin/routines/routine/{legs.pk}/change/"
    page.goto(change_url)
    new_row = f"#steps-{legs.steps.count()}"
    assert page.locator(new_row).count() == 0  # no blank row until one is asked for
    page.get_by_role("button", name=re.compile("add another step", re.I)).click()
    page.click(f"{new_row} .select2-selection")
    # The dropdown's own search box (the tag fields above have select2 boxes of their own).
    page.fill(".select2-dropdown .select2-search__field", "Palm")
    page.click(".select2-results__option:has-text('Palm press')")
    page.fill(f"{new_row} textarea", "Press the heel of your hand into the thigh, then release.")
    page.fill(f"{new_row} input[name$=duration_seconds]", "40")
    page.click("input[name=_continue]")
    assert "Palm press (draft)" in page.inner_text(".errorlist.nonform")

    # Publish the technique in another tab, then save the routine form again as it stands.
    other = page.context.new_page()
    other.goto(f"{live_server.url}/admin/techniques/technique/{technique.pk}/change/")
    other.select_option("#id_status", "published")
    other.click("input[name=_save]")
    assert "was changed successfully" in other.inner_text(".messagelist")
    other.close()
    page.click("input[name=_continue]")
    assert "was changed successfully" in page.inner_text(".messagelist")

    # Drag the new last step by its title bar above the one before it, and save. (A step is a
    # tall card: a tall window keeps both on screen for the mouse.)
    page.wait_for_selector(f"{new_row}.has_original")
    page.set_viewport_size({"width": 1280, "height": 2000})
    count = len(before) + 1
    drag(page, f"{new_row} h3", f"#steps-{count - 2} h3")
    place = int(page.input_value(f"{new_row} input._reorder_"))
    assert place < count  # it moved up (how far depends on where the tall cards settle)
    assert page.locator(f"{new_row} .step-number").inner_text() == f"Step {place}"
    page.click("input[name=_continue]")
    assert "was changed successfully" in page.inner_text(".messagelist")

    after = public_steps(page, live_server)
    assert after[place - 1] == (["Palm press"], "Press the heel of your hand into the thigh, then release.")
    assert after[: place - 1] + after[place:] == before

    # Restore the version from before these changes: the public page is back as it was.
    page.goto(change_url)
    page.click("text=History")
    page.click("#change-history tbody tr:last-child th a")
    assert "Revert" in page.inner_text("h1")
    page.click("input[name=_save]")
    assert "was changed successfully" in page.inner_text(".messagelist")
    assert public_steps(page, live_server) == before
    page.goto(f"{change_url.removesuffix('change/')}history/")
    assert "Reverted to previous version" in page.inner_text("#change-history tbody tr:first-child")
