"""`make loadtest`: the production-like server under load, while an editor publishes, and through faults.

Builds its own PostgreSQL database (massage_loadtest, dropped and created afresh) and
runs its own Redis (a separate redis-server on a free port, never the machine's), seeds
the guides, and starts gunicorn as `make serve` does (hashed static files, DEBUG off,
media served, WORKERS sync workers). Then four phases, each from a warm cache and LOADTEST_SECONDS long
with LOADTEST_CONNECTIONS wrk connections cycling through every kind of public page,
while an editor (a thread here, saving through the ORM in a transaction as the admin
does) changes a technique's definition every second and checks that the very next
page load shows it:

1. normal: nothing goes wrong;
2. redis-down: the cache server is stopped a quarter of the way in and started again
   at two thirds: pages keep coming (built from the database) and are cached again
   once it is back;
3. redis-hung: the same, but in Redis's place on its port a server that accepts
   connections and never answers (bench/hung_server.py): each worker waits out one
   short timeout, then skips the cache for a few seconds at a time (content/caching.py),
   so pages keep coming from the database, all of them within a second;
4. worker-kill: one gunicorn worker is killed (SIGKILL) a third of the way in:
   gunicorn starts a replacement; at most that worker's in-flight request fails.

Prints a table per phase (requests, req/s, responses by class, socket errors, p50 and
p99 latency, the editor's saves) and exits non-zero when the site failed: any 5xx,
4xx, socket error or stale page in the normal phase; any 5xx in the redis-down phase
or no recovery; any 5xx, 4xx or socket error, a p99 of a second or more, or no
recovery in the redis-hung phase; more errors than the killed worker's in-flight
request, or no replacement worker, in the worker-kill phase.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date

from server import (
    PY,
    ROOT,
    WORK,
    free_port,
    fresh_postgres_database,
    machine,
    run,
    start_gunicorn,
    stop,
    wait_until_up,
)

SECONDS = int(os.environ.get("LOADTEST_SECONDS", "20"))
CONNECTIONS = int(os.environ.get("LOADTEST_CONNECTIONS", "64"))
WORKERS = int(os.environ.get("WORKERS", "4"))
# A page slower than this counts as failed (a socket timeout in wrk's figures).
TIMEOUT_SECONDS = int(os.environ.get("LOADTEST_TIMEOUT", "10"))
DATABASE_URL = os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/massage_loadtest")
REDIS_DB = 14
# Once the cache answers again, a worker may still be skipping it for CACHE_SKIP_SECONDS.
RECOVERY_SECONDS = float(os.environ.get("CACHE_SKIP_SECONDS") or 5) + 5
HUNG_P99_MS = 1000
HERE = WORK / "loadtest"
EDIT_EVERY_SECONDS = 1.0
EDITED_TECHNIQUE = "kneading"

# Counts responses by class per wrk thread; done() adds them up and prints one line wrk won't.
LUA = r"""
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  n = id * 7
  s2, s3, s4, s5, hits, uncached = 0, 0, 0, 0, 0, 0
end
function request()
  n = n % #paths + 1
  return wrk.format("GET", paths[n])
end
function response(status, headers, body)
  if status >= 500 then s5 = s5 + 1
  elseif status >= 400 then s4 = s4 + 1
  elseif status >= 300 then s3 = s3 + 1
  else s2 = s2 + 1 end
  if headers["X-Page-Cache"] == "hit" then hits = hits + 1
  elseif headers["X-Page-Cache"] == nil and status < 300 then uncached = uncached + 1 end
end
function done(summary, latency, requests)
  local t = {0, 0, 0, 0, 0, 0}
  for _, thread in ipairs(threads) do
    t[1] = t[1] + thread:get("s2"); t[2] = t[2] + thread:get("s3")
    t[3] = t[3] + thread:get("s4"); t[4] = t[4] + thread:get("s5"); t[5] = t[5] + thread:get("hits")
    t[6] = t[6] + thread:get("uncached")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d s2xx=%d s3xx=%d s4xx=%d s5xx=%d hits=%d uncached=%d connect=%d read=%d "
    .. "write=%d timeout=%d p50_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, t[1], t[2], t[3], t[4], t[5], t[6], e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


@dataclass
class Phase:
    name: str
    result: dict = field(default_factory=dict)
    saves: int = 0
    refused: int = 0
    stale: int = 0
    check_errors: int = 0  # the editor's page load after a save failed outright
    notes: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    started: float = 0.0

    def note(self, text):
        """Something that happened, stamped with the time into the phase."""
        self.notes.append((time.time() - self.started, text))

    @property
    def socket_errors(self):
        return sum(self.result[k] for k in ("connect", "read", "write", "timeout"))


class Redis:
    """A redis-server of the load test's own, without persistence, that can be stopped and started."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.cli("ping").strip() == "PONG":
                return
            time.sleep(0.1)
        raise SystemExit("the load test's redis-server did not start")

    def stop(self):
        """Shut it down (nothing saved: the cache comes back empty, as after a crash)."""
        if self.process and self.process.poll() is None:
            self.cli("shutdown", "nosave")
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def cli(self, *args):
        out = subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True)
        return out.stdout


class HungCache:
    """bench/hung_server.py on a port: accepts connections, never answers."""

    def __init__(self, port):
        self.port = port
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [PY, str(ROOT / "bench" / "hung_server.py"), str(self.port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        deadline = time.time() + 10
        while time.time() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise SystemExit("the hung cache server did not start")

    def stop(self):
        """Stop it (every connection it held is closed with it); what it says it saw."""
        if self.process is None:
            return ""
        if self.process.poll() is None:
            self.process.terminate()
        out, _ = self.process.communicate(timeout=10)
        return out.strip().splitlines()[-1] if out.strip() else ""


class Editor(threading.Thread):
    """An editor publishing a change every second, as the admin saves it (one transaction, with
    a history entry); checks that the very next page load shows each change."""

    def __init__(self, base):
        super().__init__(daemon=True)
        self.base = base
        self.phase = None
        self.halt = threading.Event()
        self.number = 0
        self.lock = threading.Lock()
        self.checks = []

    def run(self):
        import reversion
        from django.db import connection, transaction

        from techniques.models import Technique

        next_save = time.monotonic()
        try:
            while not self.halt.wait(max(0.0, next_save - time.monotonic())):
                next_save += EDIT_EVERY_SECONDS
                phase = self.phase
                if phase is None:
                    continue
                self.number += 1
                text = f"Lift, squeeze and roll the muscle away from the bone (edit {self.number})."
                try:
                    with transaction.atomic(), reversion.create_revision():
                        technique = Technique.objects.get(slug=EDITED_TECHNIQUE)
                        technique.definition = text
                        technique.save()
                        reversion.set_comment("Changed Definition.")
                except Exception as error:  # noqa: BLE001 (counted and reported)
                    with self.lock:
                        phase.refused += 1
                        if phase.refused == 1:
                            phase.note(f"editor's save refused: {type(error).__name__}: {error}")
                    continue
                with self.lock:
                    phase.saves += 1
                check = threading.Thread(target=self.check, args=(phase, self.number), daemon=True)
                check.start()
                self.checks.append(check)
        finally:
            connection.close()
            for check in self.checks:
                check.join()

    def check(self, phase, number):
        """The next load of the technique's page shows this edit (or a later one)."""
        status, _cache, body = fetch(f"{self.base}/techniques/{EDITED_TECHNIQUE}/")
        if status != 200:
            with self.lock:
                phase.check_errors += 1
                phase.note(f"the editor's page load after a save failed: {status or 'no response'}")
            return
        shown = [int(n) for n in re.findall(r"\(edit (\d+)\)", body)]
        if not shown or max(shown) < number:
            with self.lock:
                phase.stale += 1


def fetch(url):
    """(status, X-Page-Cache header or None, body) of one GET; status 0 when there was no answer."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            return response.status, response.headers.get("X-Page-Cache"), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Page-Cache"), ""
    except OSError:  # refused, reset, timed out
        return 0, None, ""


def timed_fetch(url):
    """fetch(), and how long it took in seconds."""
    started = time.monotonic()
    return *fetch(url), time.monotonic() - started


def page_paths():
    """One address of every kind of public page (all techniques, routines and tags)."""
    from massage_site.tags import TAG_VOCABULARIES
    from routines.models import Routine
    from techniques.models import Technique

    techniques = list(Technique.objects.published().order_by("name"))
    routines = list(Routine.objects.published().order_by("order", "title"))
    picture = next(t.illustration.url for t in techniques if t.illustration)
    paths = [
        "/",
        "/techniques/",
        "/routines/",
        "/routines/?area=legs-feet",
        "/routines/?benefit=relaxation&max=10",
        "/search/?q=kneading",
        "/search/?q=kneeding",
        "/plan/?r=neck&r=legs",
        "/pages/safety/",
        "/sitemap.xml",
        "/feed/",
        "/robots.txt",
        picture,
    ]
    paths += [t.get_absolute_url() for t in techniques]
    paths += [r.get_absolute_url() for r in routines]
    slugs = {slug for model in TAG_VOCABULARIES for slug in model.objects.values_list("slug", flat=True)}
    paths += [f"/tags/{slug}/" for slug in sorted(slugs)]
    return paths


def warm(base, when):
    """Every page answers 200, and is in the page cache."""
    for path in PATHS:
        status = fetch(base + path)[0]
        if status != 200:
            raise SystemExit(f"{path} answered {status} {when}")


def lua_script(paths):
    quoted = ", ".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    script = HERE / "pages.lua"
    script.write_text(f"paths = {{{quoted}}}\n{LUA}")
    return script


def start_wrk(base, script):
    return subprocess.Popen(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", f"--timeout={TIMEOUT_SECONDS}s", "-s", str(script), base],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish_wrk(process, phase):
    out, _ = process.communicate()
    match = re.search(r"^RESULT (.*)$", out, re.M)
    if process.returncode or not match:
        raise SystemExit(f"wrk failed in phase {phase.name}:\n{out}")
    phase.result = {key: int(value) for key, value in (pair.split("=") for pair in match.group(1).split())}


def workers(master):
    out = subprocess.run(["pgrep", "-P", str(master.pid)], capture_output=True, text=True).stdout
    return sorted(int(pid) for pid in out.split())


def at(start, fraction):
    """Sleep until ``fraction`` of the phase has passed."""
    time.sleep(max(0.0, start + SECONDS * fraction - time.time()))


def normal(base, server, redis, phase):
    pass


def redis_down(base, server, redis, phase, probe):
    at(phase.started, 0.25)
    redis.stop()
    phase.note("Redis stopped (shutdown nosave)")
    status, cache_header, _ = fetch(base + probe)
    phase.note(f"{probe} with Redis down: {status}, X-Page-Cache {cache_header or 'absent (built from the database)'}")
    if status != 200:
        phase.problems.append(f"{probe} answered {status} with Redis down")
    at(phase.started, 0.65)
    redis.start()
    phase.note("Redis started again (empty)")
    wait_for_recovery(base, phase, probe)


def wait_for_recovery(base, phase, probe):
    """Pages are stored in and served from the cache again, within RECOVERY_SECONDS."""
    back = time.time()
    while time.time() - back < RECOVERY_SECONDS:
        if fetch(base + probe)[1] == "hit":
            phase.note(f"pages served from the cache again, {time.time() - back:.2f} s after Redis came back")
            return
        time.sleep(0.05)
    phase.problems.append(f"pages were not cached again within {RECOVERY_SECONDS:g} s of Redis coming back")


def redis_hung(base, server, redis, phase, probe):
    at(phase.started, 0.25)
    redis.stop()
    hung = HungCache(redis.port)
    hung.start()
    phase.note("Redis replaced by a server that accepts connections and never answers")
    try:
        for attempt in ("first", "second"):
            status, cache_header, _, seconds = timed_fetch(base + probe)
            phase.note(
                f"{probe} with the cache hung ({attempt} load): {status} in {seconds * 1000:.0f} ms, "
                f"X-Page-Cache {cache_header or 'absent (built from the database)'}"
            )
            if status != 200 or cache_header is not None:
                phase.problems.append(f"{probe} answered {status}, X-Page-Cache {cache_header}, with the cache hung")
        at(phase.started, 0.65)
    finally:
        seen = hung.stop()
    redis.start()
    phase.note(f"the hung server stopped (it {seen} from the {WORKERS} workers and the editor); Redis started again")
    wait_for_recovery(base, phase, probe)


def worker_kill(base, server, redis, phase):
    before = workers(server)
    at(phase.started, 0.33)
    victim = before[0]
    os.kill(victim, 9)
    phase.note(f"worker {victim} killed (SIGKILL)")
    deadline = time.time() + SECONDS
    while time.time() < deadline:
        now = workers(server)
        if len(now) == WORKERS and victim not in now:
            phase.note(f"gunicorn replaced it: new worker {', '.join(map(str, sorted(set(now) - set(before))))}")
            return
        time.sleep(0.1)
    phase.problems.append(f"worker {victim} was not replaced: workers now {workers(server)}")


def judge(phases):
    normal_phase, down, hung, killed = phases
    r = normal_phase.result
    if r["s5xx"] or r["s4xx"] or normal_phase.socket_errors or normal_phase.check_errors:
        normal_phase.problems.append(
            f"{r['s5xx']} 5xx, {r['s4xx']} 4xx, {normal_phase.socket_errors} socket errors and "
            f"{normal_phase.check_errors} failed editor's page loads (want none)"
        )
    for phase in (normal_phase, killed):
        if phase.refused:
            phase.problems.append(f"{phase.refused} of the editor's saves refused")
    for phase in phases:
        if phase.stale:
            phase.problems.append(f"{phase.stale} page loads right after a save did not show it")
    if down.result["s5xx"] or down.result["s4xx"]:
        down.problems.append(f"{down.result['s5xx']} 5xx and {down.result['s4xx']} 4xx with Redis down (want none)")
    r = hung.result
    if r["s5xx"] or r["s4xx"] or hung.socket_errors or hung.check_errors:
        hung.problems.append(
            f"{r['s5xx']} 5xx, {r['s4xx']} 4xx, {hung.socket_errors} socket errors and {hung.check_errors} failed "
            "editor's page loads with the cache hung (want none)"
        )
    if r["p99_us"] >= HUNG_P99_MS * 1000:
        hung.problems.append(f"p99 {r['p99_us'] / 1000:.0f} ms with the cache hung (want under {HUNG_P99_MS} ms)")
    failed = killed.result["s5xx"] + killed.result["s4xx"] + killed.socket_errors + killed.check_errors
    if failed > 1:
        killed.problems.append(f"{failed} failed requests; only the killed worker's in-flight request may fail")
    return [f"{phase.name}: {problem}" for phase in phases for problem in phase.problems]


def table(phases, engine, load_before):
    rows = [
        f"Load test {date.today():%Y-%m-%d}: {engine}, {machine()}, load average {load_before:.1f} before the "
        f"run; {WORKERS} gunicorn sync workers; wrk {CONNECTIONS} connections × {SECONDS} s per phase over "
        f"{len(PATHS)} addresses (every kind of page), timeout {TIMEOUT_SECONDS} s; an editor saves a technique "
        f"every {EDIT_EVERY_SECONDS:.0f} s.",
        "",
        "| phase | requests | req/s | 2xx + 3xx | 4xx | 5xx | socket errors | p50 ms | p99 ms | page cache hits "
        "| without the cache | editor saves (refused) | stale pages |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for phase in phases:
        r = phase.result
        rows.append(
            f"| {phase.name} | {r['requests']:,} | {r['requests'] / (r['duration_us'] / 1e6):,.0f} "
            f"| {r['s2xx'] + r['s3xx']:,} | {r['s4xx']} | {r['s5xx']} | {phase.socket_errors} "
            f"| {r['p50_us'] / 1000:.1f} | {r['p99_us'] / 1000:.1f} | {r['hits'] / max(r['requests'], 1):.0%} "
            f"| {r['uncached'] / max(r['requests'], 1):.0%} | {phase.saves} ({phase.refused}) | {phase.stale} |"
        )
    rows.append("")
    rows.append(
        "Without the cache: pages built from the database, not stored (no X-Page-Cache header); the picture "
        f"(1 of the {len(PATHS)} addresses) is never page-cached."
    )
    rows.append("")
    for phase in phases:
        for seconds, note in sorted(phase.notes):
            rows.append(f"- {phase.name}, {seconds:.1f} s: {note}")
    return "\n".join(rows)


PATHS = []


def main():
    for tool in ("wrk", "redis-server", "redis-cli", "pgrep"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed (apt-get install wrk redis-server procps)")
    load_before = os.getloadavg()[0]  # other work on the machine skews the figures
    shutil.rmtree(HERE, ignore_errors=True)
    HERE.mkdir(parents=True)
    redis = Redis()
    redis.start()
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        STATIC_HASHED="1",
        SERVE_MEDIA="1",
        STATIC_ROOT=str(HERE / "static"),
        MEDIA_ROOT=str(HERE / "media"),
        SECRET_KEY=os.environ.get("SECRET_KEY", "loadtest-only-secret-key-" + "x" * 40),
        DATABASE_URL=fresh_postgres_database(DATABASE_URL, DATABASE_URL.rsplit("/", 1)[1]),
        REDIS_URL=f"redis://127.0.0.1:{redis.port}/{REDIS_DB}",
    )
    engine = f"PostgreSQL ({env['DATABASE_URL'].rsplit('/', 1)[1]}) + Redis (own server, db {REDIS_DB})"
    server = None
    editor = None
    try:
        print(f"Preparing {engine}: migrate, seed, collectstatic…", flush=True)
        run(PY, "manage.py", "migrate", "--noinput", env=env)
        run(PY, "manage.py", "seed_guides", env=env)
        run(PY, "manage.py", "collectstatic", "--noinput", "--verbosity", "0", env=env)

        os.environ.update(env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "massage_site.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        PATHS[:] = page_paths()
        script = lua_script(PATHS)

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_gunicorn(env, port, WORKERS, log=HERE / "gunicorn.log")
        wait_until_up(base)
        warm(base, "before the load began")
        editor = Editor(base)
        editor.start()

        probe = "/routines/legs/"
        phases = [Phase("normal"), Phase("redis-down"), Phase("redis-hung"), Phase("worker-kill")]
        actions = [
            normal,
            lambda *a: redis_down(*a, probe=probe),
            lambda *a: redis_hung(*a, probe=probe),
            worker_kill,
        ]
        for phase, action in zip(phases, actions, strict=True):
            print(f"Phase {phase.name}: {CONNECTIONS} connections for {SECONDS} s…", flush=True)
            time.sleep(2)  # the last phase's editor checks finish; each phase starts from a warm cache
            warm(base, f"before the {phase.name} phase")
            phase.started = time.time()
            editor.phase = phase
            load = start_wrk(base, script)
            action(base, server, redis, phase)
            finish_wrk(load, phase)
            editor.phase = None
        editor.halt.set()
        editor.join()  # and its last checks
    finally:
        if editor:
            editor.halt.set()
        if server:
            stop(server)
        redis.stop()

    print()
    print(table(phases, engine, load_before))
    problems = judge(phases)
    print()
    if problems:
        print("FAILED:\n" + "\n".join(f"- {problem}" for problem in problems))
        print(f"(server log: {HERE / 'gunicorn.log'})")
        sys.exit(1)
    print(
        "Passed: no failed page in the normal phase, no 5xx with Redis down, every page within a second with "
        "Redis hung, nothing lost beyond the killed worker."
    )


if __name__ == "__main__":
    main()
