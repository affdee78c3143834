"""The home page body map: every published routine's area is a named link, drafts are not,
each area is one keyboard stop, and the map costs no extra query."""

import re

import pytest
from django.utils import timezone

from content.publishing import Status
from massage_site.views import home
from routines.models import Routine

AREAS = ["neck", "shoulders", "under-the-arm", "arms", "hands", "lower-back", "stomach", "legs", "feet"]


def body_map(html):
    """The inline SVG of the body map."""
    start = html.index('<svg class="body-map-figure"')
    return html[start : html.index("</svg>", start) + len("</svg>")]


def map_links(svg):
    """(href, attributes, accessible name) for each link in the map."""
    return re.findall(r'<a class="map-link" href="([^"]+)"([^>]*)><title>([^<]+)</title>', svg)


def test_body_map_links_every_published_routine_by_area(client, seeded):
    svg = body_map(client.get("/").content.decode())
    names = {href: name for href, _attributes, name in map_links(svg)}
    for slug in AREAS:
        assert f"/routines/{slug}/" in names
    assert names["/routines/neck/"] == "Neck routine"
    assert names["/routines/lower-back/"] == "Lower back routine"
    assert names["/routines/under-the-arm/"] == "Under the arm routine"


def test_each_area_is_one_keyboard_stop_and_repeats_are_for_the_mouse_only(client, seeded):
    links = map_links(body_map(client.get("/").content.decode()))
    tab_stops = [href for href, attributes, _name in links if 'tabindex="-1"' not in attributes]
    assert sorted(tab_stops) == sorted(f"/routines/{slug}/" for slug in AREAS)
    # Head to toe on the front figure, then the lower back on the back figure.
    assert tab_stops[0] == "/routines/neck/" and tab_stops[-1] == "/routines/lower-back/"
    repeats = [attributes for href, attributes, _name in links if 'tabindex="-1"' in attributes]
    assert repeats and all('aria-hidden="true"' in attributes for attributes in repeats)


def test_body_map_does_not_link_a_draft_routine(client, seeded):
    Routine.objects.filter(slug="legs").update(status=Status.DRAFT)
    html = client.get("/").content.decode()
    assert 'href="/routines/legs/"' not in html
    assert "Legs routine" not in body_map(html)
    assert 'href="/routines/feet/"' in body_map(html)


def test_body_map_does_not_link_a_routine_scheduled_for_later(client, seeded):
    Routine.objects.filter(slug="stomach").update(publish_at=timezone.now() + timezone.timedelta(days=1))
    assert 'href="/routines/stomach/"' not in client.get("/").content.decode()


def test_an_unpublished_routine_with_no_area_on_the_map_leaves_the_map_alone(client, seeded, make_routine):
    make_routine(slug="head", title="Head")
    html = client.get("/").content.decode()
    assert 'href="/routines/head/"' not in body_map(html)
    assert 'href="/routines/head/"' in html  # the list beside the map has every published routine


def test_cards_below_the_map_give_each_routine_its_picture_time_and_labels(client, seeded):
    html = client.get("/").content.decode()
    cards = re.findall(r'<li class="card">(.*?)</li>', html, re.S)
    routines = list(Routine.objects.published().with_total_time())
    assert len(cards) == len(routines)
    for routine, card in zip(routines, cards, strict=True):
        assert f'<a href="/routines/{routine.slug}/">{routine.title}</a>' in card
        assert f'alt="{routine.illustration_alt}"' in card
        assert f"{max(1, round(routine.total_seconds / 60))} min</time>" in card
        for tag in routine.benefits.all():
            assert f'<span class="label">{tag.name}</span>' in card
    assert 'href="/plan/"' in html


def test_body_map_has_no_inline_style_or_script(client, seeded):
    svg = body_map(client.get("/").content.decode())
    assert "style=" not in svg
    assert "<style" not in svg
    assert "<script" not in svg
    assert " on" not in re.sub(r'"[^"]*"', '""', svg)  # no onclick= or other handlers


@pytest.mark.parametrize("drafts", [[], ["neck", "feet"]])
def test_body_map_adds_no_query_to_the_home_view(rf, seeded, django_assert_num_queries, drafts):
    Routine.objects.filter(slug__in=drafts).update(status=Status.DRAFT)
    with django_assert_num_queries(4):  # the home page text, the routines, their labels, the techniques
        assert home(rf.get("/")).status_code == 200


def test_renaming_a_routine_keeps_its_area_linked_at_the_new_address(client, seeded):
    neck = Routine.objects.get(slug="neck")
    neck.slug, neck.title = "neck-and-throat", "Neck and throat"
    neck.save()
    names = {href: name for href, _attributes, name in map_links(body_map(client.get("/").content.decode()))}
    assert names["/routines/neck-and-throat/"] == "Neck and throat routine"
    assert "/routines/neck/" not in names


def test_the_area_follows_the_routine_set_to_it_not_its_slug(client, seeded, make_routine):
    Routine.objects.filter(slug="feet").update(map_area="")
    make_routine(slug="soles", title="Soles", map_area="feet")
    names = {href: name for href, _attributes, name in map_links(body_map(client.get("/").content.decode()))}
    assert names["/routines/soles/"] == "Soles routine"
    assert "/routines/feet/" not in names
