"""A reason for each change: typed on save, kept with the version in history, shown in the history list."""

import pytest
from django.urls import reverse
from reversion.models import Version

from massage_site.models import Page


def admin_url(item, view="change"):
    return reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_{view}", args=[item.pk])


@pytest.fixture
def items(make_technique, make_routine):
    technique = make_technique(name="Kneading")
    routine = make_routine(title="Evening back", steps=[(technique, 60, False)])
    page = Page.objects.create(slug="safety", title="Safety", body="<p>Stop if it hurts.</p>")
    return {"technique": technique, "routine": routine, "page": page}


@pytest.mark.parametrize("kind", ["technique", "routine", "page"])
def test_the_reason_typed_on_save_is_in_the_history_list(editor_client, admin_form, items, kind):
    item = items[kind]
    form = admin_form(editor_client.get(admin_url(item)))
    assert "change_reason" in form
    field = "summary" if kind == "routine" else "definition" if kind == "technique" else "title"
    reason = "The reviewer asked for plainer words"
    data = {**form, field: [f"{form[field][0]} (checked)"], "change_reason": [reason]}
    assert editor_client.post(admin_url(item), data).status_code == 302
    latest = Version.objects.get_for_object(item).order_by("-pk").first()
    assert latest.revision.comment.endswith(f"\nReason: {reason}")
    assert latest.revision.comment.startswith("Changed ")
    assert "Reason for this change" not in latest.revision.comment
    history = editor_client.get(admin_url(item, "history")).content.decode()
    assert f"Reason: {reason}" in history


def test_without_a_reason_the_history_says_what_changed_only(editor_client, admin_form, items):
    technique = items["technique"]
    form = admin_form(editor_client.get(admin_url(technique)), definition="Squeeze and lift the muscle.")
    assert editor_client.post(admin_url(technique), form).status_code == 302
    comment = Version.objects.get_for_object(technique).order_by("-pk").first().revision.comment
    assert comment == "Changed Definition."


def test_a_new_item_keeps_its_reason_too(editor_client, admin_form):
    form = admin_form(editor_client.get(reverse("admin:massage_site_page_add")))
    data = {**form, "slug": ["care"], "title": ["Care"], "body": ["<p>Be gentle.</p>"], "change_reason": ["New page"]}
    assert editor_client.post(reverse("admin:massage_site_page_add"), data).status_code == 302
    page = Page.objects.get(slug="care")
    assert Version.objects.get_for_object(page).get().revision.comment.endswith("\nReason: New page")


def test_a_reason_alone_changes_nothing_but_is_still_kept(editor_client, admin_form, items):
    technique = items["technique"]
    form = admin_form(editor_client.get(admin_url(technique)), change_reason="Checked against the source")
    assert editor_client.post(admin_url(technique), form).status_code == 302
    comment = Version.objects.get_for_object(technique).order_by("-pk").first().revision.comment
    assert comment == "No fields changed.\nReason: Checked against the source"


def test_an_over_long_reason_is_a_form_error_and_saves_nothing(editor_client, admin_form, items):
    technique = items["technique"]
    form = admin_form(editor_client.get(admin_url(technique)), definition="Changed.", change_reason="x" * 301)
    response = editor_client.post(admin_url(technique), form)
    assert response.status_code == 200
    assert "at most 300 characters" in response.content.decode()
    technique.refresh_from_db()
    assert technique.definition != "Changed."
