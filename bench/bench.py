"""`make bench`: how close the site gets to serving static files, at seed size and at bulk size.

Builds a throwaway database (SQLite file, or a sibling PostgreSQL database when
DATABASE_URL is set), starts `make serve` itself (gunicorn + WhiteNoise,
hashed static files, the page cache; Redis too when REDIS_URL is set), and for
each page measures with wrk: requests per second and latency, then the same bytes
saved as a static file served by WhiteNoise from the same server (the static ceiling),
then the same answer (headers and body of the cached page) from a bare WSGI app under
the same gunicorn settings (bench/bare_wsgi.py, the WSGI ceiling). In-process it also
counts SQL queries, times an uncached render (after an edit, and on a page-cache miss
between edits), and times a page-cache hit and its cache
lookup alone.

Prints a Markdown table per size. Figures vary from run to run: a report, not a test.
"""

import base64
import gzip
import json
import os
import re
import shutil
import subprocess
import time
import urllib.request
from urllib.parse import urlsplit

from server import (
    PY,
    ROOT,
    WORK,
    free_port,
    fresh_postgres_database,
    latency_ms,
    machine,
    run,
    start_gunicorn,
    start_make_serve,
    stop,
    wait_until_up,
)

SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
WORKERS = os.environ.get("WORKERS", "4")


def bench_database(env):
    """A fresh database for the benchmark; never the developer's own."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        db = WORK / "bench.sqlite3"
        db.unlink(missing_ok=True)
        return f"sqlite:///{db}", "SQLite"
    name = urlsplit(url).path.lstrip("/") + "_bench"
    engine = "PostgreSQL + Redis" if env.get("REDIS_URL") else "PostgreSQL"
    return fresh_postgres_database(url, name), engine


def wrk(url):
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", url],
        check=True,
        text=True,
        capture_output=True,
    ).stdout

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": latency_ms(out, "50"),
        "p99": latency_ms(out, "99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def measure(size, env, static_root):
    html_dir = static_root / "bench" / size
    lines = run(PY, "manage.py", "measure_pages", "--save-html", str(html_dir), env=env)
    pages = [json.loads(line) for line in lines.splitlines() if line.startswith("{")]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_make_serve(env, port, WORKERS, log=WORK / f"serve-{size}.log")
    bare = None
    try:
        wait_until_up(base, timeout=180)  # make serve migrates, seeds and collects static files first
        saved = WORK / f"bare-{size}.json"
        saved.write_text(json.dumps({page["url"]: cached_answer(base + page["url"]) for page in pages}))
        bare_port = free_port()
        bare_base = f"http://127.0.0.1:{bare_port}"
        bare = start_gunicorn(
            {**env, "BARE_WSGI_PAGES": str(saved)},
            bare_port,
            WORKERS,
            log=WORK / f"bare-{size}.log",
            app="bare_wsgi:application",
            pythonpath=ROOT / "bench",
        )
        wait_until_up(bare_base, path=pages[0]["url"])
        for page in pages:
            page["served"] = wrk(base + page["url"])
            page["ceiling"] = wrk(f"{base}/static/bench/{size}/{page['page']}.html")
            page["bare"] = wrk(bare_base + page["url"])
    finally:
        stop(server)
        if bare:
            stop(bare)
    return pages


# Set by gunicorn on every answer, whichever app it runs.
SERVER_HEADERS = {"date", "server", "connection", "transfer-encoding"}


def cached_answer(url):
    """The status, headers and body the site sends for ``url`` from the page cache, as wrk asks
    for it (no compression), for the bare WSGI app to send as they are."""
    # Warm the page cache. Just after a change a search page is kept only once the spelling
    # catalogue has been built again, after the first search's response: ask until it is kept.
    for _attempt in range(20):
        with urllib.request.urlopen(url) as response:
            body = response.read()
            if response.headers["X-Page-Cache"] == "hit":
                break
        time.sleep(0.25)
    else:
        raise SystemExit(f"{url} did not come from the page cache")
    with urllib.request.urlopen(url) as response:
        body = response.read()
        headers = [(name, value) for name, value in response.headers.items() if name.lower() not in SERVER_HEADERS]
        return {
            "status": f"{response.status} {response.reason}",
            "headers": headers,
            "body": base64.b64encode(body).decode(),
        }


def table(size, pages):
    rows = [
        f"\n### {size}\n",
        "| page | queries | render p50 / p99 ms (after an edit) | render p50 / p99 ms (page-cache miss) "
        "| served p50 / p99 ms | req/s | static ceiling req/s | ratio | bare WSGI req/s | ratio "
        "| hit µs in-process (lookup) | HTML bytes (gzip) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for p in pages:
        s, c, b = p["served"], p["ceiling"], p["bare"]
        errors = s["errors"] + c["errors"] + b["errors"]
        rows.append(
            f"| {p['page']} | {p['queries']} | {p['render_ms_p50']:.1f} / {p['render_ms_p99']:.1f} "
            f"| {p['miss_ms_p50']:.1f} / {p['miss_ms_p99']:.1f} "
            f"| {s['p50']:.2f} / {s['p99']:.2f} | {s['rps']:.0f} | {c['rps']:.0f} | {s['rps'] / c['rps']:.0%} "
            f"| {b['rps']:.0f} | {s['rps'] / b['rps']:.2f} | {p['hit_us_p50']:.0f} ({p['lookup_us_p50']:.0f}) "
            f"| {p['html_bytes']:,} ({p['html_gzip_bytes']:,}) |" + (f" {errors} non-2xx/3xx!" if errors else "")
        )
    return "\n".join(rows)


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    WORK.mkdir(exist_ok=True)
    env = dict(os.environ)
    static_root = WORK / "static"
    env.update(
        DEBUG="0",
        STATIC_HASHED="1",
        SERVE_MEDIA="1",
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(WORK / "media"),
        CACHE_DIR=str(WORK / "cache"),  # without REDIS_URL: the workers' shared cache, wiped below
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
    )
    env["DATABASE_URL"], engine = bench_database(env)
    shutil.rmtree(WORK / "cache", ignore_errors=True)
    print(f"Preparing the benchmark database ({engine})…", flush=True)
    run(PY, "manage.py", "migrate", "--noinput", env=env)
    run(PY, "manage.py", "seed_guides", env=env)
    run(PY, "manage.py", "collectstatic", "--noinput", env=env)
    sizes = {}
    sizes["seed size"] = measure("seed", env, static_root)
    print("Adding bulk content (1,000 techniques, 500 routines)…", flush=True)
    run(PY, "manage.py", "bulk_content", env=env)
    sizes["bulk size"] = measure("bulk", env, static_root)
    print(f"\n## Benchmark: {engine}, {machine()}, {WORKERS} gunicorn workers,")
    print(f"wrk {CONNECTIONS} connections for {SECONDS} s per row; pages warm in the page cache.")
    for size, pages in sizes.items():
        print(table(size, pages))
    print(assets_table(static_root / "bench" / "seed", static_root))


# The front-end budget: the CSS and JavaScript one page makes a browser fetch, compressed as sent.
ASSET_BUDGET_GZIP = 14 * 1024
_ASSET = re.compile(r'<(?:link rel="stylesheet"(?![^>]*media="print")[^>]*href|script[^>]*src)="(/static/[^"]+)"')


def assets_table(html_dir, static_root):
    """CSS + JS each page loads (print stylesheets aside), raw and gzip, against the budget."""
    rows = [
        "\n### CSS + JS per page (sent compressed; budget 14 KB gzip)\n",
        "| page | raw bytes | gzip bytes |",
        "|---|---|---|",
    ]
    for html in sorted(html_dir.glob("*.html")):
        files = [static_root / url.removeprefix("/static/") for url in _ASSET.findall(html.read_text())]
        if not files:  # an answer that is not a page (the suggestions' JSON) loads no assets
            continue
        raw = sum(len(f.read_bytes()) for f in files)
        packed = sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)
        verdict = "" if packed <= ASSET_BUDGET_GZIP else " **over budget**"
        rows.append(f"| {html.stem} | {raw:,} | {packed:,}{verdict} |")
    return "\n".join(rows)


if __name__ == "__main__":
    main()
