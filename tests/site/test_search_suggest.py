"""Suggestions as you type: a few published techniques and routines whose names, aliases or
search terms start with what was typed, as JSON the header's search box shows."""

import gzip
from pathlib import Path

import pytest
from django.utils import timezone

from content.publishing import Status
from massage_site import search_record
from massage_site.models import SearchCount
from massage_site.static_files import minify


def suggest(client, query):
    response = client.get("/search/suggest/", {"q": query})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


def titles(client, query):
    return [result["title"] for result in suggest(client, query)]


def test_a_suggestion_has_its_title_type_address_and_picture(client, seeded):
    first = suggest(client, "kne")[0]
    assert {key: first[key] for key in ("title", "type", "url")} == {
        "title": "Kneading",
        "type": "Technique",
        "url": "/techniques/kneading/",
    }
    assert first["picture"].startswith("/media/") and first["picture"].endswith(".svg")
    legs = suggest(client, "calf")[0]
    assert (legs["title"], legs["type"], legs["url"]) == ("Legs", "Routine", "/routines/legs/")


def test_nothing_is_suggested_before_two_letters(client, seeded):
    assert titles(client, "") == []
    assert titles(client, "k") == []
    assert titles(client, " k! ") == []
    assert titles(client, "kn") == ["Kneading", "Knuckling"]


def test_names_beginning_with_the_words_come_first(client, seeded):
    # Shoulders is named so; Under the arm has "shoulder blade" among its search terms.
    shoulder = titles(client, "shoulder")
    assert shoulder[0] == "Shoulders" and "Under the arm" in shoulder
    assert titles(client, "shoulder bl")[0] == "Under the arm"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Pét", "Kneading"),  # an alias, with its accent or without
        ("petris", "Kneading"),
        ("PUMMEL", "Pummelling"),  # folded as search folds: case and doubled letters
        ("pummeli", "Pummelling"),
        ("tummy", "Stomach"),  # a search term
        ("thumb circ", "Circular thumb pressure"),
    ],
)
def test_folded_names_aliases_and_search_terms_are_suggested(client, seeded, query, expected):
    assert expected in titles(client, query)


def test_words_match_from_their_start_only_and_never_in_the_text(client, seeded, make_technique):
    make_technique(name="Palm press", definition="Zebra stripes of pressure.", aliases="")
    assert "Kneading" not in titles(client, "eading")
    assert titles(client, "zebra") == []
    assert titles(client, "palm p")[0] == "Palm press"  # its name before the Hands routine's "palm"


def test_drafts_and_scheduled_items_are_never_suggested(client, db, make_technique, make_routine):
    make_technique(name="Knee circles")
    make_technique(name="Knee draft", status=Status.DRAFT)
    make_technique(name="Knee later", publish_at=timezone.now() + timezone.timedelta(days=1))
    make_routine(title="Knee routine draft", status=Status.DRAFT)
    assert titles(client, "knee") == ["Knee circles"]


def test_a_long_or_odd_query_gets_an_answer_not_an_error(client, seeded):
    assert titles(client, "x" * 5000) == []
    assert titles(client, "\u0000kne!") == ["Kneading"]
    assert client.get("/search/suggest/", {"q": ["kne", "arm"]}).status_code == 200


def test_suggestions_take_at_most_two_queries_and_are_served_from_the_page_cache(
    visited_site, client, django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(2):
        first = client.get("/search/suggest/", {"q": "kne"})
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        again = client.get("/search/suggest/", {"q": "kne"})
    assert again["X-Page-Cache"] == "hit"
    assert again.json() == first.json()


def test_a_change_to_the_content_shows_in_the_next_suggestions(visited_site, client, make_technique):
    assert titles(client, "vibr") == []
    make_technique(name="Vibration")
    assert titles(client, "vibr") == ["Vibration"]


def test_suggestions_are_not_counted_as_searches(visited_site, client):
    for query in ("kne", "kne", "calf"):  # the second from the page cache
        client.get("/search/suggest/", {"q": query})
    search_record.write_batch()
    assert not SearchCount.objects.exists()
    client.get("/search/", {"q": "calf"})
    search_record.write_batch()
    assert list(SearchCount.objects.values_list("query", "count")) == [("calf", 1)]


def test_the_suggestion_script_stays_small_and_loads_only_when_the_box_is_used(client, seeded):
    script = Path(__file__).resolve().parents[2] / "static" / "js" / "suggest.js"
    sent = gzip.compress(minify("suggest.js", script.read_text()).encode(), 9)
    assert len(sent) <= 1536  # 1.5 KB, as browsers get it once collectstatic has minified it
    html = client.get("/").content.decode()
    assert "suggest.js" not in "".join(part.split(">")[0] for part in html.split("<script")[1:])
    assert 'data-suggest="/search/suggest/"' in html
