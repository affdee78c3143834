"""A reviewer without an account reads a draft through its link, until it is revoked or expires."""

import datetime

import pytest
from django.utils import timezone

from content.draft_links import DraftLink
from content.publishing import Status
from techniques.models import Technique

pytestmark = [pytest.mark.browser, pytest.mark.every_backend]


def test_a_reviewer_reads_the_draft_until_the_link_is_revoked_or_expires(
    editors_group, browser, page, live_server, editor, seeded, sign_in
):
    draft = Technique.objects.create(
        name="Palm press",
        slug="palm-press",
        family="pressing",
        definition="You press the heel of your palm into the muscle and hold.",
        how_to="Place the heel of your hand on the muscle.",
        status=Status.DRAFT,
    )
    sign_in(page)
    change = f"{live_server.url}/admin/techniques/technique/{draft.pk}/change/"
    page.goto(change)
    assert page.input_value("#draft-link-days") == "7"
    page.click("text=Create a link")
    assert "A link for reviewers is ready" in page.inner_text(".messagelist")
    address = page.locator("#draft-links li a").first.get_attribute("href")
    assert address.startswith(f"{live_server.url}/drafts/")
    assert "Works until" in page.inner_text("#draft-links li")

    # Someone with no account opens it: the draft, clearly marked, with no way into the admin.
    reviewer = browser.new_context().new_page()
    assert reviewer.goto(f"{live_server.url}/techniques/palm-press/").status == 404
    response = reviewer.goto(address)
    assert response.status == 200
    assert reviewer.inner_text("h1") == "Palm press"
    assert "Draft shared for review" in reviewer.inner_text(".preview-banner")
    assert reviewer.locator(".preview-banner a").count() == 0
    assert reviewer.context.cookies() == []

    # The editor revokes it: the reviewer's next visit gets the page saying so.
    page.goto(change)
    page.click("#draft-links button:has-text('Revoke')")
    assert "no longer shows this item" in page.inner_text(".messagelist")
    assert page.locator("#draft-links li").count() == 0
    response = reviewer.goto(address)
    assert response.status == 410
    assert reviewer.inner_text("h1") == "This draft link no longer works"

    # A second link works until its time is up, then says so.
    page.fill("#draft-link-days", "2")
    page.click("text=Create a link")
    second = page.locator("#draft-links li a").first.get_attribute("href")
    assert reviewer.goto(second).status == 200
    DraftLink.objects.filter(revoked_at=None).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = reviewer.goto(second)
    assert response.status == 410
    assert "that time is over" in reviewer.inner_text("main")
    reviewer.context.close()
