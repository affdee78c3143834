"""With approval switched on, the author alone cannot publish: a second editor approves, in Chromium."""

import io

import pytest
from django.core.management import call_command

from content.publishing import Status
from techniques.models import Technique

pytestmark = pytest.mark.browser


def test_the_author_alone_cannot_publish_and_a_second_editor_approves(
    editors_group, browser, page, live_server, editor, seeded, settings, monkeypatch, sign_in, editor_password
):
    settings.PUBLISHING_NEEDS_APPROVAL = True
    monkeypatch.setenv("SECOND_PASSWORD", editor_password)
    call_command("create_editor", "second", "--password-from-env", "SECOND_PASSWORD", stdout=io.StringIO())
    draft = Technique.objects.create(
        name="Palm press",
        slug="palm-press",
        family="pressing",
        definition="You press the heel of your palm into the muscle and hold.",
        how_to="Place the heel of your hand on the muscle.",
        status=Status.DRAFT,
    )
    change = f"{live_server.url}/admin/techniques/technique/{draft.pk}/change/"

    # The author tries to publish: refused, with what to do instead.
    sign_in(page, "editor")
    page.goto(change)
    page.select_option("#id_status", "published")
    page.click("input[name=_continue]")
    assert "Publishing needs a second editor’s approval" in page.inner_text(".field-status .errorlist")
    # Asks for review instead; publishing is still refused to them.
    page.select_option("#id_status", "draft")
    page.check("#id_ready_for_review")
    page.click("input[name=_continue]")
    assert "was changed successfully" in page.inner_text(".messagelist")
    assert "asked for by editor" in page.inner_text(".field-review_state")
    page.select_option("#id_status", "published")
    page.click("input[name=_continue]")
    assert "Another editor must approve this" in page.inner_text(".field-status .errorlist")
    assert page.goto(f"{live_server.url}/techniques/palm-press/").status == 404

    # A second editor approves it by publishing it: the public sees it, and the history says who.
    reviewer = browser.new_context().new_page()
    sign_in(reviewer, "second")
    reviewer.goto(change)
    reviewer.select_option("#id_status", "published")
    reviewer.click("input[name=_continue]")
    assert "was changed successfully" in reviewer.inner_text(".messagelist")
    reviewer.goto(change.removesuffix("change/") + "history/")
    assert "Approved by second (asked for by editor) and published." in reviewer.inner_text(
        "#change-history tbody tr:first-child"
    )
    reviewer.context.close()
    assert page.goto(f"{live_server.url}/techniques/palm-press/").status == 200
