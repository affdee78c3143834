"""A production-like copy of the site for the page checks, in a throwaway folder.

Prepares it the way `make serve` does (migrate, seed_guides, collectstatic with
hashed names, then gunicorn with DEBUG off and media served), but on a free port,
with a fresh SQLite database, media and static folders under a temporary
directory, so the developer's own database and uploads are never touched.
"""

import contextlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

# The benchmark's helpers: the same production-like server as `make bench` and `make serve`.
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402,F401  (re-exported for the checks)
from server import PY, ROOT, free_port, start_gunicorn, stop, wait_until_up  # noqa: E402

NODE_BIN = ROOT / "node_modules" / ".bin"


def site_env(folder):
    """The environment of the throwaway site: its own database, cache, media and static files."""
    env = dict(os.environ)
    for name in ("DATABASE_URL", "REDIS_URL"):  # never a shared database or cache
        env.pop(name, None)
    env.update(
        DATABASE_URL=f"sqlite:///{folder / 'site.sqlite3'}",
        MEDIA_ROOT=str(folder / "media"),
        CACHE_DIR=str(folder / "cache"),
        STATIC_ROOT=str(folder / "static"),
        STATIC_HASHED="1",
        DEBUG="0",
        DJANGO_ENV="development",  # plain HTTP on 127.0.0.1: no HTTPS redirect
        SERVE_MEDIA="1",
        SECRET_KEY=os.environ.get("SECRET_KEY", "page-checks-only-secret-key-" + "x" * 40),
    )
    return env


def manage(*args, env):
    """Run a management command; on failure show its output and stop."""
    result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, text=True, capture_output=True)
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed (exit {result.returncode})")


@contextlib.contextmanager
def live_site(workers=2):
    """Yield the base URL of a freshly seeded, production-like server; stop it and clean up after."""
    with tempfile.TemporaryDirectory(prefix="massage-checks-") as tmp:
        env = site_env(Path(tmp))
        print("Preparing a throwaway site (migrate, seed_guides, collectstatic)…", flush=True)
        manage("migrate", "--noinput", env=env)
        manage("seed_guides", env=env)
        manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = Path(tmp) / "gunicorn.log"
        server = start_gunicorn(env, port, workers, log=log)
        try:
            try:
                wait_until_up(base)
            except SystemExit:
                sys.stderr.write(log.read_text(errors="replace"))
                raise
            print(f"Serving on {base} (gunicorn, DEBUG=0, hashed static files)", flush=True)
            yield base
        finally:
            stop(server)
