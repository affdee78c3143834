"""Editing techniques in the admin: preview, old addresses, safe deletes, history."""

import pytest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from content.editing import BEFORE_FIRST_EDIT
from content.publishing import Status
from techniques.models import OldSlug, Technique


def change_url(technique):
    return reverse("admin:techniques_technique_change", args=[technique.pk])


def preview_url(technique):
    return reverse("admin:techniques_technique_preview", args=[technique.pk])


def save_in_admin(client, admin_form, technique, **changes):
    """Submit the technique's change form with some fields changed, as an editor would; None empties one."""
    return client.post(change_url(technique), admin_form(client.get(change_url(technique)), **changes))


# Preview


def test_an_editor_previews_a_draft_on_the_public_page_with_a_banner(editor_client, make_technique):
    draft = make_technique(name="Palm press", slug="palm-press", status=Status.DRAFT)
    response = editor_client.get(preview_url(draft))
    html = response.content.decode()
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "techniques/technique_detail.html"
    assert "<h1>Palm press</h1>" in html
    assert 'class="preview-banner"' in html and "Preview — not visible to the public yet" in html
    assert "This is a draft" in html
    assert '<meta name="robots" content="noindex">' in html
    assert f'href="{change_url(draft)}"' in html  # back to editing


def test_a_scheduled_preview_says_when_the_public_will_see_it(editor_client, make_technique):
    later = timezone.now() + timezone.timedelta(days=3)
    scheduled = make_technique(publish_at=later)
    html = editor_client.get(preview_url(scheduled)).content.decode()
    assert "Preview — not visible to the public yet" in html
    assert "Scheduled" in html and str(timezone.localtime(later).year) in html


def test_a_live_preview_says_it_is_the_published_page(editor_client, make_technique):
    html = editor_client.get(preview_url(make_technique())).content.decode()
    assert "Preview of the published page" in html


def test_the_change_form_has_a_preview_on_site_button(editor_client, make_technique):
    draft = make_technique(status=Status.DRAFT)
    html = editor_client.get(change_url(draft)).content.decode()
    assert f'href="{preview_url(draft)}"' in html and "Preview on site" in html
    assert "View on site" not in html  # the public page of a draft is a 404


def test_anonymous_visitors_are_sent_to_sign_in_from_a_preview(client, make_technique):
    response = client.get(preview_url(make_technique(status=Status.DRAFT)))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_a_preview_of_a_missing_technique_goes_back_to_the_admin(editor_client, db):
    response = editor_client.get(reverse("admin:techniques_technique_preview", args=[9999]))
    assert response.status_code == 302 and response["Location"] == "/admin/"


@pytest.mark.parametrize(
    "fields",
    [{"status": Status.DRAFT}, {"publish_at": timezone.now() + timezone.timedelta(hours=1)}],
    ids=["draft", "future"],
)
def test_drafts_and_future_techniques_are_404_for_everyone_on_the_public_site(
    client, editor_client, make_technique, fields
):
    hidden = make_technique(**fields)
    assert editor_client.get(hidden.get_absolute_url()).status_code == 404
    editor_client.logout()
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_public_pages_carry_no_preview_banner(client, make_technique):
    html = client.get(make_technique().get_absolute_url()).content.decode()
    assert "preview-banner" not in html and "noindex" not in html


# Old addresses


def test_a_changed_slug_redirects_permanently_from_the_old_address(client, editor_client, admin_form, make_technique):
    technique = make_technique(name="Palm press", slug="palm-press")
    response = save_in_admin(editor_client, admin_form, technique, slug="heel-press")
    assert response.status_code == 302
    editor_client.logout()
    old = client.get("/techniques/palm-press/")
    assert old.status_code == 301 and old["Location"] == "/techniques/heel-press/"
    assert client.get("/techniques/heel-press/").status_code == 200
    assert client.get("/techniques/no-such-term/").status_code == 404


def test_the_change_form_lists_old_addresses(editor_client, make_technique):
    technique = make_technique(slug="first")
    technique.slug = "second"
    technique.save()
    assert "/techniques/first/ (redirect here)" in editor_client.get(change_url(technique)).content.decode()


def test_an_old_slug_never_shadows_a_current_one(client, make_technique):
    renamed = make_technique(slug="stroking")
    renamed.slug = "long-stroking"
    renamed.save()
    newcomer = make_technique(name="Stroking", slug="stroking")
    response = client.get("/techniques/stroking/")
    assert response.status_code == 200 and response.context["technique"] == newcomer


def test_an_old_slug_leads_nowhere_once_its_item_is_not_public(client, make_technique):
    technique = make_technique(slug="before")
    technique.slug = "after"
    technique.save()
    technique.status = Status.DRAFT
    technique.save()
    assert client.get("/techniques/before/").status_code == 404


def test_a_draft_slug_change_leaves_no_redirect(make_technique):
    draft = make_technique(slug="working-title", status=Status.DRAFT)
    draft.slug = "final-title"
    draft.save()
    assert not OldSlug.objects.exists()


def test_going_back_to_an_old_slug_makes_it_current_again(client, make_technique):
    technique = make_technique(slug="one")
    technique.slug = "two"
    technique.save()
    technique.slug = "one"
    technique.save()
    assert list(technique.old_slugs.values_list("slug", flat=True)) == ["two"]
    assert client.get("/techniques/one/").status_code == 200
    assert client.get("/techniques/two/")["Location"] == "/techniques/one/"


# Safe changes


@pytest.mark.parametrize("field", ["name", "slug"])
def test_a_duplicate_name_or_slug_is_a_form_error(editor_client, admin_form, make_technique, field):
    make_technique(name="Kneading", slug="kneading")
    other = make_technique(name="Wringing", slug="wringing")
    response = save_in_admin(
        editor_client, admin_form, other, **{field: "Kneading" if field == "name" else "kneading"}
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    other.refresh_from_db()
    assert (other.name, other.slug) == ("Wringing", "wringing")


def test_deleting_a_used_technique_names_the_routines_and_asks_to_confirm(editor_client, make_technique, make_routine):
    technique = make_technique(name="Palm press")
    make_routine(title="Evening back", steps=[(technique, 60, False)])
    make_routine(title="Draft legs", steps=[(technique, 30, True)], status=Status.DRAFT)
    url = reverse("admin:techniques_technique_delete", args=[technique.pk])
    html = editor_client.get(url).content.decode()
    assert "is used in these routines: Draft legs, Evening back" in html
    assert "Yes, I’m sure" in html
    assert Technique.objects.filter(pk=technique.pk).exists()

    response = editor_client.post(url, {"post": "yes"}, follow=True)
    assert not Technique.objects.filter(pk=technique.pk).exists()
    assert "is used in these routines" not in response.content.decode()


def test_deleting_several_techniques_names_the_routines_too(editor_client, make_technique, make_routine):
    used, unused = make_technique(name="Palm press"), make_technique(name="Wringing")
    make_routine(title="Evening back", steps=[(used, 60, False)])
    response = editor_client.post(
        reverse("admin:techniques_technique_changelist"),
        {"action": "delete_selected", "_selected_action": [used.pk, unused.pk]},
    )
    html = response.content.decode()
    assert "“Palm press” is used in these routines: Evening back" in html
    assert "“Wringing” is used" not in html


def test_the_change_form_shows_where_a_technique_is_used(editor_client, make_technique, make_routine):
    technique = make_technique()
    routine = make_routine(title="Evening back", steps=[(technique, 60, False), (technique, 30, False)])
    html = editor_client.get(change_url(technique)).content.decode()
    link = reverse("admin:routines_routine_change", args=[routine.pk])
    assert f'<a href="{link}">Evening back</a> (Published)' in html
    assert html.count(f'href="{link}"') == 1


# History


def test_editing_a_technique_records_who_changed_what_and_it_can_be_restored(
    client, editor_client, admin_form, make_technique
):
    technique = make_technique(name="Palm press", slug="palm-press", definition="Press with the palm.")
    save_in_admin(editor_client, admin_form, technique, definition="Lean into the muscle with your palm.")

    history = editor_client.get(reverse("admin:techniques_technique_history", args=[technique.pk]))
    html = history.content.decode()
    assert "Changed Definition." in html and "editor" in html and BEFORE_FIRST_EDIT in html

    first = history.context["action_list"][-1]  # newest first: the last is the state before the edit
    revert_form = editor_client.get(first["url"])
    assert revert_form.status_code == 200
    assert editor_client.post(first["url"], admin_form(revert_form)).status_code == 302

    technique.refresh_from_db()
    assert technique.definition == "Press with the palm."
    assert "palm" in technique.search_document
    assert "Press with the palm." in client.get("/techniques/palm-press/").content.decode()


def test_restoring_a_technique_version_brings_back_its_tags_and_related_terms(
    client, editor_client, admin_form, make_technique
):
    technique = make_technique(name="Palm press", slug="palm-press")
    kneading = make_technique(name="Kneading", slug="kneading")
    technique.tags.set(["warm-up"])
    technique.related.set([kneading])
    deep = Tag.objects.create(name="deep pressure")
    save_in_admin(editor_client, admin_form, technique, tags=str(deep.pk), related=None)
    assert list(technique.tags.names()) == ["deep pressure"] and not technique.related.exists()

    before = editor_client.get(reverse("admin:techniques_technique_history", args=[technique.pk])).context[
        "action_list"
    ][-1]["url"]
    editor_client.post(before, admin_form(editor_client.get(before)))
    assert list(technique.tags.names()) == ["warm-up"]
    assert list(technique.related.all()) == [kneading]
    html = client.get("/techniques/palm-press/").content.decode()
    assert "warm-up" in html and "deep pressure" not in html
