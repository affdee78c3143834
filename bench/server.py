"""What `make bench` and `make loadtest` share: a throwaway database, a free port, the
production-like server (gunicorn, as `make serve` runs it), and wrk with its figures."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".bench"
PY = sys.executable
GUNICORN = str(Path(PY).parent / "gunicorn")


def run(*args, env, quiet=True):
    out = subprocess.run(args, cwd=ROOT, env=env, check=True, text=True, capture_output=quiet)
    return out.stdout if quiet else ""


def fresh_postgres_database(url, name):
    """Drop and create the PostgreSQL database ``name`` on the server of ``url``; return its URL."""
    import psycopg

    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(base, timeout=30, path="/robots.txt"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(base + path, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not start")


def start_gunicorn(env, port, workers, log=None, app="massage_site.wsgi", pythonpath=None):
    """gunicorn as `make serve` runs it (sync workers), on 127.0.0.1:port; the caller stops it.

    ``app`` and ``pythonpath``: another WSGI application under the same settings (bench/bare_wsgi.py).
    """
    output = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        [GUNICORN, app, "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
        + ["--graceful-timeout", "10"]
        + (["--pythonpath", str(pythonpath)] if pythonpath else []),
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=output,
    )


def start_make_serve(env, port, workers, log=None):
    """`make serve` itself on 127.0.0.1:port, without the access log; stop it with stop().

    It runs in its own process group, so that stop() reaches gunicorn beneath make.
    """
    output = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        [
            "make",
            "--no-print-directory",
            "serve",
            "HOST=127.0.0.1",
            f"PORT={port}",
            f"WORKERS={workers}",
            "ACCESS_LOG=",
        ],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=output,
        start_new_session=True,
    )


def _group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def stop(process, timeout=20):
    if os.getpgid(process.pid) == process.pid:  # a process group of its own: make and gunicorn
        os.killpg(process.pid, signal.SIGTERM)
        deadline = time.time() + timeout
        while _group_alive(process.pid) and time.time() < deadline:
            time.sleep(0.1)
            process.poll()  # reap make once it exits (an exited, unreaped process still counts)
        if _group_alive(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def latency_ms(wrk_output, percent):
    """A percentile from wrk --latency output, in milliseconds (NaN when absent)."""
    match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s)\s*$", wrk_output, re.M)
    if not match:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def cpu_model():
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown CPU"


def machine():
    return f"{os.cpu_count()} cores ({cpu_model()})"
