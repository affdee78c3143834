"""An editor picks a benefit from the suggestions as they type, and readers see it."""

import pytest
from playwright.sync_api import expect

from routines.models import Routine

pytestmark = pytest.mark.browser


def test_an_editor_picks_a_suggested_benefit_and_readers_see_it(
    editors_group, page, live_server, editor, seeded, sign_in
):
    refused = []  # what the strict CSP would block: the widget is static files only
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    sign_in(page)
    legs = Routine.objects.get(slug="legs")
    page.goto(f"{live_server.url}/admin/routines/routine/{legs.pk}/change/")

    field = page.locator(".field-benefits")
    field.locator(".select2-selection").click()
    page.keyboard.type("c")
    offered = page.locator(".select2-results__option:not(.loading-results)")
    # Only benefits are offered (circulation is already picked): no chair, no massage tool.
    expect(offered).to_have_text(["circulation", "cramps"])
    page.keyboard.press("Backspace")
    page.keyboard.type("relax")
    page.locator(".select2-results__option", has_text="relaxation").click()
    assert "relaxation" in field.locator(".select2-selection__rendered").inner_text()

    page.click("input[name=_continue]")
    assert "was changed successfully" in page.inner_text(".messagelist")
    assert sorted(legs.benefits.names()) == ["circulation", "relaxation"]
    assert refused == []

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/routines/legs/")
    assert page.locator("a[href='/tags/relaxation/']").count() == 1
    page.goto(f"{live_server.url}/routines/?benefit=relaxation")
    assert page.locator("a[href='/routines/legs/']").count() >= 1
    assert page.locator("#id_benefit option", has_text="relaxation").count() == 1
