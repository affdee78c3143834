"""A cache outage slows pages down but never takes them down: they are built from the database."""

import time
from unittest import mock

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.cache import cache, caches
from django.db import transaction
from django.urls import reverse
from reversion.models import Version

from bench.hung_server import HungServer
from content import caching
from content.caching import CacheUnavailable
from massage_site import search
from techniques import term_links
from techniques.models import Technique


def unreachable(*args, **kwargs):
    raise ConnectionError("cache server unreachable")


CACHE_CALLS = ("get", "set", "get_many", "set_many", "add", "incr", "delete", "delete_many", "has_key")


@pytest.fixture
def cache_down(monkeypatch):
    """Every cache read and write fails, as with Redis stopped."""
    for method in CACHE_CALLS:
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
    kneading = Technique.objects.get(slug="kneading")
    kneading.definition = "Changed while the cache was down."
    with pytest.raises(CacheUnavailable), transaction.atomic():  # as the admin saves
        kneading.save()
    assert Technique.objects.get(slug="kneading").definition != "Changed while the cache was down."


def test_an_editor_saving_while_the_cache_is_down_is_told_and_nothing_is_saved(
    editor_client, seeded, admin_form, monkeypatch
):
    kneading = Technique.objects.get(slug="kneading")
    url = reverse("admin:techniques_technique_change", args=[kneading.pk])
    form = admin_form(editor_client.get(url), definition="Changed while the cache was down.")
    history = Version.objects.get_for_object(kneading).count()
    with monkeypatch.context() as patch:
        for method in CACHE_CALLS:
            patch.setattr(cache, method, unreachable)
        response = editor_client.post(url, form)
    assert response.status_code == 302 and response["Location"] == url  # back to the form, not a 500
    page = editor_client.get(url).content.decode()
    assert "cache cannot be reached, so the change was not saved" in page
    assert "changed successfully" not in page
    assert Technique.objects.get(pk=kneading.pk).definition != "Changed while the cache was down."
    assert Version.objects.get_for_object(kneading).count() <= history + 1  # at most "as it was before"
    assert not LogEntry.objects.filter(object_id=str(kneading.pk), action_flag=CHANGE).exists()


# A hung cache server: it accepts connections and never answers.


class Clock:
    """Stands in for the time module in content/caching.py: its time moves only when told."""

    def __init__(self):
        self.now = 1000.0

    def monotonic(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(caching, "time", clock)
    caching.reset_skipping()
    yield clock
    caching.reset_skipping()


@pytest.fixture
def hung_cache(settings, clock):
    """The cache is a Redis that hangs (bench/hung_server.py), with short timeouts as in production."""
    server = HungServer().start()
    settings.CACHES = {
        "default": {
            "BACKEND": "content.caching.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
            "SKIP_SECONDS": 5,
        }
    }
    yield server
    server.stop()


PAGES = ["/", "/techniques/kneading/", "/routines/legs/", "/search/?q=kneeding", "/plan/?r=neck&r=legs"]


def test_a_hung_cache_costs_a_worker_one_short_timeout_not_one_per_page(client, seeded, hung_cache):
    started = time.monotonic()
    response = client.get("/")
    assert response.status_code == 200 and "X-Page-Cache" not in response  # built from the database
    assert 0.25 <= time.monotonic() - started < 0.25 + 2
    for url in PAGES * 3:
        response = client.get(url)
        assert response.status_code == 200 and "X-Page-Cache" not in response, url
    assert hung_cache.accepted == 1  # one try, one timeout; then left alone
    assert caching.skipping_cache()


def test_a_hung_cache_server_is_tried_again_after_the_interval(client, seeded, hung_cache, clock):
    assert client.get("/").status_code == 200
    clock.now += 4.9
    assert client.get("/").status_code == 200
    assert hung_cache.accepted == 1
    clock.now += 0.2
    assert client.get("/").status_code == 200
    assert hung_cache.accepted == 2


def test_the_health_check_reports_a_hung_cache_within_a_second(client, seeded, hung_cache):
    started = time.monotonic()
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json() == {"database": "ok", "cache": "error"}
    assert time.monotonic() - started < 1


def backend_beneath():
    """The Django cache backend under the skipping wrapper: a folder of files, or Redis, as configured."""
    mro = type(caches["default"]).__mro__
    return mro[mro.index(caching.SkipWhenUnreachable) + 1]


def test_after_a_failure_the_cache_is_skipped_then_used_again_once_it_answers(client, seeded, clock, caplog):
    calls = []

    def failing(self, *args, **kwargs):
        calls.append(args)
        raise OSError("disk unreadable")

    client.get("/routines/legs/")
    backend = backend_beneath()
    with mock.patch.object(backend, "get", failing), mock.patch.object(backend, "get_many", failing):
        assert client.get("/routines/legs/").status_code == 200
        assert len(calls) == 1
        for _ in range(5):
            response = client.get("/routines/legs/")
            assert response.status_code == 200 and "X-Page-Cache" not in response
        assert len(calls) == 1  # skipped: not even tried
    clock.now += 5
    assert client.get("/routines/legs/")["X-Page-Cache"] in ("hit", "miss")
    assert client.get("/routines/legs/")["X-Page-Cache"] == "hit"
    logged = [record.getMessage() for record in caplog.records if record.name == "content.caching"]
    assert len(logged) == 2
    assert logged[0].startswith(
        "Cache get_many failed (OSError: disk unreadable); this worker skips the cache for 5 s"
    )
    assert logged[1] == "Cache reachable again after 5.0 s"


def test_the_save_of_a_worker_skipping_the_cache_is_refused_at_once(seeded, clock):
    failing = mock.patch.object(backend_beneath(), "get", side_effect=OSError("disk unreadable"))
    with failing, pytest.raises(CacheUnavailable):
        cache.get("anything")
    kneading = Technique.objects.get(slug="kneading")
    kneading.definition = "Changed while the cache was being skipped."
    with pytest.raises(CacheUnavailable), transaction.atomic():
        kneading.save()
    assert Technique.objects.get(slug="kneading").definition != kneading.definition
