"""Measure public pages in-process: SQL queries, render time, HTML size. Used by `make bench`.

Prints one JSON object per page. With --save-html DIR, writes each page's bytes
there too, so the benchmark can serve identical bytes as a static file (the ceiling).
"""

import gzip
import json
import statistics
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from content.changes import content_changed

PAGES = {
    "home": "/",
    "glossary": "/techniques/",
    "technique": "/techniques/kneading/",
    "routines": "/routines/",
    "routine": "/routines/legs/",
    "search": "/search/?q=kneading",
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
            timings = []
            for _ in range(repeat):
                content_changed()  # measure rendering, not the page cache
                start = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            if save_html:
                save_html.mkdir(parents=True, exist_ok=True)
                (save_html / f"{name}.html").write_bytes(body)
            row = {
                "page": name,
                "url": url,
                "status": response.status_code,
                "queries": query_count,
                "render_ms_p50": round(statistics.median(timings), 2),
                "render_ms_p99": round(statistics.quantiles(timings, n=100)[98], 2),
                "html_bytes": len(body),
                "html_gzip_bytes": len(gzip.compress(body, 6)),
            }
            self.stdout.write(json.dumps(row))
