"""The daily plan at /plan/: pick routines, see their total time in the order chosen, and a
suggestion for spreading them through the day; the plan lives in the address."""

import re

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from content.publishing import Status
from massage_site.plan import plan
from routines.models import Routine

FLOOR = {"legs", "feet", "stomach"}
SEATED = {"neck", "shoulders", "under-the-arm", "arms", "hands", "lower-back"}


def seconds(*slugs):
    totals = {routine.slug: routine.total_seconds for routine in Routine.objects.with_total_time()}
    return sum(totals[slug] for slug in slugs)


def slot_slugs(response):
    return {slot.key: [routine.slug for routine in slot.routines] for slot in response.context["slots"]}


def test_without_a_choice_the_plan_shows_every_routine_to_pick_and_a_hint(client, seeded):
    response = client.get("/plan/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "about an hour" in html
    routines = list(Routine.objects.published())
    for routine in routines:
        assert f'name="r" value="{routine.slug}"' in html
    assert " checked" not in html
    select_all = "&amp;".join(f"r={routine.slug}" for routine in routines)
    assert f'<a href="/plan/?{select_all}">Select all</a>' in html
    assert response.context["chosen"] == []


def test_plan_keeps_the_readers_order_and_totals_the_time(client, seeded):
    response = client.get("/plan/?r=legs&r=neck")
    assert [routine.slug for routine in response.context["chosen"]] == ["legs", "neck"]
    assert response.context["total_seconds"] == seconds("legs", "neck")
    html = response.content.decode()
    listing = html[html.index('<ol class="cards plan-list">') :]
    assert listing.index('href="/routines/legs/"') < listing.index('href="/routines/neck/"')
    # Each routine's time is rounded once; the total is the sum of the times shown.
    shown = round(seconds("legs") / 60) + round(seconds("neck") / 60)
    assert f"{shown} min</time></strong> in all" in html


def test_chosen_routines_stay_ticked_so_the_plan_can_be_changed(client, seeded):
    html = client.get("/plan/?r=neck&r=feet").content.decode()
    assert re.findall(r'value="([a-z-]+)" checked', html) == ["neck", "feet"]
    assert "Change your plan" in html


def test_the_plan_has_a_shareable_link_and_is_not_indexed(client, seeded):
    html = client.get("/plan/?r=feet&r=nope&r=neck").content.decode()
    assert 'href="/plan/?r=feet&amp;r=neck">link to your plan</a>' in html
    assert '<meta name="robots" content="noindex">' in html
    assert "noindex" not in client.get("/plan/").content.decode()


def test_unknown_routines_are_left_out_with_a_polite_note(client, seeded):
    response = client.get("/plan/?r=neck&r=no-such-routine&r=another-one")
    assert [routine.slug for routine in response.context["chosen"]] == ["neck"]
    assert response.context["unknown_count"] == 2
    html = response.content.decode()
    assert "2 routines in this link are not on the site any more" in html
    assert "no-such-routine" not in html


def test_a_link_of_only_unknown_routines_shows_the_form(client, seeded):
    response = client.get("/plan/?r=nope")
    html = response.content.decode()
    assert response.status_code == 200
    assert "one routine in this link is not on the site any more" in html
    assert "Choose your routines" in html
    assert "Your daily plan" not in html


def test_a_draft_routine_cannot_be_planned(client, seeded):
    Routine.objects.filter(slug="legs").update(status=Status.DRAFT)
    response = client.get("/plan/?r=legs&r=neck")
    assert [routine.slug for routine in response.context["chosen"]] == ["neck"]
    assert response.context["unknown_count"] == 1
    assert 'value="legs"' not in response.content.decode()


def test_a_routine_chosen_twice_counts_once(client, seeded):
    response = client.get("/plan/?r=neck&r=legs&r=neck&r=neck")
    assert [routine.slug for routine in response.context["chosen"]] == ["neck", "legs"]
    assert response.context["total_seconds"] == seconds("neck", "legs")
    assert response.context["unknown_count"] == 0


@pytest.mark.parametrize(
    "query",
    [
        "r=",
        "r=%20neck%20",
        "r=" + "a" * 10_000,
        "r=neck&r=" + "neck" * 500,
        "r=%C3%A9paule&r=%E8%82%A9&r=%F0%9F%92%86",
        "r=%00&r=neck%00",
        "r=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "r[]=neck&r=..%2F..%2Fetc",
        "&".join(["r=neck"] * 300 + ["r=x"] * 300),
        "r=NECK",
    ],
)
def test_odd_addresses_never_break_the_plan(client, seeded, query):
    response = client.get(f"/plan/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    chosen = [routine.slug for routine in response.context["chosen"]]
    assert set(chosen) <= {"neck"}


def shared_plan(html):
    """The routines in the page's own link to the plan, in order (read from the page, which may be a cached one)."""
    found = re.search(r'href="/plan/\?([^"]*)">link to your plan', html)
    return re.findall(r"r=([^&]+)", found.group(1)) if found else []


SLUGS = sorted(FLOOR | SEATED)


@hypothesis_settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.one_of(st.sampled_from(SLUGS), st.text(max_size=120)), max_size=8))
def test_any_choice_of_values_gives_a_plan_of_published_routines_in_order(client, seeded, values):
    response = client.get("/plan/", {"r": values})
    assert response.status_code == 200
    expected = []
    for value in values:
        if value.strip() in SLUGS and value.strip() not in expected:
            expected.append(value.strip())
    assert shared_plan(response.content.decode()) == expected


def test_floor_routines_go_to_the_evening_and_seated_ones_in_front_of_the_television(client, seeded):
    response = client.get("/plan/?r=neck&r=legs")
    assert slot_slugs(response) == {"tv": ["neck"], "evening": ["legs"]}
    html = response.content.decode()
    assert "While you watch television or listen to music" in html
    assert "Evening" in html


def test_the_longest_floor_routine_is_kept_for_the_evening(client, seeded):
    slots = slot_slugs(client.get("/plan/?r=feet&r=legs"))
    assert slots == {"morning": ["feet"], "evening": ["legs"]}


def test_the_whole_hour_is_spread_through_the_day(client, seeded):
    response = client.get("/plan/?" + "&".join(f"r={routine.slug}" for routine in Routine.objects.all()))
    slots = slot_slugs(response)
    assert list(slots) == ["morning", "lunchtime", "tv", "evening"]  # the order of the day
    assert sorted(slug for slugs in slots.values() for slug in slugs) == sorted(FLOOR | SEATED)
    assert set(slots["morning"] + slots["evening"]) == FLOOR
    assert set(slots["lunchtime"] + slots["tv"]) == SEATED
    assert "legs" in slots["evening"]
    by_key = {slot.key: slot.total_seconds for slot in response.context["slots"]}
    assert by_key["evening"] >= by_key["morning"] and by_key["tv"] >= by_key["lunchtime"]
    # Within each moment, routines keep the reader's order.
    order = [routine.slug for routine in response.context["chosen"]]
    for slugs in slots.values():
        assert slugs == sorted(slugs, key=order.index)
    assert 50 * 60 <= response.context["total_seconds"] <= 70 * 60  # "about an hour"


def test_a_routine_without_position_tags_counts_as_seated(client, seeded, make_routine):
    routine = make_routine(slug="head", steps=[(None, 60, False)])
    assert slot_slugs(client.get(f"/plan/?r={routine.slug}")) == {"tv": ["head"]}


def test_floor_tags_are_matched_whatever_their_case(client, seeded, make_routine):
    routine = make_routine(slug="back-stretch", steps=[(None, 60, False)])
    routine.positions.add("Lying Down")
    assert slot_slugs(client.get(f"/plan/?r={routine.slug}")) == {"evening": ["back-stretch"]}


def test_plan_is_linked_from_the_footer_and_the_home_page_and_in_the_sitemap(client, seeded):
    assert client.get("/").content.decode().count('href="/plan/"') == 2
    assert 'href="/plan/"' in client.get("/techniques/").content.decode()
    assert "/plan/</loc>" in client.get("/sitemap.xml").content.decode()


def test_the_plan_view_uses_two_queries_whatever_is_chosen(rf, seeded, django_assert_num_queries):
    with django_assert_num_queries(2):  # the routines with their times, and all their tags
        assert plan(rf.get("/plan/", {"r": ["neck", "legs", "stomach", "nope"]})).status_code == 200


@pytest.mark.parametrize("query", ["", "?r=neck&r=legs", "?r=neck&r=shoulders&r=legs&r=feet&r=stomach&r=nope"])
def test_plan_page_stays_within_five_queries(client, seeded, django_assert_max_num_queries, query):
    with django_assert_max_num_queries(5):
        assert client.get(f"/plan/{query}").status_code == 200


def test_plan_answers_only_get(client, seeded):
    assert client.post("/plan/", {"r": "neck"}).status_code == 405


def test_the_plan_total_is_the_sum_of_the_times_it_lists(client, seeded):
    """One rounding rule: the total and each time-of-day block add up to the routines listed."""
    import re

    html = client.get("/plan/", {"r": [r.slug for r in Routine.objects.all()]}).content.decode()

    def minutes(fragment):
        return [int(m) for m in re.findall(r'<span class="plan-meta">(\d+) min', fragment)]

    start = html.index('<ol class="cards plan-list">')
    listed = html[start : html.index("</ol>", start)]
    total = int(re.search(r'<p class="plan-total">.*?(\d+) min</time>', html).group(1))
    assert total == sum(int(m) for m in re.findall(r'<time datetime="[^"]+">(\d+) min</time>', listed))
    slots = html[html.index('<ol class="plan-slots">') : html.index('<p class="plan-share">')]
    for slot in re.findall(r'<li class="plan-slot">(.*?)</ul>', slots, re.S):
        heading, routines = slot.split("</h3>")
        assert minutes(heading) == [sum(minutes(routines))]
    assert sum(minutes(re.sub(r"<ul>.*?</ul>", "", slots, flags=re.S))) == total
