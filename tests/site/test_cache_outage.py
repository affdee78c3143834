"""A cache outage slows pages down but never takes them down: they are built from the database."""

import pytest
from django.core.cache import cache

from massage_site import search
from techniques import term_links
from techniques.models import Technique


def unreachable(*args, **kwargs):
    raise ConnectionError("cache server unreachable")


@pytest.fixture
def cache_down(monkeypatch):
    """Every cache read and write fails, as with Redis stopped."""
    for method in ("get", "set", "get_many", "set_many", "add", "incr", "delete", "delete_many", "has_key"):
        monkeypatch.setattr(cache, method, unreachable)


def test_term_links_come_from_the_database_when_the_cache_is_down(seeded, cache_down):
    html = str(term_links.link_terms("<p>Knead the calf.</p>"))
    assert 'href="/techniques/kneading/"' in html
    assert "kneading" in {term["slug"] for term in term_links.terms()}


def test_search_works_when_the_cache_is_down(seeded, cache_down):
    assert "kneading" in search.catalogue()["words"]
    outcome = search.search("kneeding")  # the typo correction needs the catalogue
    assert outcome.corrected == "kneading" and outcome.results[0].title == "Kneading"


@pytest.mark.parametrize(
    "url, text",
    [
        ("/", "Self-massage"),
        ("/techniques/", "Kneading"),
        ("/techniques/kneading/", "Kneading"),
        ("/routines/", "Legs"),
        ("/routines/legs/", 'href="/techniques/kneading/"'),  # term links too
        ("/search/?q=kneeding", "Kneading"),
        ("/plan/?r=neck&r=legs", "Legs"),
        ("/sitemap.xml", "/techniques/kneading/"),
        ("/feed/", "Kneading"),
    ],
)
def test_pages_render_from_the_database_when_the_cache_is_down(client, seeded, cache_down, url, text):
    response = client.get(url)
    assert response.status_code == 200
    assert text in response.content.decode()
    assert "X-Page-Cache" not in response  # neither served from nor stored in the cache


def test_pages_are_cached_again_once_the_cache_is_back(client, seeded, monkeypatch):
    with monkeypatch.context() as patch:
        for method in ("get", "set", "get_many", "incr", "delete"):
            patch.setattr(cache, method, unreachable)
        assert client.get("/routines/legs/").status_code == 200
    assert client.get("/routines/legs/")["X-Page-Cache"] == "miss"
    assert client.get("/routines/legs/")["X-Page-Cache"] == "hit"


def test_an_outage_is_logged_once_not_per_request(seeded, cache_down, caplog, monkeypatch):
    monkeypatch.setattr("content.caching._last_warning", float("-inf"))
    for _ in range(5):
        term_links.terms()
    warnings = [record for record in caplog.records if record.name == "content.caching"]
    assert len(warnings) == 1 and "unreachable" in warnings[0].getMessage()


def test_a_save_while_the_cache_is_down_fails_rather_than_leave_pages_stale(seeded, cache_down):
    from django.db import transaction

    kneading = Technique.objects.get(slug="kneading")
    kneading.definition = "Changed while the cache was down."
    with pytest.raises(ConnectionError), transaction.atomic():  # as the admin saves
        kneading.save()
    assert Technique.objects.get(slug="kneading").definition != "Changed while the cache was down."
