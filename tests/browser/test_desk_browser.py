"""The editors' admin in Chromium, as an editor made by create_editor: steps reordered with the
keyboard alone, a form's errors reached from the summary at its top, the editors' desk, and
axe on the desk, a change list and a change form."""

import datetime
import re

import nh3
import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from content.publishing import Status
from massage_site.models import Page
from routines.models import Routine
from techniques.models import Technique

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def public_instructions(page, live_server, slug):
    page.goto(f"{live_server.url}/routines/{slug}/")
    return page.locator(".step .step-instruction").all_inner_texts()


def test_an_editor_reorders_steps_with_the_keyboard_alone(editors_group, page, live_server, editor, seeded, sign_in):
    before = public_instructions(page, live_server, "legs")
    assert len(before) >= 3
    sign_in(page)
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
    editors_group, page, live_server, editor, seeded, sign_in
):
    sign_in(page)
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


def test_the_desk_lists_a_draft_a_scheduled_item_an_overdue_review_and_a_fruitless_search(
    editors_group, page, live_server, editor, seeded, sign_in
):
    Technique.objects.filter(slug="kneading").update(next_review_due=timezone.localdate() - datetime.timedelta(days=3))
    Routine.objects.filter(slug="feet").update(status=Status.DRAFT)
    Routine.objects.filter(slug="neck").update(publish_at=timezone.now() + datetime.timedelta(days=2))
    # A reader searches the site's header box for something it has no answer to.
    page.goto(f"{live_server.url}/")
    search_box = page.locator("#site-search")  # a combobox once its suggestions script has loaded
    search_box.fill("xylophone")
    search_box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    sign_in(page)
    expect(page.locator("h1")).to_have_text("Editors’ desk")
    drafts, scheduled, reviews = (page.locator(f".desk-{key}") for key in ("drafts", "scheduled", "reviews"))
    expect(drafts.get_by_role("link", name="Feet")).to_be_visible()
    expect(scheduled.locator(".desk-entry")).to_contain_text("Neck")
    expect(scheduled.locator(".desk-entry")).to_contain_text("goes live")
    fruitless = page.locator(".desk-fruitless .desk-entry")
    expect(fruitless).to_have_count(1)
    expect(fruitless).to_contain_text("1 search")
    overdue = reviews.locator(".desk-entry", has_text="Kneading")
    expect(overdue).to_contain_text("Overdue")
    overdue.get_by_role("link", name="Kneading").click()
    expect(page.locator("#id_name")).to_have_value("Kneading")  # the place to act: its form


# axe on the editors' pages. What Django's own admin renders is not ours to change: each
# (rule, element) it breaks is listed here with the reason, and only those may remain.
DJANGO_ADMIN = {
    ("aria-prohibited-attr", ".help-tooltip.search-label-icon"): (
        "the two-list picker (filter_horizontal, admin/js/SelectFilter2.js) puts aria-label on a plain span"
    ),
    ("label", "#id_publish_at_0"): "the admin's date and time widget labels its two boxes without for=",
    ("label", "#id_publish_at_1"): "the admin's date and time widget labels its two boxes without for=",
    # The change list's filter links ("?status__exact=draft"), 16 px lines of text.
    ("target-size", 'a[href="?'): "the change list's filter links are 16 px lines of text",
    ("target-size", "details[data-filter-title"): "the change list's filter links are 16 px lines of text",
}

axe = Axe()


def axe_report(page):
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    lines = []
    for violation in results.response["violations"]:
        targets = [", ".join(map(str, node["target"])) for node in violation["nodes"]]
        ours = [
            target
            for target in targets
            if not any(rule == violation["id"] and where in target for rule, where in DJANGO_ADMIN)
        ]
        if ours:
            lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
            lines += [f"    {target}" for target in ours]
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 360])
def test_the_desk_a_change_list_and_a_change_form_have_no_wcag_violations(
    editors_group, browser, live_server, editor, seeded, scheme, width, sign_in
):
    Routine.objects.filter(slug="feet").update(status=Status.DRAFT)
    Technique.objects.filter(slug="kneading").update(next_review_due=timezone.localdate() - datetime.timedelta(days=3))
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page)
        legs = Routine.objects.get(slug="legs")
        problems = []
        for url in ("/admin/", "/admin/routines/routine/", f"/admin/routines/routine/{legs.pk}/change/"):
            page.goto(f"{live_server.url}{url}")
            report = axe_report(page)
            if report:
                problems.append(f"{url} ({scheme}, {width} px):\n{report}")
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def test_a_site_page_is_edited_as_formatted_text_under_the_strict_policy(
    editors_group, page, live_server, editor, seeded, sign_in
):
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    sign_in(page)
    safety = Page.objects.get(slug="safety")
    response = page.goto(f"{live_server.url}/admin/massage_site/page/{safety.pk}/change/")
    policy = {part.split()[0]: part.split()[1:] for part in response.headers["content-security-policy"].split(";")}
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    body = page.get_by_role("textbox", name="Body")
    expect(body).to_be_visible()
    expect(page.locator("#id_body")).to_be_hidden()  # the HTML stays behind the editor
    expect(body.locator("li strong").first).to_have_text("Stop if it hurts.")

    # A new paragraph after the first, with a bold word, typed as in a word processor. The
    # click lands past the end of the first paragraph's last line, so the caret is at its end
    # however the lines wrap (End only reaches the end of a line).
    first = body.locator("p").first
    box = first.bounding_box()
    first.click(position={"x": box["width"] - 2, "y": box["height"] - 4})
    page.keyboard.press("Enter")
    page.keyboard.type("Breathe ")
    page.keyboard.press("Control+b")
    page.keyboard.type("slowly")
    page.keyboard.press("Control+b")
    page.keyboard.type(" while you work.")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert not refused, refused

    safety.refresh_from_db()
    assert re.search(
        r"<p>Breathe(\s|&nbsp;)*<strong>(\s|&nbsp;)*slowly</strong>(\s|&nbsp;)*while you work\.</p>", safety.body
    ), safety.body
    assert nh3.clean(safety.body) == safety.body  # only what the public page keeps
    page.goto(f"{live_server.url}/pages/safety/")
    expect(page.locator("main p", has_text="while you work").locator("strong")).to_have_text(re.compile(r"\s*slowly"))
