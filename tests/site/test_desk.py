"""The editors' desk on the admin's front page: what needs doing, each entry linking to the
place to act, in a number of queries that does not grow with the content."""

import datetime
import re

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from content.publishing import Status
from massage_site import search_record
from massage_site.models import Feedback
from routines.models import Routine


def change_url(item):
    return reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk])


def section(html, key):
    """The HTML of one section of the desk."""
    found = re.search(rf'<section class="module desk-section desk-{key}[^"]*".*?</section>', html, re.S)
    assert found, f"no {key} section"
    return found[0]


def entries(html, key):
    """(link, title) of each entry of a section."""
    return re.findall(r'<li class="desk-entry[^"]*">\s*<a href="([^"]+)">([^<]+)</a>', section(html, key))


@pytest.fixture
def work(make_technique, make_routine):
    """One of each kind of work: a draft, a scheduled routine, an overdue review, a review due soon."""
    today = timezone.localdate()
    return {
        "draft": make_technique(name="Palm press", status=Status.DRAFT),
        "scheduled": make_routine(title="Evening back", publish_at=timezone.now() + datetime.timedelta(days=3)),
        "overdue": make_technique(name="Kneading", next_review_due=today - datetime.timedelta(days=10)),
        "due": make_routine(title="Morning neck", next_review_due=today + datetime.timedelta(days=5)),
        "fine": make_technique(name="Tapping"),
    }


def test_the_desk_lists_drafts_scheduled_items_and_reviews_due_with_links_to_act(editor_client, work):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "Editors’ desk" in html
    assert entries(html, "drafts") == [(change_url(work["draft"]), "Palm press")]
    assert entries(html, "scheduled") == [(change_url(work["scheduled"]), "Evening back")]
    goes_live = timezone.localtime(work["scheduled"].publish_at).strftime("%-d %b %Y, %H:%M")
    assert f"goes live {goes_live}" in section(html, "scheduled")
    assert entries(html, "reviews") == [
        (change_url(work["overdue"]), "Kneading"),
        (change_url(work["due"]), "Morning neck"),
    ]
    reviews = section(html, "reviews")
    assert reviews.count("Overdue</span>") == 1 and "overdue since" in reviews
    assert "Tapping" not in html
    # Each list leads on to the whole of it, filtered.
    assert f'href="{reverse("admin:techniques_technique_changelist")}?status__exact=draft"' in html
    assert f'href="{reverse("admin:routines_routine_changelist")}?review=due"' in html


def test_empty_lists_say_so(editor_client, db):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "No drafts" in section(html, "drafts")
    assert "Nothing is scheduled" in section(html, "scheduled")
    assert "No feedback from readers yet." in section(html, "feedback")


def test_reader_feedback_is_listed_newest_first_with_its_guide_to_act_on(editor_client, work):
    routine = work["scheduled"]
    kind = ContentType.objects.get_for_model(Routine)
    Feedback.objects.create(content_type=kind, object_id=routine.pk, helpful=True)
    Feedback.objects.create(content_type=kind, object_id=routine.pk, helpful=False, comment="Step 2 was unclear.")
    html = editor_client.get(reverse("admin:index")).content.decode()
    feedback = section(html, "feedback")
    assert entries(html, "feedback") == [(change_url(routine), "Evening back")] * 2
    assert feedback.index("Not helpful") < feedback.index("Helpful</span>")
    assert "Step 2 was unclear." in feedback
    assert reverse("admin:massage_site_feedback_changelist") in feedback


def test_recent_changes_say_who_made_them_and_hide_accounts_from_editors(
    editor_client, admin_form, work, django_user_model
):
    technique = work["fine"]
    form = admin_form(editor_client.get(change_url(technique)), definition="Quick taps with the fingertips.")
    assert editor_client.post(change_url(technique), form).status_code == 302
    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", "a-long-test-password")
    LogEntry.objects.log_actions(boss.pk, [boss], CHANGE, change_message="Changed password.")

    html = editor_client.get(reverse("admin:index")).content.decode()
    changes = section(html, "changes")
    assert entries(html, "changes") == [(change_url(technique), "Tapping")]
    assert "Changed by editor" in changes and "Changed Definition." in changes
    assert "boss" not in changes and "/admin/auth/" not in html


def test_the_desk_costs_the_same_queries_however_much_there_is(editor_client, editor, make_technique, make_routine):
    def add(n):
        today = timezone.localdate()
        for _ in range(n):
            make_technique(status=Status.DRAFT, next_review_due=today - datetime.timedelta(days=1))
            routine = make_routine(publish_at=timezone.now() + datetime.timedelta(days=2))
            Feedback.objects.create(
                content_type=ContentType.objects.get_for_model(Routine), object_id=routine.pk, helpful=False
            )
            LogEntry.objects.log_actions(editor.pk, [routine], CHANGE, change_message="Changed summary.")

    counts = []
    for n in (2, 10):
        add(n)
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(reverse("admin:index")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[1] <= 20
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert len(entries(html, "drafts")) == 8  # the rest are one click away, on the filtered list


def test_the_tags_section_is_hidden_from_editors_but_tags_stay_editable(editor_client, work, django_user_model):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "Techniques" in html and "Routines" in html
    assert 'class="app-taggit' not in html
    assert editor_client.get(reverse("admin:taggit_tag_changelist")).status_code == 200
    assert 'name="tags"' in editor_client.get(change_url(work["fine"])).content.decode()

    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", "a-long-test-password")
    editor_client.force_login(boss)
    assert 'class="app-taggit' in editor_client.get(reverse("admin:index")).content.decode()


def test_no_search_lists_until_searches_are_recorded(editor_client, work):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "desk-searches" not in html and "desk-fruitless" not in html


def test_searches_readers_made_are_listed_and_a_fruitless_one_links_to_a_new_pick(editor_client, client, seeded):
    for query in ("calf", "calf", "xylophone"):
        client.get("/search/", {"q": query})
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert ("/search/?q=calf", "calf") in entries(html, "searches")
    assert "2 searches" in section(html, "searches")
    fruitless = entries(html, "fruitless")
    recorded = search_record.recordable("xylophone")  # as search folds it
    assert fruitless == [(reverse("admin:massage_site_searchpick_add") + f"?query={recorded}", recorded)]
    # The pick's form opens with the search filled in.
    form = editor_client.get(fruitless[0][0]).content.decode()
    assert re.search(rf'<input[^>]*name="query"[^>]*value="{recorded}"', form)
