"""Glossary terms in guide text link to their entries, with a definition preview."""

import re

import pytest
from django.utils import timezone

from content.publishing import Status
from techniques.models import Technique
from techniques.term_links import link_terms, terms, word_forms


def linked_slugs(html):
    return re.findall(r'<a class="term-link" href="/techniques/([\w-]+)/"', str(html))


@pytest.mark.parametrize(
    "term, forms",
    [
        ("kneading", {"knead", "kneads", "kneaded", "kneading"}),
        ("pummelling", {"pummel", "pummels", "pummelled", "pummeling", "pummelling"}),
        ("pummel", {"pummeling", "pummelling", "pummeled"}),
        ("tapping", {"tap", "taps", "tapped"}),
        ("knuckling", {"knuckle", "knuckles"}),
        ("stroking", {"stroke", "strokes", "stroked"}),
    ],
)
def test_common_inflections_are_recognised(term, forms):
    assert forms <= word_forms(term)


def test_legs_routine_links_effleurage_kneading_and_pummelling_from_its_text(client, seeded):
    html = client.get("/routines/legs/").content.decode()
    steps = html[html.index('id="steps-heading"') :]
    body_links = re.findall(r'<span class="term-ref"><a class="term-link" href="/techniques/([\w-]+)/"', steps)
    assert {"effleurage", "kneading", "pummelling"} <= set(body_links)
    assert "Your fingertips and thumbs" in steps  # the kneading definition rides along as the preview


def test_only_the_first_mention_in_a_block_is_linked_and_case_is_kept(seeded):
    html = link_terms("<p>Knead gently. Keep kneading, then knead again.</p>")
    assert linked_slugs(html) == ["kneading"]
    assert ">Knead</a>" in html


def test_names_and_aliases_link_including_us_spelling(seeded):
    html = link_terms("<p>Try petrissage.</p><p>Some say pummeling.</p><p>Thumb circles help.</p>")
    assert linked_slugs(html) == ["kneading", "pummelling", "circular-thumb-pressure"]


def test_longest_phrase_wins(seeded):
    html = link_terms("<p>Use circular thumb pressure on the forearm.</p>")
    assert linked_slugs(html) == ["circular-thumb-pressure"]
    assert ">circular thumb pressure</a>" in html


def test_terms_inside_links_and_headings_are_left_alone(seeded):
    html = link_terms('<h2>Kneading</h2><p><a href="/x/">kneading here</a> and cupping</p>')
    assert linked_slugs(html) == ["cupping"]


def test_a_term_never_links_to_its_own_page(client, seeded):
    html = client.get("/techniques/kneading/").content.decode()
    prose = html[html.index('id="how-heading"') : html.index("</section>", html.index('id="how-heading"'))]
    assert "kneading" in prose.lower()
    assert "/techniques/kneading/" not in prose


def test_words_that_merely_contain_a_term_are_not_linked(seeded):
    assert linked_slugs(link_terms("<p>Untapped potential and recuperation.</p>")) == []


def test_text_is_escaped_and_stays_safe(seeded):
    html = link_terms("<p>&lt;script&gt; kneading</p>")
    assert "&lt;script&gt;" in html and "<script>" not in html


@pytest.mark.parametrize(
    "fields", [{"status": Status.DRAFT}, {"publish_at": timezone.now() + timezone.timedelta(hours=1)}]
)
def test_unpublished_terms_are_not_linked(db, make_technique, fields):
    make_technique(name="Wringing", **fields)
    assert linked_slugs(link_terms("<p>Try wringing.</p>")) == []


def test_editor_changes_to_names_and_aliases_show_on_the_next_page_load(client, seeded):
    assert "wringing" not in linked_slugs(link_terms("<p>Try wringing.</p>"))
    kneading = Technique.objects.get(slug="kneading")
    kneading.aliases += ", wringing"
    kneading.save()
    assert linked_slugs(link_terms("<p>Try wringing.</p>")) == ["kneading"]
    kneading.delete()
    assert linked_slugs(link_terms("<p>Try wringing.</p>")) == []


def test_the_term_list_is_cached_not_queried_per_block(seeded, django_assert_num_queries):
    link_terms("<p>warm up</p>")
    with django_assert_num_queries(0):
        for _ in range(20):
            link_terms("<p>kneading and cupping</p>")


def test_a_scheduled_term_starts_linking_when_its_time_comes(db, make_technique, monkeypatch):
    technique = make_technique(name="Wringing", publish_at=timezone.now() + timezone.timedelta(hours=1))
    assert linked_slugs(link_terms("<p>wringing</p>")) == []
    later = timezone.now() + timezone.timedelta(hours=2)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert linked_slugs(link_terms("<p>wringing</p>")) == [technique.slug]


def test_a_page_renders_the_same_bytes_every_time(client, seeded):
    assert client.get("/routines/arms/").content == client.get("/routines/arms/").content


def test_html_entities_are_never_mistaken_for_terms(db, make_technique):
    make_technique(name="Quot")
    html = link_terms("<p>She said &quot;hello&quot; and quot.</p>")
    assert "&quot;hello&quot;" in html
    assert linked_slugs(html) == [Technique.objects.get(name="Quot").slug]


def test_each_term_links_to_its_techniques_own_address_and_keeps_its_aliases(seeded):
    listed = {term["slug"]: (term["url"], term["phrases"]) for term in terms()}
    assert listed == {t.slug: (t.get_absolute_url(), [t.name, *t.alias_list]) for t in Technique.objects.all()}
