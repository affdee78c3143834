"""A second pair of eyes: with approval switched on, a draft is published only by another editor."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from content.approvals import ReviewRequest
from content.publishing import Status

EDITOR_PASSWORD = "a-long-editor-password"  # as tests/conftest.py sets it


def change_url(item):
    return reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk])


@pytest.fixture
def approval_on(settings):
    settings.PUBLISHING_NEEDS_APPROVAL = True


@pytest.fixture
def second_editor(db, monkeypatch, django_user_model):
    monkeypatch.setenv("TEST_EDITOR_PASSWORD", EDITOR_PASSWORD)
    call_command("create_editor", "second", "--password-from-env", "TEST_EDITOR_PASSWORD", stdout=io.StringIO())
    return django_user_model.objects.get(username="second")


@pytest.fixture
def draft(make_technique):
    return make_technique(name="Palm press", slug="palm-press", status=Status.DRAFT)


def save(client, admin_form, item, **changes):
    return client.post(change_url(item), admin_form(client.get(change_url(item)), **changes))


def history(item):
    return [v.revision.comment for v in Version.objects.get_for_object(item).order_by("-pk")]


def test_the_author_alone_cannot_publish_and_another_editor_approves_it(
    approval_on, client, editor, second_editor, admin_form, draft
):
    client.force_login(editor)
    response = save(client, admin_form, draft, status=Status.PUBLISHED)
    assert response.status_code == 200
    assert "Publishing needs a second editor’s approval" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT

    # The author asks for review; publishing it is still refused to them, with the reason.
    assert save(client, admin_form, draft, ready_for_review="on").status_code == 302
    assert ReviewRequest.of(draft).requested_by == editor
    assert history(draft)[0].endswith("Ready for review.")
    response = save(client, admin_form, draft, status=Status.PUBLISHED)
    assert response.status_code == 200
    assert "Another editor must approve this" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.is_live

    # Another editor sees who asked, approves by publishing it, and the public sees it.
    client.force_login(second_editor)
    assert "asked for by editor" in client.get(change_url(draft)).content.decode()
    assert save(client, admin_form, draft, status=Status.PUBLISHED).status_code == 302
    draft.refresh_from_db()
    assert draft.is_live
    assert history(draft)[0] == "Changed Status.\nApproved by second (asked for by editor) and published."
    assert ReviewRequest.of(draft) is None
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_an_approving_editor_may_not_slip_in_changes_of_their_own(
    approval_on, client, editor, second_editor, admin_form, draft
):
    client.force_login(editor)
    save(client, admin_form, draft, ready_for_review="on")
    client.force_login(second_editor)
    response = save(client, admin_form, draft, status=Status.PUBLISHED, definition="Something else entirely.")
    assert response.status_code == 200
    assert "Approve it as it was reviewed" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.definition != "Something else entirely."


def test_an_editor_who_changed_it_since_the_request_cannot_approve_it(
    approval_on, client, editor, second_editor, admin_form, draft
):
    client.force_login(editor)
    save(client, admin_form, draft, ready_for_review="on")
    client.force_login(second_editor)
    assert save(client, admin_form, draft, definition="Second's own words.").status_code == 302
    response = save(client, admin_form, draft, status=Status.PUBLISHED)
    assert "Another editor must approve this" in response.content.decode()


def test_with_approval_off_an_editor_publishes_alone_and_sees_no_review_panel(
    client, editor, admin_form, draft, settings
):
    assert settings.PUBLISHING_NEEDS_APPROVAL is False
    client.force_login(editor)
    assert "Second pair of eyes" not in client.get(change_url(draft)).content.decode()
    assert save(client, admin_form, draft, status=Status.PUBLISHED).status_code == 302
    draft.refresh_from_db()
    assert draft.is_live


def test_corrections_to_a_published_item_are_not_held_back(approval_on, client, editor, admin_form, make_technique):
    live = make_technique(name="Kneading")
    client.force_login(editor)
    assert save(client, admin_form, live, definition="Squeeze and lift.").status_code == 302
    live.refresh_from_db()
    assert live.definition == "Squeeze and lift." and live.is_live


def test_a_second_editor_approves_a_routine_with_its_steps_as_reviewed_and_no_other_way(
    approval_on, client, editor, second_editor, admin_form, make_routine, make_technique
):
    routine = make_routine(title="Evening back", status=Status.DRAFT, steps=[(make_technique(), 60, False)])
    client.force_login(editor)
    assert save(client, admin_form, routine, ready_for_review="on").status_code == 302
    client.force_login(second_editor)
    changed_step = {"status": Status.PUBLISHED, "steps-0-instruction": "Something the author never wrote."}
    response = save(client, admin_form, routine, **changed_step)
    assert response.status_code == 200
    assert "Approve it as it was reviewed" in response.content.decode()
    routine.refresh_from_db()
    assert routine.status == Status.DRAFT
    assert save(client, admin_form, routine, status=Status.PUBLISHED).status_code == 302
    routine.refresh_from_db()
    assert routine.is_live and routine.steps.get().instruction != "Something the author never wrote."


def test_a_routine_follows_the_same_rule(approval_on, client, editor, admin_form, make_routine, make_technique):
    routine = make_routine(title="Evening back", status=Status.DRAFT, steps=[(make_technique(), 60, False)])
    client.force_login(editor)
    response = save(client, admin_form, routine, status=Status.PUBLISHED)
    assert "Publishing needs a second editor’s approval" in response.content.decode()
