"""Renaming a technique used in published text keeps its glossary links when the default is accepted."""

import pytest

from techniques.models import Technique

pytestmark = [pytest.mark.browser, pytest.mark.every_backend]


def cupping_links(page, live_server):
    page.goto(f"{live_server.url}/routines/arms/")
    return page.locator("a.term-link[href='/techniques/cupping/']").count()


def test_renaming_cupping_keeps_the_arms_routine_links_by_default(
    editors_group, page, live_server, editor, seeded, sign_in
):
    before = cupping_links(page, live_server)
    assert before >= 1
    sign_in(page)
    cupping = Technique.objects.get(slug="cupping")
    page.goto(f"{live_server.url}/admin/techniques/technique/{cupping.pk}/change/")
    assert page.is_checked("#id_keep_old_name")
    page.fill("#id_name", "Hand cupping")
    page.click("input[name=_continue]")
    message = page.inner_text(".messagelist")
    assert "“Cupping” is kept as another name" in message and "Arms" in message
    assert "Cupping" in page.input_value("#id_aliases")
    page.context.clear_cookies()
    assert cupping_links(page, live_server) == before
