"""/healthz for load balancers: can this worker reach its database and its cache?

200 {"database": "ok", "cache": "ok"} when both answer, else 503 saying which did
not; with pictures in object storage, "storage" too. Each check runs in its own
thread and counts as failed if it takes longer than HEALTH_TIMEOUT seconds, so a
hung connection cannot hang the probe. Never cached, never touches the session.

A hung Redis usually shows as "error" rather than "timeout": the cache's own timeouts
(REDIS_TIMEOUT, a quarter of a second) end the check first. While the worker skips the
cache after a failure (CACHE_SKIP_SECONDS, content/caching.py), the cache check fails
at once: the worker is serving from the database, and says so.
"""

import contextvars
import logging
import threading
import time
import uuid

from django.core.cache import caches
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

HEALTH_TIMEOUT = 3.0
logger = logging.getLogger(__name__)


def check_database():
    """SELECT 1 on a connection of its own (this runs in its own thread), closed afterwards."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            if cursor.fetchone()[0] != 1:
                raise RuntimeError("SELECT 1 did not return 1")
    finally:
        connections.close_all()  # this thread's connections only


def check_cache(cache):
    """A set/get round trip through the request thread's cache client (cache clients are thread-safe)."""
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not return what was just stored")
    finally:
        cache.delete(key)


def check_storage(storage):
    """With pictures in object storage: does the bucket answer? One listing of its top level
    (a few folders), which fails on a missing bucket or credentials that cannot read it."""
    storage.listdir("")


def _run(name, check, args, results):
    try:
        check(*args)
    except Exception:
        logger.exception("Health check %s failed", name)
        results[name] = "error"
    else:
        results[name] = "ok"


@never_cache
@require_safe
def healthz(request):
    checks = {"database": (check_database, ()), "cache": (check_cache, (caches["default"],))}
    if not isinstance(storages["default"], FileSystemStorage):
        checks["storage"] = (check_storage, (storages["default"],))
    results = {}
    # Each thread runs in a copy of this request's context, so a failure it logs names the request.
    threads = [
        threading.Thread(
            target=contextvars.copy_context().run,
            args=(_run, name, check, args, results),
            name=f"healthz-{name}",
            daemon=True,
        )
        for name, (check, args) in checks.items()
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + HEALTH_TIMEOUT
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    report = {name: results.get(name, "timeout") for name in checks}
    healthy = all(state == "ok" for state in report.values())
    return JsonResponse(report, status=200 if healthy else 503)
