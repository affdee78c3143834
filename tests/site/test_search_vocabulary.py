"""Everyday vocabulary: editors' search terms on techniques and routines, and the site's pages, found by search."""

import pytest
from django.urls import reverse

from massage_site.models import Page
from massage_site.search import search
from routines.models import Routine
from techniques.models import Technique


@pytest.mark.parametrize(
    ("model", "slug", "url_name"),
    [(Technique, "kneading", "admin:techniques_technique_change"), (Routine, "legs", "admin:routines_routine_change")],
)
def test_editors_keep_search_terms_in_the_admin_and_search_follows_at_once(
    editor_client, admin_form, seeded, model, slug, url_name
):
    item = model.objects.get(slug=slug)
    url = reverse(url_name, args=[item.pk])
    form = editor_client.get(url)
    html = form.content.decode()
    assert 'name="search_terms"' in html and "Never shown on the page" in html
    response = editor_client.post(url, admin_form(form, search_terms="dough, bread maker"))
    assert response.status_code == 302
    assert search("bread maker").results[0].title == str(item)


def test_a_site_page_is_found_and_its_result_links_to_it(client, seeded):
    html = client.get("/search/", {"q": "physiotherapist"}).content.decode()
    assert '<span class="result-kind">Page</span>' in html
    assert 'href="/pages/safety/"' in html


def test_the_about_page_result_links_to_its_own_address(seeded):
    result = search("reviewer").results
    assert any(r.url == "/about/" for r in result)


def test_a_page_edit_reaches_search_at_once(seeded):
    safety = Page.objects.get(slug="safety")
    safety.body += "<p>Warm up with a hot-water bottle.</p>"
    safety.save()
    assert [r.title for r in search("hot water bottle").results] == ["How to self-massage safely"]


def test_a_page_result_summary_is_plain_text_from_its_body(seeded):
    result = next(r for r in search("pregnant").results if r.kind == "Page")
    assert result.summary.startswith("Self-massage should feel comfortable.") and "<" not in result.summary
