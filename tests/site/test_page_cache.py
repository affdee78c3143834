"""Cached pages are served fast but never stale: every change shows on the very next request."""

import gzip
import os
import re
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from content.publishing import Status
from massage_site.models import Page
from massage_site.page_cache import Entry, _cacheable, page_key
from routines.models import Routine
from techniques.models import Technique


def get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code in (200, 304, 404)
    return response


def test_second_anonymous_visit_is_served_from_the_cache(client, seeded, django_assert_num_queries):
    assert get(client, "/routines/legs/")["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = get(client, "/routines/legs/")
    assert response["X-Page-Cache"] == "hit"


def test_a_revalidating_browser_gets_304(client, seeded):
    etag = get(client, "/techniques/kneading/")["ETag"]
    assert get(client, "/techniques/kneading/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert "no-cache" in get(client, "/techniques/kneading/")["Cache-Control"]


def test_editing_a_technique_shows_everywhere_at_once(client, seeded):
    for url in ("/techniques/kneading/", "/techniques/", "/routines/legs/"):
        get(client, url)
    kneading = Technique.objects.get(slug="kneading")
    kneading.definition = "A freshly edited definition."
    kneading.save()
    for url in ("/techniques/kneading/", "/techniques/", "/routines/legs/"):
        assert "A freshly edited definition." in get(client, url).content.decode(), url


def test_publishing_and_unpublishing_show_at_once(client, seeded, make_technique):
    draft = make_technique(name="Wringing", slug="wringing", status=Status.DRAFT)
    assert get(client, "/techniques/wringing/").status_code == 404
    assert "Wringing" not in get(client, "/techniques/").content.decode()
    draft.status = Status.PUBLISHED
    draft.save()
    assert get(client, "/techniques/wringing/").status_code == 200
    assert "Wringing" in get(client, "/techniques/").content.decode()
    draft.status = Status.DRAFT
    draft.save()
    assert get(client, "/techniques/wringing/").status_code == 404


def test_reordering_steps_shows_at_once(client, seeded):
    legs = Routine.objects.get(slug="legs")
    first, *_rest, last = legs.steps.all()
    get(client, "/routines/legs/")
    first.order, last.order = last.order, first.order
    first.save()
    last.save()
    text = re.sub(r"<[^>]+>", "", get(client, "/routines/legs/").content.decode())
    assert text.index(last.instruction[:15]) < text.index(first.instruction[:15])


def test_changing_tags_and_pages_shows_at_once(client, seeded):
    get(client, "/routines/stomach/")
    Routine.objects.get(slug="stomach").benefits.add("digestion")
    assert "digestion" in get(client, "/routines/stomach/").content.decode()
    get(client, "/")
    home = Page.objects.get(slug="home")
    home.body = "<p>A new welcome.</p>"
    home.save()
    assert "A new welcome." in get(client, "/").content.decode()


def test_a_scheduled_item_appears_when_its_time_comes_without_any_save(client, seeded, make_technique, monkeypatch):
    make_technique(name="Wringing", slug="wringing", publish_at=timezone.now() + timezone.timedelta(minutes=5))
    assert get(client, "/techniques/wringing/").status_code == 404
    assert "Wringing" not in get(client, "/techniques/").content.decode()
    assert get(client, "/techniques/")["X-Page-Cache"] == "hit"

    later = timezone.now() + timezone.timedelta(minutes=6)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    monkeypatch.setattr("content.changes.time.time", lambda: later.timestamp())
    assert "Wringing" in get(client, "/techniques/").content.decode()
    assert get(client, "/techniques/wringing/").status_code == 200


def test_signed_in_editors_always_get_a_fresh_page(staff_client, seeded):
    assert "X-Page-Cache" not in get(staff_client, "/routines/legs/")
    assert "X-Page-Cache" not in get(staff_client, "/routines/legs/")


def test_a_cached_page_never_repeats_a_request_id(client, seeded):
    first = get(client, "/routines/legs/")
    second, third = get(client, "/routines/legs/"), get(client, "/routines/legs/")
    assert second["X-Page-Cache"] == third["X-Page-Cache"] == "hit"
    assert len({first["X-Request-ID"], second["X-Request-ID"], third["X-Request-ID"]}) == 3
    entry = Entry.from_stored(cache.get(page_key(RequestFactory().get("/routines/legs/"))))
    assert "x-request-id" not in {name.lower() for name, _value in entry.headers}


def test_pages_still_render_when_the_cache_is_down(client, seeded, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache server unreachable")

    monkeypatch.setattr(cache, "get_many", broken)
    response = get(client, "/routines/legs/")
    assert response.status_code == 200 and "Legs" in response.content.decode()


@pytest.mark.parametrize("url", ["/admin/login/", "/healthz"])
def test_the_admin_is_never_cached(client, db, url):
    assert "X-Page-Cache" not in client.get(url)


def test_long_query_strings_are_never_cached(client, seeded):
    url = "/search/?q=" + "knead" * 50
    get(client, url)
    assert "X-Page-Cache" not in get(client, url)


def test_browsers_that_take_gzip_get_the_page_compressed(client, seeded):
    plain = get(client, "/routines/legs/")
    packed = get(client, "/routines/legs/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip" and packed["X-Page-Cache"] == "hit"
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 2
    assert int(packed["Content-Length"]) == len(packed.content)
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]


@pytest.mark.parametrize(
    "accept_encoding",
    [
        "gzip;q=0, identity",
        "gzip; q=0",
        "gzip-x",
        "x-gzip-not, deflate, br",
        "*;q=0",
        "identity",
        "",
        "gzip;q=0.5, identity",
    ],
)
def test_browsers_that_refuse_gzip_get_the_page_uncompressed(client, seeded, accept_encoding):
    plain = get(client, "/routines/legs/")
    response = get(client, "/routines/legs/", HTTP_ACCEPT_ENCODING=accept_encoding)
    assert response["X-Page-Cache"] == "hit"
    assert "Content-Encoding" not in response and response.content == plain.content


@pytest.mark.parametrize(
    "accept_encoding", ["GZIP", "deflate, gzip;q=0.8", "x-gzip", "*", "br;q=1.0, *;q=0.5", "gzip;q=1, identity;q=0.5"]
)
def test_browsers_that_take_gzip_however_they_say_it_get_it(client, seeded, accept_encoding):
    get(client, "/routines/legs/")
    response = get(client, "/routines/legs/", HTTP_ACCEPT_ENCODING=accept_encoding)
    assert response["X-Page-Cache"] == "hit" and response["Content-Encoding"] == "gzip"


def test_each_encoding_revalidates_with_its_own_etag(client, seeded):
    plain = get(client, "/techniques/kneading/")
    packed = get(client, "/techniques/kneading/", HTTP_ACCEPT_ENCODING="gzip")
    assert plain["ETag"] != packed["ETag"]
    again = get(client, "/techniques/kneading/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"])
    assert again.status_code == 304 and again.content == b""
    # A copy in the other encoding is not the same bytes: the browser gets the page.
    other = get(client, "/techniques/kneading/", HTTP_IF_NONE_MATCH=packed["ETag"])
    assert other.status_code == 200 and other.content == plain.content


def test_a_revalidation_after_a_change_gets_the_new_page(client, seeded):
    etag = get(client, "/techniques/kneading/")["ETag"]
    kneading = Technique.objects.get(slug="kneading")
    kneading.definition = "Changed since the browser last looked."
    kneading.save()
    response = get(client, "/techniques/kneading/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "Changed since the browser last looked." in response.content.decode()
    # The entry was stored in passing: the next revalidation with the new tag is a 304 hit.
    response = get(client, "/techniques/kneading/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert response.status_code == 304 and response["X-Page-Cache"] == "hit"


def test_a_revalidating_browser_gets_304_even_when_the_page_was_not_cached_yet(client, seeded):
    etag = get(client, "/routines/feet/")["ETag"]
    cache.clear()
    response = get(client, "/routines/feet/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response["X-Page-Cache"] == "miss"


def test_feeds_and_sitemaps_are_cached_and_compressed_too(client, seeded):
    for url in ("/feed/", "/sitemap.xml"):
        get(client, url)
        response = get(client, url, HTTP_ACCEPT_ENCODING="gzip")
        assert response["X-Page-Cache"] == "hit" and response["Content-Encoding"] == "gzip", url
        assert gzip.decompress(response.content).startswith(b"<?xml"), url


def test_an_unknown_host_is_refused_not_cached(client, seeded):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400 and "X-Page-Cache" not in response


def test_static_files_do_not_wait_for_the_page_cache(rf):
    assert not _cacheable(rf.get("/static/css/site.css")) and not _cacheable(rf.get("/media/a.webp"))
    assert _cacheable(rf.get("/routines/legs/"))


def test_every_worker_process_shares_the_cache(db, settings):
    """gunicorn runs several processes: what one caches (or drops, on a save) the others see.
    A per-process memory cache would leave other workers serving a page a save had changed."""
    worker = (
        "import django; django.setup(); from django.core.cache import cache; "
        "cache.set('written-by-another-worker', 'yes'); print(cache.get('page-cache:probe'))"
    )
    cache.set("page-cache:probe", "seen")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "massage_site.settings"}
    if "LOCATION" in settings.CACHES["default"] and not os.environ.get("REDIS_URL"):
        env["CACHE_DIR"] = str(settings.CACHES["default"]["LOCATION"])
    out = subprocess.run([sys.executable, "-c", worker], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "seen"
    assert cache.get("written-by-another-worker") == "yes"


@pytest.mark.parametrize(
    "older", [HttpResponse(b"a page pickled by an older release"), ("page-entry/0", "generation", b"old bytes")]
)
def test_an_entry_left_by_an_older_release_is_rendered_afresh(client, seeded, older):
    url = "/routines/legs/"
    get(client, url)
    cache.set(page_key(RequestFactory().get(url)), older)
    response = get(client, url)
    assert response["X-Page-Cache"] == "miss" and "Legs" in response.content.decode()
    assert get(client, url)["X-Page-Cache"] == "hit"


def _gone_class(*args):
    raise TypeError("this class changed since the value was stored")


class UnreadableEntry:
    """A cached value that no longer unpickles, as one stored by code that has since changed."""

    def __reduce__(self):
        return (_gone_class, ())


def test_an_entry_that_no_longer_unpickles_is_replaced_not_left_to_fail(client, seeded):
    url = "/techniques/kneading/"
    get(client, url)
    cache.set(page_key(RequestFactory().get(url)), UnreadableEntry())
    response = get(client, url)
    assert response.status_code == 200 and response["X-Page-Cache"] == "miss"
    assert get(client, url)["X-Page-Cache"] == "hit"


def test_a_page_cached_under_one_release_is_not_served_by_the_next(client, seeded, monkeypatch):
    """A deployment with new code or static files renders afresh: a cached page of the release
    before would name static files the new one no longer has."""
    from massage_site import page_cache

    assert client.get("/routines/neck/")["X-Page-Cache"] == "miss"
    assert client.get("/routines/neck/")["X-Page-Cache"] == "hit"
    monkeypatch.setattr(page_cache, "release", lambda: "the-next-release")
    assert client.get("/routines/neck/")["X-Page-Cache"] == "miss"
    assert client.get("/routines/neck/")["X-Page-Cache"] == "hit"
