"""The editor role: the Editors group, `create_editor`, and what an editor can and cannot open."""

import io

import pytest
import reversion
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from massage_site.management.commands import create_editor

CONTENT_MODELS = [
    ("techniques", "technique"),
    ("techniques", "oldslug"),
    ("routines", "routine"),
    ("routines", "step"),
    ("routines", "oldslug"),
    ("techniques", "source"),
    ("routines", "source"),
    ("content", "contributor"),
    ("massage_site", "page"),
    ("massage_site", "feedback"),  # read and deleted only: its admin refuses adding and changing
    ("massage_site", "searchcount"),  # read only: its admin refuses adding, changing and deleting
    ("massage_site", "searchpick"),
    ("taggit", "tag"),  # the techniques' tags
    ("routines", "benefit"),  # the routines' three vocabularies
    ("routines", "position"),
    ("routines", "equipment"),
]


def run(*args):
    out = io.StringIO()
    call_command("create_editor", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_editors_group_has_exactly_the_content_permissions(db):
    group = Group.objects.get(name="Editors")
    granted = set(group.permissions.values_list("content_type__app_label", "codename"))
    expected = {
        (app, f"{action}_{model}") for app, model in CONTENT_MODELS for action in ("add", "change", "delete", "view")
    }
    assert granted == expected
    assert not {app for app, _ in granted} & {"auth", "admin", "contenttypes", "sessions"}


def test_create_editor_makes_a_staff_editor_who_is_not_a_superuser(editor):
    assert editor.is_staff and editor.is_active and not editor.is_superuser
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]
    assert editor.check_password("a-long-editor-password")


def test_create_editor_again_updates_the_password_and_keeps_one_user(editor, monkeypatch, django_user_model):
    monkeypatch.setenv("NEW_PASSWORD", "another-long-password-77")
    assert "Updated editor 'editor'" in run("editor", "--password-from-env", "NEW_PASSWORD")
    editor.refresh_from_db()
    assert editor.check_password("another-long-password-77")
    assert django_user_model.objects.filter(username="editor").count() == 1
    assert editor.groups.filter(name="Editors").exists()


def test_create_editor_turns_an_existing_user_into_an_editor(db, monkeypatch, django_user_model):
    user = django_user_model.objects.create_user("sam", password="old-password-123456")
    monkeypatch.setenv("PW", "a-brand-new-password-9")
    run("sam", "--password-from-env", "PW", "--email", "sam@example.com")
    user.refresh_from_db()
    assert user.is_staff and user.email == "sam@example.com" and user.groups.filter(name="Editors").exists()


def test_create_editor_asks_for_the_password_twice(db, monkeypatch, django_user_model):
    answers = iter(["first-long-password-1", "does-not-match-at-all", "good-long-password-2", "good-long-password-2"])
    monkeypatch.setattr(create_editor.getpass, "getpass", lambda prompt: next(answers))
    monkeypatch.setattr(create_editor.Command, "stdin_is_interactive", staticmethod(lambda: True))
    assert "Created editor 'alex'" in run("alex")
    assert django_user_model.objects.get(username="alex").check_password("good-long-password-2")


def test_create_editor_gives_up_after_three_refused_passwords(db, monkeypatch, django_user_model):
    monkeypatch.setattr(create_editor.getpass, "getpass", lambda prompt: "123")
    monkeypatch.setattr(create_editor.Command, "stdin_is_interactive", staticmethod(lambda: True))
    with pytest.raises(CommandError, match="three attempts"):
        run("alex")
    assert not django_user_model.objects.filter(username="alex").exists()


@pytest.mark.parametrize(
    "environment, message",
    [({}, "is not set or is empty"), ({"PW": ""}, "is not set or is empty"), ({"PW": "123"}, "not accepted")],
)
def test_create_editor_refuses_a_missing_or_weak_password_from_the_environment(
    db, monkeypatch, django_user_model, environment, message
):
    monkeypatch.delenv("PW", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(CommandError, match=message):
        run("alex", "--password-from-env", "PW")
    assert not django_user_model.objects.filter(username="alex").exists()


def test_create_editor_without_a_terminal_says_to_use_the_environment(db, monkeypatch):
    monkeypatch.setattr(create_editor.Command, "stdin_is_interactive", staticmethod(lambda: False))
    with pytest.raises(CommandError, match="--password-from-env"):
        run("alex")


def test_create_editor_explains_a_missing_group(db, monkeypatch):
    Group.objects.filter(name="Editors").delete()
    monkeypatch.setenv("PW", "a-long-editor-password")
    with pytest.raises(CommandError, match="migrate"):
        run("alex", "--password-from-env", "PW")


@pytest.mark.parametrize("url", ["/admin/auth/user/", "/admin/auth/group/", "/admin/auth/user/add/"])
def test_an_editor_cannot_open_the_user_or_group_admin(editor_client, url):
    assert editor_client.get(url).status_code == 403


@pytest.mark.parametrize(
    "name",
    [
        "techniques_technique_changelist",
        "techniques_technique_add",
        "routines_routine_changelist",
        "routines_routine_add",
        "massage_site_page_changelist",
        "taggit_tag_changelist",
        "routines_benefit_changelist",
        "routines_position_add",
        "routines_equipment_changelist",
    ],
)
def test_an_editor_can_open_the_content_admin(editor_client, seeded, name):
    assert editor_client.get(reverse(f"admin:{name}")).status_code == 200


def test_the_admin_index_shows_content_but_no_accounts_to_an_editor(editor_client):
    html = editor_client.get("/admin/").content.decode()
    assert "Techniques" in html and "Routines" in html
    assert "/admin/auth/" not in html
    assert "Self-massage guide — editors" in html
    assert 'href="/"' in html  # "View site"


@pytest.mark.parametrize("app, model", [("techniques", "technique"), ("routines", "routine")])
def test_change_lists_show_what_editors_need(editor_client, seeded, app, model):
    html = editor_client.get(reverse(f"admin:{app}_{model}_changelist")).content.decode()
    for column in (
        "column-picture",
        "column-state",
        "column-publish_at",
        "column-last_edited_by",
        "column-updated_at",
    ):
        assert column in html
    assert 'class="editor-thumbnail"' in html


@pytest.mark.parametrize(
    "factory, app, model", [("make_technique", "techniques", "technique"), ("make_routine", "routines", "routine")]
)
def test_change_list_queries_stay_the_same_with_more_rows(request, editor, editor_client, factory, app, model):
    make = request.getfixturevalue(factory)
    url = reverse(f"admin:{app}_{model}_changelist")
    editor_client.get(url)  # loads the admin, which registers the models with reversion
    counts = []
    for rows in (3, 20):
        while apps.get_model(app, model).objects.count() < rows:
            item = make()
            with reversion.create_revision():  # each row has a last editor to look up
                reversion.set_user(editor)
                reversion.add_to_revision(item)
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert '<td class="field-last_edited_by">editor</td>' in editor_client.get(url).content.decode()


def test_site_pages_keep_a_history_that_can_be_restored(editor_client, admin_form, seeded):
    from massage_site.models import Page

    safety = Page.objects.get(slug="safety")
    url = reverse("admin:massage_site_page_change", args=[safety.pk])
    data = admin_form(editor_client.get(url))
    data["title"] = ["Safety first"]
    assert editor_client.post(url, data).status_code == 302

    history = editor_client.get(reverse("admin:massage_site_page_history", args=[safety.pk]))
    assert "Changed Title." in history.content.decode()
    before = history.context["action_list"][-1]["url"]
    editor_client.post(before, admin_form(editor_client.get(before)))
    safety.refresh_from_db()
    assert safety.title != "Safety first"
