"""Cached pages are answered by the WSGI application before Django, exactly as Django would answer them.

These drive massage_site.wsgi.application, the callable gunicorn serves, with WSGI environs
built here, and tell whether Django was reached by watching the Django application behind it.
"""

import gzip
import io

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from django.utils.datastructures import CaseInsensitiveMapping

from massage_site import wsgi
from massage_site.page_cache import PageCacheApplication, page_key
from massage_site.request_id import current_request_id
from techniques.models import Technique


class Reply:
    """What a WSGI server would send: status, headers (looked up in any case) and body."""

    def __init__(self, status, headers, body):
        self.status_code = int(status.split()[0])
        self.header_list = headers
        self.headers = CaseInsensitiveMapping(dict(headers))
        self.content = body

    def __getitem__(self, name):
        return self.headers[name]

    def __contains__(self, name):
        return name in self.headers


def environ(path, method="GET", host="testserver", **headers):
    """A WSGI environ as gunicorn builds one: the path as bytes read as ISO-8859-1 (PEP 3333)."""
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path.encode().decode("iso-8859-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": host,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **headers,
    }


class Site:
    """The WSGI application, with a count of the requests that reached Django behind it."""

    def __init__(self):
        self.django_calls = 0

    def django(self, environ, start_response):
        self.django_calls += 1
        return wsgi.django_application(environ, start_response)

    def get(self, path, method="GET", **headers):
        started = []
        application = PageCacheApplication(self.django)
        result = application(environ(path, method, **headers), lambda *answer: started.append(answer))
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return Reply(*started[0], body)

    def reached_django(self, path, **headers):
        """Whether this request went on to Django, and the reply."""
        before = self.django_calls
        reply = self.get(path, **headers)
        return self.django_calls > before, reply


@pytest.fixture
def site(seeded):
    """The site as gunicorn serves it, warm: the content generation and schedule are set.

    Django's handler closes database connections between requests; as the test client
    does, that is held off here so each test keeps its own transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        site = Site()
        site.get("/robots.txt")
        yield site
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_gunicorn_serves_the_layer_in_front_of_django():
    assert isinstance(wsgi.application, PageCacheApplication)
    assert wsgi.application.django is wsgi.django_application


def test_a_cached_page_is_answered_without_reaching_django(site, django_assert_num_queries):
    assert site.reached_django("/routines/legs/")[0]  # the first visit renders and stores it
    with django_assert_num_queries(0):
        reached, reply = site.reached_django("/routines/legs/")
    assert not reached
    assert reply.status_code == 200 and reply["X-Page-Cache"] == "hit"
    assert b"Legs" in reply.content and int(reply["Content-Length"]) == len(reply.content)


def test_a_hit_before_django_has_the_very_headers_django_gives_a_hit(site, client):
    site.get("/techniques/kneading/")
    through_django = client.get("/techniques/kneading/")
    reached, before_django = site.reached_django("/techniques/kneading/")
    assert not reached and through_django["X-Page-Cache"] == before_django["X-Page-Cache"] == "hit"
    assert before_django.content == through_django.content

    def comparable(headers):
        return {name.lower(): value for name, value in headers if name.lower() != "x-request-id"}

    assert comparable(before_django.header_list) == comparable(through_django.items())


def test_a_hit_before_django_carries_the_security_headers(site, assert_security_headers):
    site.get("/routines/feet/")
    reached, reply = site.reached_django("/routines/feet/")
    assert not reached
    assert_security_headers(reply)
    assert "no-cache" in reply["Cache-Control"] and "public" in reply["Cache-Control"]


def test_a_matching_etag_gets_304_before_django_with_the_security_headers(site, assert_security_headers):
    etag = site.get("/techniques/")["ETag"]
    reached, reply = site.reached_django("/techniques/", HTTP_IF_NONE_MATCH=etag)
    assert not reached and reply.status_code == 304 and reply.content == b""
    assert reply["ETag"] == etag and "Content-Type" not in reply and "Content-Length" not in reply
    assert_security_headers(reply)
    reached, reply = site.reached_django("/techniques/", HTTP_IF_NONE_MATCH='"another-version"')
    assert not reached and reply.status_code == 200 and reply["ETag"] == etag


def test_gzip_before_django_when_the_browser_takes_it_and_not_when_it_refuses_it(site):
    plain = site.get("/routines/legs/")
    reached, packed = site.reached_django("/routines/legs/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert not reached and packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 2
    assert packed["ETag"] != plain["ETag"]
    reached, refused = site.reached_django("/routines/legs/", HTTP_ACCEPT_ENCODING="gzip;q=0, identity")
    assert not reached and "Content-Encoding" not in refused and refused.content == plain.content
    for reply in (plain, packed, refused):
        assert "Accept-Encoding" in reply["Vary"]


def test_head_before_django_sends_the_headers_of_get_and_no_body(site):
    got = site.get("/routines/legs/")
    reached, head = site.reached_django("/routines/legs/", method="HEAD")
    assert not reached and head.status_code == 200 and head.content == b""
    assert head["Content-Length"] == got["Content-Length"] and head["ETag"] == got["ETag"]


def test_a_signed_in_editor_goes_to_django(site):
    site.get("/routines/legs/")
    reached, reply = site.reached_django("/routines/legs/", HTTP_COOKIE="sessionid=anything")
    assert reached and "X-Page-Cache" not in reply


@pytest.mark.parametrize("host", ["evil.example", "testserver:bad-port", "exa mple.org"])
def test_an_unknown_or_bad_host_goes_to_django_and_is_refused(site, host):
    site.get("/")
    reached, reply = site.reached_django("/", host=host)
    assert reached and reply.status_code == 400 and "X-Page-Cache" not in reply


@pytest.mark.parametrize(
    "path, headers",
    [
        ("/admin/login/", {}),
        ("/healthz", {}),
        ("/search/?q=" + "knead" * 50, {}),
    ],
)
def test_addresses_the_page_cache_leaves_alone_go_to_django(site, path, headers):
    site.get(path)
    reached, reply = site.reached_django(path, **headers)
    assert reached and "X-Page-Cache" not in reply


def test_anything_but_get_and_head_goes_to_django(site):
    site.get("/routines/legs/")
    before = site.django_calls
    reply = site.get("/routines/legs/", method="POST")
    assert site.django_calls == before + 1 and reply.status_code in (403, 405)


def test_an_https_page_is_never_answered_to_plain_http_nor_the_other_way(site, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert site.reached_django("/routines/legs/", HTTP_X_FORWARDED_PROTO="https")[0]
    reached, reply = site.reached_django("/routines/legs/", HTTP_X_FORWARDED_PROTO="https")
    assert not reached and 'href="https://testserver/routines/legs/"' in reply.content.decode()
    reached, reply = site.reached_django("/routines/legs/")
    assert reached and reply["X-Page-Cache"] == "miss"
    assert 'href="http://testserver/routines/legs/"' in reply.content.decode()


def test_an_edit_shows_on_the_very_next_request(site):
    site.get("/techniques/kneading/")
    assert not site.reached_django("/techniques/kneading/")[0]
    kneading = Technique.objects.get(slug="kneading")
    kneading.definition = "Edited a moment ago."
    kneading.save()
    reached, reply = site.reached_django("/techniques/kneading/")
    assert reached and "Edited a moment ago." in reply.content.decode()
    reached, reply = site.reached_django("/techniques/kneading/")
    assert not reached and "Edited a moment ago." in reply.content.decode()


def test_a_scheduled_item_appears_when_its_time_comes(site, make_technique, monkeypatch):
    make_technique(name="Wringing", slug="wringing", publish_at=timezone.now() + timezone.timedelta(minutes=5))
    site.get("/techniques/")
    reached, reply = site.reached_django("/techniques/")
    assert not reached and "Wringing" not in reply.content.decode()
    later = timezone.now() + timezone.timedelta(minutes=6)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    monkeypatch.setattr("content.changes.time.time", lambda: later.timestamp())
    reached, reply = site.reached_django("/techniques/")
    assert reached and "Wringing" in reply.content.decode()


def test_a_cache_outage_goes_to_django_and_the_page_is_still_served(site, monkeypatch):
    site.get("/routines/legs/")

    def unreachable(*args, **kwargs):
        raise ConnectionError("cache server unreachable")

    monkeypatch.setattr(cache, "get_many", unreachable)
    reached, reply = site.reached_django("/routines/legs/")
    assert reached and reply.status_code == 200 and "X-Page-Cache" not in reply
    assert b"Legs" in reply.content


def test_an_entry_that_cannot_be_read_goes_to_django_which_replaces_it(site, rf):
    site.get("/routines/legs/")
    cache.set(page_key(rf.get("/routines/legs/")), ("page-entry/1", "an older release's entry"))
    reached, reply = site.reached_django("/routines/legs/")
    assert reached and reply["X-Page-Cache"] == "miss" and b"Legs" in reply.content
    assert not site.reached_django("/routines/legs/")[0]


def test_every_hit_gets_its_own_request_id_or_keeps_the_proxys(site):
    site.get("/routines/legs/")
    ids = {site.get("/routines/legs/")["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3
    reply = site.get("/routines/legs/", HTTP_X_REQUEST_ID="from-the-proxy-42")
    assert reply["X-Page-Cache"] == "hit" and reply["X-Request-ID"] == "from-the-proxy-42"
    reply = site.get("/routines/legs/", HTTP_X_REQUEST_ID="not an id\n")
    assert reply["X-Request-ID"] != "not an id\n" and len(reply["X-Request-ID"]) == 32


def test_a_request_handed_on_to_django_keeps_the_id_its_log_lines_name(site, monkeypatch):
    """A cache warning logged before Django names the same request as the response does."""
    seen = []

    def unreachable(*args, **kwargs):
        seen.append(current_request_id())
        raise ConnectionError("cache server unreachable")

    monkeypatch.setattr(cache, "get_many", unreachable)
    reply = site.get("/routines/legs/")
    assert reply.status_code == 200 and seen and set(seen) == {reply["X-Request-ID"]}


@pytest.mark.parametrize("path", ["/techniques/naïve/", "/techniques/日本/"])
def test_an_address_beyond_ascii_reaches_django_as_it_came(site, client, path):
    reached, reply = site.reached_django(path)
    assert reached and reply.status_code == client.get(path).status_code == 404


def test_a_search_answered_before_django_is_still_counted(site, monkeypatch):
    from massage_site import search_record

    site.get("/search/?q=calf")
    search_record.flush()
    before = cache.get(search_record.SEQUENCE_KEY)
    reached, reply = site.reached_django("/search/?q=calf")
    assert not reached and reply["X-Page-Cache"] == "hit"
    assert cache.get(search_record.SEQUENCE_KEY) == before  # counted in memory, nothing sent yet
    monkeypatch.setattr(search_record, "FLUSH_SEARCHES", 1)
    site.reached_django("/search/?q=calf")  # now due: sent when the server closes the answer
    assert cache.get(search_record.SEQUENCE_KEY) == before + 1
    assert cache.get(f"search-record:event:{before + 1}") == ((timezone.localdate().isoformat(), "calf", None, 2),)
