"""The query table: what readers type, and the page that must come first.

Written from the content brief (every body area, every technique, aliases, misspellings and
what readers feel). It runs on whichever database is configured, so CI checks that SQLite and
PostgreSQL rank the same way.
"""

import pytest

from massage_site.search import search

QUERIES = [
    # Every body area, as named and in everyday or anatomical words.
    ("neck", "Neck"),
    ("stiff neck", "Neck"),
    ("base of the skull", "Neck"),
    ("shoulders", "Shoulders"),
    ("shoulder", "Shoulders"),
    ("under the arm", "Under the arm"),
    ("armpit", "Under the arm"),
    ("shoulder blade", "Under the arm"),
    ("arm", "Arms"),
    ("forearm", "Arms"),
    ("wrist", "Arms"),
    ("hands", "Hands"),
    ("palm", "Hands"),
    ("fingers", "Hands"),
    ("lower back", "Lower back"),
    ("back", "Lower back"),
    ("backache", "Lower back"),
    ("stomach", "Stomach"),
    ("tummy", "Stomach"),
    ("belly button", "Stomach"),
    ("legs", "Legs"),
    ("calf", "Legs"),
    ("calves", "Legs"),
    ("thigh", "Legs"),
    ("feet", "Feet"),
    ("sole", "Feet"),
    ("toes", "Feet"),
    # What readers feel.
    ("tired legs", "Legs"),
    ("sore feet", "Feet"),
    ("stiffness", "Neck"),
    ("cramps", "Stomach"),
    ("stomach cramps", "Stomach"),
    ("tense shoulders", "Shoulders"),
    # Every technique, by name and by alias.
    ("effleurage", "Effleurage"),
    ("stroking", "Effleurage"),
    ("kneading", "Kneading"),
    ("petrissage", "Kneading"),
    ("Pétrissage", "Kneading"),
    ("knuckling", "Knuckling"),
    ("knuckle rolling", "Knuckling"),
    ("pummelling", "Pummelling"),
    ("pummeling", "Pummelling"),
    ("cupping", "Cupping"),
    ("tapping", "Tapping"),
    ("circular thumb pressure", "Circular thumb pressure"),
    ("thumb circles", "Circular thumb pressure"),
    ("circular finger pressure", "Circular finger pressure"),
    ("finger circles", "Circular finger pressure"),
    ("pulling and stretching", "Pulling and stretching"),
    ("toe pull", "Pulling and stretching"),
    ("grab and release", "Grab and release"),
    ("squeeze and release", "Grab and release"),
    # Misspellings.
    ("taping", "Tapping"),
    ("kneeding", "Kneading"),
    ("efleurage", "Effleurage"),
    ("shouldrs", "Shoulders"),
    # The site's own pages.
    ("safety", "How to self-massage safely"),
    ("pregnant", "How to self-massage safely"),
    ("temples", "Self-massage, step by step"),
]


@pytest.mark.parametrize("query, first", QUERIES)
def test_the_right_page_comes_first(seeded, query, first):
    assert search(query).results[0].title == first


def test_the_table_covers_every_area_and_every_technique(seeded):
    from routines.models import Routine
    from techniques.models import Technique

    firsts = {first for _query, first in QUERIES}
    assert set(Routine.objects.values_list("title", flat=True)) <= firsts
    assert set(Technique.objects.values_list("name", flat=True)) <= firsts


def test_a_routine_comes_before_a_technique_for_a_body_part_word(seeded):
    kinds = [result.kind for result in search("thumb").results]
    assert kinds[0] == "Routine" and "Technique" in kinds


def test_a_technique_comes_before_a_routine_for_a_technique_word(seeded):
    kinds = [result.kind for result in search("knead").results]
    assert kinds[0] == "Technique" and "Routine" in kinds


def test_an_items_search_terms_outrank_a_mention_in_another_items_text(seeded, make_technique):
    make_technique(name="Apple press", definition="Like a walrus.", how_to="Walrus, walrus and walrus again.")
    make_technique(name="Zebra press", search_terms="walrus, flippers")
    assert [result.title for result in search("walrus").results] == ["Zebra press", "Apple press"]


def test_search_terms_find_an_item_without_showing_on_its_page(client, seeded):
    assert search("instep").results[0].title == "Feet"
    assert "instep" not in client.get("/routines/feet/").content.decode()
