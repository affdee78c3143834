"""Routine pages: grouped index, ordered steps linked to techniques, total time, cautions."""

import pytest

from content.publishing import Status
from routines.models import Routine


def test_routines_index_groups_routines_by_body_area_head_to_toe(client, seeded):
    response = client.get("/routines/")
    areas = [(label, [r.slug for r in routines]) for _value, label, routines in response.context["areas"]]
    assert [label for label, _ in areas] == [
        "Neck and shoulders",
        "Arms and hands",
        "Back",
        "Stomach",
        "Legs and feet",
    ]
    assert dict(areas)["Legs and feet"] == ["legs", "feet"]
    html = response.content.decode()
    assert '<h2 id="area-legs-feet">Legs and feet</h2>' in html


@pytest.mark.parametrize(
    "slug, techniques",
    [
        ("legs", ["effleurage", "kneading", "pummelling"]),
        ("arms", ["cupping", "tapping", "circular-thumb-pressure"]),
        ("lower-back", ["knuckling", "circular-thumb-pressure"]),
        ("feet", ["effleurage", "pulling-and-stretching"]),
    ],
)
def test_routine_page_links_each_step_to_its_technique(client, seeded, slug, techniques):
    html = client.get(f"/routines/{slug}/").content.decode()
    for technique in techniques:
        assert f'class="technique-link" href="/techniques/{technique}/"' in html


def test_routine_page_shows_steps_in_order_with_position_time_and_benefits(client, seeded):
    response = client.get("/routines/stomach/")
    html = response.content.decode()
    routine = response.context["routine"]
    positions = [html.index(f'id="step-{n}"') for n in range(1, routine.steps.count() + 1)]
    assert positions == sorted(positions)
    assert routine.position in html
    assert f"{round(routine.total_seconds / 60)} min" in html
    assert "cramps" in html


def test_neck_caution_is_shown_before_the_steps(client, seeded):
    html = client.get("/routines/neck/").content.decode()
    assert 'class="caution"' in html
    assert html.index('class="caution"') < html.index('id="steps-heading"')
    assert "spine" in html[html.index('class="caution"') :]


def test_total_time_counts_steps_done_on_both_sides_twice(client, make_technique, make_routine):
    technique = make_technique()
    routine = make_routine(slug="timed", steps=[(technique, 60, True), (None, 90, False)])
    assert Routine.objects.with_total_time().get(pk=routine.pk).total_seconds == 210
    html = client.get("/routines/timed/").content.decode()
    assert "4 min" in html and "then the other side" in html


def test_draft_routine_is_not_found_by_the_public(client, make_routine):
    make_routine(slug="draft-routine", title="Draft routine", status=Status.DRAFT)
    assert client.get("/routines/draft-routine/").status_code == 404
    assert "Draft routine" not in client.get("/routines/").content.decode()
    assert "Draft routine" not in client.get("/").content.decode()


def test_routine_without_steps_still_renders(client, make_routine):
    make_routine(slug="empty")
    assert client.get("/routines/empty/").status_code == 200
