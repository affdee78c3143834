"""The one change hook: derived data follows every change, once per change."""

from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from content.publishing import Status
from massage_site import search
from routines.models import Routine
from techniques.models import Technique


def count_rebuilds(model):
    """A mock wrapping ``model.refresh_search_texts``: its call_count is the rebuilds asked for."""
    return mock.patch.object(model, "refresh_search_texts", autospec=True, side_effect=model.refresh_search_texts)


@pytest.fixture
def twelve_step_routine(make_technique, make_routine):
    technique = make_technique(name="Effleurage")
    return make_routine(title="Long back", slug="long-back", steps=[(technique, 30, False)] * 12)


def test_saving_a_reordered_twelve_step_routine_rebuilds_its_search_text_once(
    client, editor_client, admin_form, twelve_step_routine, django_assert_max_num_queries
):
    routine = twelve_step_routine
    url = reverse("admin:routines_routine_change", args=[routine.pk])
    form = admin_form(editor_client.get(url))
    # Reverse the steps, and change the words of one, as an editor dragging and typing would.
    for number in range(12):
        form[f"steps-{number}-order"] = [str(12 - number)]
    form["steps-0-instruction"] = ["Sweep the whole back with zigzags."]
    # Before the one change hook: 17 rebuilds and 185 queries; now one rebuild, about 110 queries,
    # and about 12 more since a routine has authors and an inline of sources (read for the form,
    # the history's first version, the change message and the revision).
    with count_rebuilds(Routine) as rebuilds, django_assert_max_num_queries(132):
        response = editor_client.post(url, form)
    assert response.status_code == 302
    assert rebuilds.call_count == 1
    routine.refresh_from_db()
    assert "zigzags" in routine.search_document
    orders = list(routine.steps.order_by("order").values_list("instruction", flat=True))
    assert orders[-1] == "Sweep the whole back with zigzags."


def test_outside_the_admin_each_save_still_updates_the_search_text(twelve_step_routine):
    step = twelve_step_routine.steps.first()
    step.instruction = "Finish with feather strokes."
    step.save()
    twelve_step_routine.refresh_from_db()
    assert "feather" in twelve_step_routine.search_document


def test_seeding_rebuilds_each_item_once(db):
    from massage_site.seeding import load

    with count_rebuilds(Routine) as routines, count_rebuilds(Technique) as techniques:
        load()
    for model, rebuilds in ((Routine, routines), (Technique, techniques)):
        rebuilt = [pk for call in rebuilds.call_args_list for pk in call.args[0]]
        assert sorted(rebuilt) == sorted(model.objects.values_list("pk", flat=True))


def test_the_search_words_know_a_scheduled_item_the_moment_it_is_live(visited_site, make_technique, monkeypatch):
    launch = timezone.now() + timezone.timedelta(hours=1)
    make_technique(name="Wringing", slug="wringing", status=Status.PUBLISHED, publish_at=launch)
    assert "wringing" not in search.catalogue()["words"]  # cached now, while the item waits
    later = launch + timezone.timedelta(seconds=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    monkeypatch.setattr("content.changes.time.time", lambda: later.timestamp())
    # No save in between: the catalogue cached an hour earlier must not hide it.
    assert "wringing" in search.catalogue()["words"]
    assert search.search("wringing").results[0].title == "Wringing"
