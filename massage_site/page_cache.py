"""Whole-page caching for anonymous readers that is never stale.

Every cached page is filed under the current *content generation*
(content/changes.py). Saving or deleting any content sets a new generation, and so
does a scheduled item going live, so the very next request in every worker misses
the old entries and renders afresh. The shared cache (Redis in production) holds
the generation, so all workers and hosts agree.

Only anonymous GET/HEAD requests for public pages are cached: signed-in editors
(who have a session cookie), the admin and previews always see fresh pages.

Each address has one entry, tagged with the generation it was rendered under and
holding the finished bytes (raw and gzip, each with its ETag) and headers. A hit
costs one cache round trip and no other middleware. An entry from an older
generation is never served, not even while another worker re-renders it: a change
must show on the very next request, so a few workers may render the same page at
once just after a save (a page renders in about 10 ms).

Hits are answered before Django's request handling even starts, by the WSGI application
at the bottom of this file (``PageCacheApplication``); the middleware serves the hits
that reach Django (under the test client, or when the generation needed setting first)
and stores what Django renders.

When the cache cannot be reached, or the worker is skipping it after a failure
(content/caching.py), pages are rendered from the database and not stored, with no
X-Page-Cache header.
"""

import contextlib
import functools
import gzip
import hashlib
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers

from content.caching import CacheUnavailable
from content.changes import (
    GENERATION_KEY,
    NEXT_CHANGE_KEY,
    current_generation,
    rendering_for_cache,
    settled_generation,
)
from content.release import release

from . import request_id as request_ids
from . import search_record

CACHE_SECONDS = 24 * 60 * 60
# Query strings (search, filters, plans) come in endless variety: keep those briefly,
# and long ones not at all, so junk addresses cannot crowd out the real pages.
QUERY_CACHE_SECONDS = 10 * 60
MAX_CACHED_QUERY = 200
# Draft links (content/draft_links.py) open a draft for whoever holds one: never stored.
EXCLUDED_PREFIXES = ("/admin/", "/healthz", "/drafts/")
# Stored pages keep a gzip copy beside the raw bytes, compressed once when stored.
MIN_GZIP_BYTES = 200
COMPRESSIBLE_TYPES = ("text/", "application/xml", "application/atom+xml", "application/json")
GZIP_CODINGS = ("gzip", "x-gzip")  # x-gzip: the old name, still to be read as gzip (RFC 9110)
# Set per request, never stored with the entry.
PER_VARIANT_HEADERS = {"content-length", "content-encoding", "etag", "x-page-cache", "x-request-id"}
CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")


@functools.lru_cache(maxsize=256)  # browsers send a handful of distinct values
def accepts_gzip(accept_encoding):
    """Whether an Accept-Encoding header value takes gzip (RFC 9110 12.5.3).

    Exact codings with their weights: ``gzip;q=0`` refuses it, ``*`` covers it unless it is
    named, ``gzip-x`` is another coding. Gzip is chosen when it is weighted at least as high as
    ``identity`` (the uncompressed page), when that is named.
    """
    weights = {}
    for item in accept_encoding.split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        if not coding:
            continue
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value.strip())
                except ValueError:
                    weight = 0.0  # an unreadable weight is not a yes
        weights.setdefault(coding.lower(), weight)
    named = [weights[coding] for coding in GZIP_CODINGS if coding in weights]
    gzip_weight = max(named) if named else weights.get("*", 0.0)
    return gzip_weight > 0 and gzip_weight >= weights.get("identity", 0.0)


def _cacheable(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(EXCLUDED_PREFIXES)
        and not request.path.startswith((settings.STATIC_URL, settings.MEDIA_URL))
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and len(request.META.get("QUERY_STRING", "")) <= MAX_CACHED_QUERY
    )


def page_key(request):
    """One entry per address and release. The scheme and host are part of it: pages carry
    absolute links (canonical, og:url), and an https page carries HSTS. The release is
    (content/release.py): a deployment never serves pages the code before it rendered."""
    return f"page:{release()}:{request.scheme}://{request.get_host()}{request.get_full_path()}"


# Entries are stored as plain tuples led by this tag, not as pickled Entry objects: a release
# that changes Entry (and this tag) then reads older entries as misses, instead of failing
# to unpickle them on every request until they expire.
ENTRY_FORMAT = "page-entry/2"  # 2: Vary stored with the headers


class Entry(NamedTuple):
    """A page as stored: both encodings and every header, ready to send as it is."""

    generation: str
    headers: tuple
    body: bytes
    etag: str
    gzipped: bytes | None
    gzipped_etag: str | None

    @classmethod
    def from_response(cls, generation, response):
        body = response.content
        compressible = (
            len(body) >= MIN_GZIP_BYTES
            and response.get("Content-Type", "").startswith(COMPRESSIBLE_TYPES)
            and not response.has_header("Content-Encoding")
        )
        if compressible:  # both encodings answer to the address: shared caches must tell them apart
            patch_vary_headers(response, ("Accept-Encoding",))
        headers = tuple((name, value) for name, value in response.items() if name.lower() not in PER_VARIANT_HEADERS)
        gzipped = gzip.compress(body, compresslevel=6, mtime=0) if compressible else None
        # Each encoding is a different set of bytes, so each has its own strong ETag.
        return cls(generation, headers, body, _etag(body), gzipped, gzipped and _etag(gzipped))

    def stored(self):
        """The value that goes into the cache: plain values only."""
        return (ENTRY_FORMAT, *self)

    @classmethod
    def from_stored(cls, value):
        """The entry in a cached value, or None for anything else (an older format, say)."""
        if isinstance(value, tuple) and len(value) == len(cls._fields) + 1 and value[0] == ENTRY_FORMAT:
            return cls._make(value[1:])
        return None

    def answer(self, meta, state):
        """(status, headers, body) for a request with these META / WSGI environ headers: gzip if
        the browser takes it, 304 if it has it. The one answer, whether Django sends it
        (``respond``) or the layer in front of it does (``PageCacheApplication``)."""
        use_gzip = self.gzipped is not None and accepts_gzip(meta.get("HTTP_ACCEPT_ENCODING", ""))
        body, etag = (self.gzipped, self.gzipped_etag) if use_gzip else (self.body, self.etag)
        if _client_has(meta, etag):
            # Every header but the body's own: a 304 keeps the security headers too.
            headers = [(name, value) for name, value in self.headers if name.lower() != "content-type"]
            headers += [("ETag", etag), ("X-Page-Cache", state)]
            return 304, headers, b""
        headers = [*self.headers, ("Content-Length", str(len(body)))]
        if use_gzip:
            headers.append(("Content-Encoding", "gzip"))
        headers += [("ETag", etag), ("X-Page-Cache", state)]
        return 200, headers, body

    def respond(self, request, state):
        """The stored page for this request, as a Django response."""
        status, headers, body = self.answer(request.META, state)
        response = HttpResponseNotModified() if status == 304 else HttpResponse(body)
        for name, value in headers:
            response.headers[name] = value
        return response


def _etag(content):
    return f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'


def _client_has(meta, etag):
    if_none_match = meta.get("HTTP_IF_NONE_MATCH")
    if not if_none_match:
        return False
    return any(tag.strip().removeprefix("W/") in (etag, "*") for tag in if_none_match.split(","))


def _look_up(key):
    """The generation, the next scheduled change and the page, in one round trip."""
    try:
        return cache.get_many([GENERATION_KEY, NEXT_CHANGE_KEY, key])
    except CacheUnavailable:
        raise  # no answer: asking again would only wait again
    except Exception:  # an entry that no longer unpickles: without it, and it is rendered afresh
        return cache.get_many([GENERATION_KEY, NEXT_CHANGE_KEY])


class PageCacheMiddleware:
    """Serve anonymous public pages from the cache; store successful ones.

    It is the outermost middleware: a page in the cache goes out with one cache
    round trip (generation, schedule and page fetched together) and no other
    middleware, since the stored entry already carries every header the stack added
    (security headers, Cache-Control) when the page was first rendered.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable(request):
            return self.get_response(request)
        key = page_key(request)  # an unknown host raises here, and Django answers 400
        try:
            values = _look_up(key)
            generation = current_generation(values)
        except Exception:  # a cache outage must never take pages down: render from the database
            return self.get_response(request)
        entry = Entry.from_stored(values.get(key))
        if entry is not None and entry.generation == generation:
            if search_record.served_from_cache(request):  # a search served from here is counted too
                search_record.flush_after_response()
            return entry.respond(request, "hit")
        return self.render_and_store(request, key, generation)

    def render_and_store(self, request, key, generation):
        # Render the whole page even for a revalidating browser: the stored entry needs the
        # body, and the entry itself answers with a 304 when the browser's copy is current.
        conditional = {name: request.META.pop(name) for name in CONDITIONAL_HEADERS if name in request.META}
        with rendering_for_cache() as rendering:
            response = self.get_response(request)
        request.META.update(conditional)
        # Browsers and shared caches may keep the page but must check its ETag each time.
        patch_cache_control(response, public=True, no_cache=True)
        if (
            request.method != "GET"
            or response.status_code != 200
            or response.streaming
            or response.cookies
            or response.has_header("Set-Cookie")
            or rendering.from_before  # rendered with data from before a change: the next one is kept
        ):
            response["X-Page-Cache"] = "miss"
            return response
        entry = Entry.from_response(generation, response)
        timeout = QUERY_CACHE_SECONDS if request.META.get("QUERY_STRING") else CACHE_SECONDS
        with contextlib.suppress(Exception):  # a page not cached is merely slower
            cache.set(key, entry.stored(), timeout)
        return entry.respond(request, "miss")


REASONS = {200: "200 OK", 304: "304 Not Modified"}


class _ThenFlush(list):
    """An answer's body that sends the worker's search counts when the server closes it."""

    def close(self):
        with contextlib.suppress(Exception):  # the counts are lost, never the page
            search_record.flush()


class PageCacheApplication:
    """The WSGI application (massage_site/wsgi.py): page-cache hits answered before Django.

    A hit needs none of Django's request handling, so this thin layer in front of it answers
    them itself: the same rules (``_cacheable``, ``page_key``: host, scheme, signed-in,
    method, prefixes, query length) read from the same request object Django would build,
    the same one round trip for generation, schedule and page, and the same stored answer
    (``Entry.answer``) with a fresh X-Request-ID. The generation is read on every request,
    never kept here, so a change shows on the very next one.

    Everything else goes to Django with its environ as it came: a miss, an entry from an
    older generation or release, a generation that needs setting or a schedule that needs
    looking up (``settled_generation``), a refused host, a cache error. Django's page cache
    middleware then does what it always did.
    """

    def __init__(self, django_application):
        self.django = django_application

    def __call__(self, environ, start_response):
        answer = self.cached_answer(environ)
        if answer is None:
            return self.django(environ, start_response)
        status, headers, body, flush = answer
        start_response(REASONS[status], headers)
        # The searches this worker counted go to the shared cache once the answer has gone out.
        return _ThenFlush([body]) if flush else [body]

    def cached_answer(self, environ):
        """(status, headers, body, whether the worker's search counts are due to be sent) of a
        page-cache hit for this request, or None."""
        request_id = request_ids.assign(environ)
        with request_ids.answering(request_id):  # a cache warning logged here names the request
            try:
                # A copy: the request object rewrites PATH_INFO, and Django must read it as it came.
                request = WSGIRequest(environ.copy())
                if not _cacheable(request):
                    return None
                key = page_key(request)  # an unknown host raises here, and Django answers 400
                values = cache.get_many([GENERATION_KEY, NEXT_CHANGE_KEY, key])
                generation = settled_generation(values)
                entry = Entry.from_stored(values.get(key))
            except Exception:  # an outage, a refused host, an entry that no longer unpickles: Django's turn
                return None
        if entry is None or generation is None or entry.generation != generation:
            return None
        flush = search_record.served_from_cache(request)  # a search served from here is counted too
        status, headers, body = entry.answer(environ, "hit")
        headers.append((request_ids.HEADER, request_id))
        return status, headers, b"" if request.method == "HEAD" else body, flush
