"""Measure public pages in-process: SQL queries, render time (until the page is answered, through
the WSGI application gunicorn serves), HTML size, and how a page-cache hit's time splits between
the cache lookup and the rest. Used by `make bench`.

Prints one JSON object per page. With --save-html DIR, writes each page's bytes
there too, so the benchmark can serve identical bytes as a static file (the ceiling).
"""

import gzip
import json
import statistics
import time
from pathlib import Path
from wsgiref.util import setup_testing_defaults

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from content.changes import GENERATION_KEY, NEXT_CHANGE_KEY, content_changed
from massage_site.page_cache import page_key

PAGES = {
    "home": "/",
    "glossary": "/techniques/",
    "technique": "/techniques/kneading/",
    "routines": "/routines/",
    "routine": "/routines/legs/",
    "search": "/search/?q=kneading",
    # Suggestions as a reader types in the header's search box (JSON, not a page).
    "suggest": "/search/suggest/?q=kne",
}


class Command(BaseCommand):
    help = "Measure the public pages: queries, uncached render time, HTML bytes (JSON lines)."

    def add_arguments(self, parser):
        parser.add_argument("--save-html", type=Path)
        parser.add_argument("--repeat", type=int, default=30)

    def handle(self, *args, save_html, repeat, **options):
        client = Client(HTTP_HOST="127.0.0.1")
        client.get("/robots.txt")  # the site has served before: page-cache bookkeeping in place
        for name, url in PAGES.items():
            content_changed()
            client.get("/robots.txt")  # bookkeeping back in place, as on a live site between edits
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            query_count = len(queries)  # read now: the next request clears Django's query log
            body = response.content
            # After an edit: a new content generation, so the page and everything derived from
            # the content (term lists, the search catalogue) are built again.
            timings = []
            for _ in range(repeat):
                content_changed()
                timings.append(answer_ms(url))
            # A page-cache miss between edits: this page rendered again, what it shares with
            # other pages still cached.
            key = page_key(client.get(url).wsgi_request)
            misses = []
            for _ in range(repeat):
                cache.delete(key)
                misses.append(answer_ms(url))
            if save_html:
                save_html.mkdir(parents=True, exist_ok=True)
                (save_html / f"{name}.html").write_bytes(body)
            hit_us, lookup_us = time_hit(client, url, repeat * 10)
            row = {
                "page": name,
                "url": url,
                "status": response.status_code,
                "queries": query_count,
                "render_ms_p50": round(statistics.median(timings), 2),
                "render_ms_p99": round(statistics.quantiles(timings, n=100)[98], 2),
                "miss_ms_p50": round(statistics.median(misses), 2),
                "miss_ms_p99": round(statistics.quantiles(misses, n=100)[98], 2),
                "html_bytes": len(body),
                "html_gzip_bytes": len(gzip.compress(body, 6)),
                "hit_us_p50": round(hit_us, 1),
                "lookup_us_p50": round(lookup_us, 1),
            }
            self.stdout.write(json.dumps(row))


def environ_for(url):
    path, _, query = url.partition("?")
    environ = {"PATH_INFO": path, "QUERY_STRING": query, "HTTP_HOST": "127.0.0.1"}
    setup_testing_defaults(environ)
    return environ


def answer_ms(url):
    """Milliseconds until the WSGI application gunicorn serves has answered ``url`` in full: what
    a reader waits for. What the worker does once the answer has gone out (the close, where the
    search catalogue is rebuilt after a change) follows, untimed, as under gunicorn."""
    from massage_site.wsgi import application

    start = time.perf_counter()
    answer = application(environ_for(url), lambda status, headers: None)
    b"".join(answer)
    answered = time.perf_counter() - start
    if hasattr(answer, "close"):
        answer.close()
    return answered * 1000


def time_hit(client, url, repeat):
    """Median microseconds of a page-cache hit through the WSGI application gunicorn serves, and of
    its cache lookup alone (the one get_many of generation, schedule and page)."""
    from massage_site.wsgi import application

    client.get(url)  # stored, and the bookkeeping in place
    environ = environ_for(url)
    answered = []
    b"".join(application(dict(environ), lambda status, headers: answered.append(dict(headers))))
    if answered[0].get("X-Page-Cache") != "hit":
        return float("nan"), float("nan")
    keys = [GENERATION_KEY, NEXT_CHANGE_KEY, page_key(client.get(url).wsgi_request)]
    hits, lookups = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        b"".join(application(dict(environ), lambda status, headers: None))
        middle = time.perf_counter()
        cache.get_many(keys)
        hits.append(middle - start)
        lookups.append(time.perf_counter() - middle)
    return statistics.median(hits) * 1e6, statistics.median(lookups) * 1e6
