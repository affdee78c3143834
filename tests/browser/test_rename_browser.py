"""Renaming a technique used in published text keeps its glossary links when the default is accepted."""

import pytest
from django.core.management import call_command

from techniques.models import Technique

pytestmark = pytest.mark.browser

PASSWORD = "a-long-editor-password"  # what tests/conftest.py's `editor` fixture sets


@pytest.fixture
def editors_group(transactional_db):
    """The Editors group, made again as `migrate` makes it (browser tests empty the database)."""
    call_command("migrate", "massage_site", "0001", verbosity=0)
    call_command("migrate", "massage_site", verbosity=0)


def cupping_links(page, live_server):
    page.goto(f"{live_server.url}/routines/arms/")
    return page.locator("a.term-link[href='/techniques/cupping/']").count()


def test_renaming_cupping_keeps_the_arms_routine_links_by_default(editors_group, page, live_server, editor, seeded):
    before = cupping_links(page, live_server)
    assert before >= 1
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
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
