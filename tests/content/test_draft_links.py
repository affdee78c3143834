"""Draft links: an editor shares a draft with a reviewer who has no account, for a limited time."""

import datetime
import re

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from content.draft_links import SALT, DraftLink
from content.publishing import Status


def change_url(item):
    return reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk])


def create_link(editor_client, item, days="7"):
    """Create a link on the item's form, as its button does; returns the address the editor is shown."""
    name = f"admin:{item._meta.app_label}_{item._meta.model_name}_draft_link_new"
    response = editor_client.post(reverse(name, args=[item.pk]), {"days": days}, follow=True)
    found = re.findall(r"http://testserver(/drafts/[^\s<\"]+/)", response.content.decode())
    return found[0] if found else None


@pytest.fixture
def draft(make_technique):
    return make_technique(name="Palm press", slug="palm-press", status=Status.DRAFT)


def test_a_reviewer_without_an_account_sees_the_draft_through_its_link(client, editor_client, draft):
    address = create_link(editor_client, draft)
    editor_client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404
    response = client.get(address)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Palm press</h1>" in html or ">Palm press</h1>" in html
    assert "Draft shared for review" in html
    assert 'content="noindex"' in html and response["X-Robots-Tag"].startswith("noindex")
    assert "Back to editing" not in html and "/admin/" not in html
    # Never kept by the page cache, a shared cache or the browser; no session handed out.
    assert response["Cache-Control"] == "private, no-store"
    assert "X-Page-Cache" not in response
    assert not response.cookies


def test_a_routine_link_shows_the_draft_routine_with_its_steps(client, editor_client, make_routine, make_technique):
    routine = make_routine(title="Evening back", status=Status.DRAFT, steps=[(make_technique(), 60, False)])
    address = create_link(editor_client, routine)
    editor_client.logout()
    html = client.get(address).content.decode()
    assert "Evening back" in html and 'id="step-1"' in html


def test_the_link_opens_nothing_else(client, editor_client, draft, make_technique):
    other = make_technique(name="Other draft", status=Status.DRAFT)
    address = create_link(editor_client, draft)
    editor_client.logout()
    client.get(address)
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("admin:techniques_technique_preview", args=[other.pk])).status_code == 302
    assert client.get(change_url(draft)).status_code == 302  # to the sign-in page


def test_the_form_lists_links_in_use_and_revoking_one_shows_the_clear_page(client, editor_client, draft):
    address = create_link(editor_client, draft, days="3")
    html = editor_client.get(change_url(draft)).content.decode()
    assert address in html and "Revoke" in html
    link = DraftLink.objects.get()
    assert link.expires_at - timezone.now() > datetime.timedelta(days=2, hours=23)
    revoke = reverse("admin:techniques_technique_draft_link_revoke", args=[draft.pk])
    response = editor_client.post(revoke, {"link": link.pk}, follow=True)
    assert "no longer shows this item" in response.content.decode()
    assert address not in editor_client.get(change_url(draft)).content.decode()
    editor_client.logout()
    response = client.get(address)
    assert response.status_code == 410
    assert "This draft link no longer works" in response.content.decode()
    assert "withdrawn" in response.content.decode()


def test_an_expired_link_says_so(client, editor_client, draft):
    address = create_link(editor_client, draft)
    DraftLink.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    editor_client.logout()
    response = client.get(address)
    assert response.status_code == 410
    assert "that time is over" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("days", ["0", "91", "seven", ""])
def test_a_wrong_number_of_days_makes_no_link_and_says_why(editor_client, draft, days):
    name = "admin:techniques_technique_draft_link_new"
    response = editor_client.post(reverse(name, args=[draft.pk]), {"days": days}, follow=True)
    assert response.status_code == 200
    assert "a whole number from 1 to 90" in response.content.decode()
    assert not DraftLink.objects.exists()


def test_a_tampered_or_made_up_address_is_not_found(client, editor_client, draft):
    address = create_link(editor_client, draft)
    editor_client.logout()
    assert client.get(address[:-3] + "x/").status_code == 404
    assert client.get("/drafts/nothing-here/").status_code == 404
    link = DraftLink.objects.get()
    link.key = "another-key"
    link.save()
    assert client.get(address).status_code == 404


def test_a_deleted_item_s_link_says_it_is_gone(client, editor_client, draft):
    address = create_link(editor_client, draft)
    draft.delete()
    editor_client.logout()
    assert client.get(address).status_code == 410


def test_only_someone_who_may_change_the_item_can_share_or_revoke(client, draft, django_user_model):
    visitor = django_user_model.objects.create_user("visitor", password="a-long-visitor-password", is_staff=True)
    client.force_login(visitor)
    name = "admin:techniques_technique_draft_link_new"
    assert client.post(reverse(name, args=[draft.pk]), {"days": "7"}).status_code == 403
    assert client.get(reverse(name, args=[draft.pk])).status_code == 403
    assert not DraftLink.objects.exists()


def test_a_shared_draft_stays_within_five_queries(client, editor_client, draft, django_assert_max_num_queries):
    address = create_link(editor_client, draft)
    editor_client.logout()
    client.get("/robots.txt")
    with django_assert_max_num_queries(5):
        assert client.get(address).status_code == 200


def test_a_signed_address_for_something_without_a_preview_is_not_found(client, db):
    for label in ("massage_site.page", "auth.user", "no.such"):
        token = signing.Signer(salt=SALT).sign_object([1, "key", label, 1, 4102444800.0])
        assert client.get(reverse("draft", args=[token])).status_code == 404


def test_restoring_a_version_shows_no_draft_link_panel(editor_client, admin_form, draft):
    editor_client.post(change_url(draft), admin_form(editor_client.get(change_url(draft)), definition="Changed."))
    history = editor_client.get(reverse("admin:techniques_technique_history", args=[draft.pk])).content.decode()
    revision = re.findall(r'href="(/admin/techniques/technique/\d+/history/\d+/)"', history)[-1]
    assert "Show it to a reviewer" in editor_client.get(change_url(draft)).content.decode()
    assert "Show it to a reviewer" not in editor_client.get(revision).content.decode()
