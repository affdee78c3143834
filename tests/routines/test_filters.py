"""The routines index filters by area, benefit, position, equipment and time, in any combination."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def slugs(client, **params):
    response = client.get("/routines/", params)
    assert response.status_code == 200
    return {routine.slug for _value, _label, routines in response.context["areas"] for routine in routines}


def test_no_filter_lists_every_routine(client, seeded):
    assert len(slugs(client)) == 9


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"area": "legs-feet"}, {"legs", "feet"}),
        ({"benefit": "circulation"}, {"legs", "arms"}),
        ({"position": "floor"}, {"legs", "feet"}),
        ({"position": "lying-down"}, {"stomach"}),
        ({"equipment": "massage-tool"}, {"legs", "feet"}),
        ({"benefit": "relaxation", "position": "chair"}, {"lower-back"}),
        ({"benefit": "circulation", "area": "arms-hands"}, {"arms"}),
        ({"position": "floor", "max": "10"}, {"feet"}),
        ({"benefit": "cramps", "area": "legs-feet"}, set()),
    ],
)
def test_filters_combine(client, seeded, params, expected):
    assert slugs(client, **params) == expected


def test_maximum_time_keeps_only_routines_that_fit(client, seeded):
    response = client.get("/routines/", {"max": "5"})
    routines = [r for _v, _l, group in response.context["areas"] for r in group]
    assert routines and all(r.total_seconds <= 300 for r in routines)
    assert len(routines) < 9


def test_active_filters_are_shown_with_links_that_remove_each_one(client, seeded):
    html = client.get("/routines/", {"benefit": "circulation", "area": "arms-hands"}).content.decode()
    assert "1 routine match" in html
    assert 'href="/routines/?benefit=circulation"' in html  # removes the area
    assert 'href="/routines/?area=arms-hands"' in html  # removes the benefit


def test_unrecognised_filter_values_are_ignored_with_a_note(client, seeded):
    response = client.get("/routines/", {"benefit": "flying", "max": "abc", "area": "legs-feet"})
    html = response.content.decode()
    assert "were not recognised and were ignored: benefit, max" in html
    assert slugs(client, benefit="flying", area="legs-feet") == {"legs", "feet"}


def test_nothing_matching_offers_a_way_back(client, seeded):
    html = client.get("/routines/", {"benefit": "cramps", "area": "legs-feet"}).content.decode()
    assert "No routine matches all of these filters" in html


def test_filtered_index_stays_within_five_queries(visited_site, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        client.get("/routines/", {"benefit": "circulation", "position": "floor", "max": "15"})


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(["area", "benefit", "position", "equipment", "max", "x"]), st.text()))
def test_arbitrary_filter_values_never_break_the_index(client, seeded, params):
    assert client.get("/routines/", params).status_code == 200


def test_long_lists_are_paginated_and_pages_keep_the_filters(client, seeded, make_routine):
    for n in range(35):
        make_routine(title=f"Extra routine {n:02d}", body_area="back")
    first = client.get("/routines/", {"area": "back"})
    assert first.context["paginator"].count == 36
    assert 'href="?area=back&amp;page=2"' in first.content.decode()
    second = client.get("/routines/", {"area": "back", "page": "2"})
    assert len(second.context["object_list"]) == 6
    assert client.get("/routines/", {"area": "back", "page": "999"}).status_code == 200
    assert client.get("/routines/", {"page": "abc"}).status_code == 200
