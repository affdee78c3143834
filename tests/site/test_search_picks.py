"""Editors' picks: results pinned to a search come first, marked as picks for editors only."""

import pytest
from django.urls import reverse

from massage_site.models import Page, SearchPick
from massage_site.search import search
from routines.models import Routine
from techniques.models import Technique


def titles(query):
    return [result.title for result in search(query).results]


def test_picked_results_come_first_in_the_editors_order(seeded):
    SearchPick.objects.create(query="Calf", technique=Technique.objects.get(slug="kneading"), order=2)
    SearchPick.objects.create(query="calf", page=Page.objects.get(slug="safety"), order=1)
    assert titles("calf")[:3] == ["How to self-massage safely", "Kneading", "Legs"]
    assert titles("calf").count("Kneading") == 1


def test_a_pick_matches_the_folded_search(seeded):
    SearchPick.objects.create(query="Pétrissage", routine=Routine.objects.get(slug="legs"))
    assert titles("PETRISSAGE")[0] == "Legs"
    assert titles("petrissage technique")[0] != "Legs"  # another search, not a word of it


def test_a_picked_search_is_never_corrected_to_another_word(seeded):
    SearchPick.objects.create(query="hacking", technique=Technique.objects.get(slug="pummelling"))
    outcome = search("hacking")
    assert outcome.corrected == "" and outcome.results[0].title == "Pummelling"


def test_a_draft_pick_is_not_shown(seeded):
    kneading = Technique.objects.get(slug="kneading")
    SearchPick.objects.create(query="calf", technique=kneading)
    kneading.status = "draft"
    kneading.save()
    assert "Kneading" not in titles("calf")


def test_only_signed_in_editors_see_which_results_are_picks(client, editor_client, seeded):
    SearchPick.objects.create(query="calf", page=Page.objects.get(slug="safety"))
    from django.test import Client

    reader = Client().get("/search/", {"q": "calf"}).content.decode()
    assert "How to self-massage safely" in reader and "Editors' pick" not in reader
    editor = editor_client.get("/search/", {"q": "calf"}).content.decode()
    assert editor.count("Editors' pick") == 1


def test_a_new_pick_shows_at_once_on_a_cached_search_page(visited_site, client, seeded):
    client.get("/search/", {"q": "calf"})
    SearchPick.objects.create(query="calf", page=Page.objects.get(slug="about"))
    response = client.get("/search/", {"q": "calf"})
    assert response["X-Page-Cache"] == "miss"
    assert response.context["outcome"].results[0].title == "About this site"


def test_editors_add_a_pick_in_the_admin_and_must_choose_exactly_one_result(editor_client, seeded):
    url = reverse("admin:massage_site_searchpick_add")
    legs = Routine.objects.get(slug="legs")
    kneading = Technique.objects.get(slug="kneading")
    base = {"query": "tight calves", "order": "0", "technique": "", "routine": "", "page": ""}
    response = editor_client.post(url, {**base, "routine": legs.pk, "technique": kneading.pk})
    assert response.status_code == 200 and "Choose exactly one result" in response.content.decode()
    response = editor_client.post(url, base)
    assert response.status_code == 200 and "Choose exactly one result" in response.content.decode()
    assert not SearchPick.objects.exists()
    assert editor_client.post(url, {**base, "routine": legs.pk}).status_code == 302
    response = editor_client.post(url, {**base, "query": "Tight  Calves", "routine": legs.pk})
    assert "already picked for this search" in response.content.decode()
    assert SearchPick.objects.get().folded == "tight calves"


@pytest.mark.parametrize("query", ["calf", "xq zzv"])
def test_search_with_picks_stays_within_five_queries_on_a_cold_cache(
    visited_site, client, django_assert_max_num_queries, query
):
    SearchPick.objects.create(query=query, page=Page.objects.get(slug="safety"))
    client.get("/robots.txt")
    with django_assert_max_num_queries(5):
        client.get("/search/", {"q": query})
