"""How the site uses its cache: reads never take a page down, invalidations never leave one stale.

The cache (Redis in production) only makes pages faster. When it cannot be reached,
a read counts as a miss and a fill is skipped (``cache_get``, ``cache_set``), so the
page is built from the database.

A cache server that hangs must not hang the pages either. Every Redis connection has
short connect and read timeouts (settings: REDIS_CONNECT_TIMEOUT, REDIS_TIMEOUT), and
the cache backends here (``RedisCache``, ``FileBasedCache``, named in settings) skip
the cache after a failure: for SKIP_SECONDS every call raises ``CacheUnavailable`` at
once, without trying, so a hung server costs each worker one timeout per interval
rather than one per call. Then the next call tries again. Everything that uses the
cache (``cache_get``, ``cache_set``, ``derived``, the page cache, /healthz) goes
through them, and already treats an error as an outage.

The one invalidation (a new content generation, content/changes.py) is deliberately
*not* softened: if it fails, it raises ``CacheUnavailable`` and the editor's save fails
with it (the admin saves in a transaction, and checks first that the cache answers:
``check_cache_answers``), so no page can be left stale once the cache is back. It also runs a second time once the
transaction commits (``now_and_after_commit``): between the first run and the commit
another worker still reads the rows as they were, and what it caches then must not
outlive the save.
"""

import logging
import time

import redis
from django.core.cache import cache
from django.core.cache.backends import filebased
from django.core.cache.backends import redis as redis_backend
from django.db import transaction

logger = logging.getLogger(__name__)
WARN_EVERY_SECONDS = 60
DEFAULT_SKIP_SECONDS = 5.0
PROBE_KEY = "cache:probe"
_last_warning = float("-inf")
# Per worker process: the cache is skipped until this time.monotonic(); failing since the other.
_skip_until = float("-inf")
_failing_since = None


class CacheUnavailable(Exception):
    """The cache did not answer, or this worker is skipping it after a recent failure."""


def _warn(message, *args):
    """Log a warning about the outage, at most once a minute per process (every request would hit it)."""
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARN_EVERY_SECONDS:
        _last_warning = now
        logger.warning(message, *args)


def warn_outage(action, key, error):
    """Log that a cache call failed and the database is used instead (at most once a minute).

    Not for ``CacheUnavailable``: the backends below log those themselves, an outage's start and end.
    """
    if isinstance(error, CacheUnavailable):
        return
    _warn("Cache %s of %r failed (%s: %s); working from the database", action, key, type(error).__name__, error)


def skipping_cache():
    """True while this worker leaves the cache alone after a failure."""
    return time.monotonic() < _skip_until


def reset_skipping():
    """Forget a recent failure: the next call tries the cache again (for tests)."""
    global _skip_until, _failing_since
    _skip_until, _failing_since = float("-inf"), None


def _failed(action, error, skip_seconds):
    """A call found no cache: skip it for a while. An outage's first failure is always logged, as is
    its end (``_answered``); the retries that fail in between, once a minute."""
    global _skip_until, _failing_since
    now = time.monotonic()
    _skip_until = now + skip_seconds
    if _failing_since is None:
        _failing_since = now
        logger.warning(
            "Cache %s failed (%s: %s); this worker skips the cache for %g s at a time, working from the database",
            action,
            type(error).__name__,
            error,
            skip_seconds,
        )
    else:
        _warn("Cache still unreachable after %.0f s (%s: %s)", now - _failing_since, type(error).__name__, error)


def _answered():
    global _failing_since
    if _failing_since is not None:
        logger.warning("Cache reachable again after %.1f s", time.monotonic() - _failing_since)
        _failing_since = None


class SkipWhenUnreachable:
    """Cache backend mixin: a call that cannot reach the cache raises ``CacheUnavailable`` and
    makes this worker skip the cache (every call raising at once) for ``SKIP_SECONDS`` (a key
    of the cache's settings, beside BACKEND)."""

    unreachable = (OSError,)  # errors that mean "no answer", as opposed to a bad value

    def __init__(self, location, params):
        super().__init__(location, params)
        self.skip_seconds = float(params.get("SKIP_SECONDS", DEFAULT_SKIP_SECONDS))


def _skip_when_unreachable(name):
    def method(self, *args, **kwargs):
        if time.monotonic() < _skip_until:
            raise CacheUnavailable("skipping the cache after a recent failure")
        try:
            result = getattr(super(SkipWhenUnreachable, self), name)(*args, **kwargs)
        except self.unreachable as error:
            _failed(name, error, self.skip_seconds)
            raise CacheUnavailable(f"{type(error).__name__}: {error}") from error
        if _failing_since is not None:
            _answered()
        return result

    method.__name__ = method.__qualname__ = name
    return method


# Every call that reaches the server; the rest of BaseCache (get_or_set, decr, the async
# versions) goes through these.
GUARDED_CALLS = ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many", "delete_many")
for _name in (*GUARDED_CALLS, "clear"):
    setattr(SkipWhenUnreachable, _name, _skip_when_unreachable(_name))


class ReusingRedisClient(redis_backend.RedisCacheClient):
    """Django's Redis client, keeping one ``redis.Redis`` per connection pool rather than making
    a new one for every call: each costs some 170 dictionary insertions (its reply handlers),
    about a sixth of a page-cache hit. The connections were already shared (the pool)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(SkipWhenUnreachable, redis_backend.RedisCache):
    """Django's Redis cache, skipped for a while after it fails to answer."""

    unreachable = (OSError, redis.ConnectionError, redis.TimeoutError)

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisClient


class FileBasedCache(SkipWhenUnreachable, filebased.FileBasedCache):
    """Django's folder of files, skipped for a while after it cannot be read or written."""


def cache_get(key, default=None):
    """``cache.get``, or ``default`` when the cache is unreachable."""
    try:
        return cache.get(key, default)
    except Exception as error:  # CacheUnavailable, or whatever another backend raises
        warn_outage("read", key, error)
        return default


def cache_set(key, value, timeout):
    """``cache.set``, skipped when the cache is unreachable."""
    try:
        cache.set(key, value, timeout)
    except Exception as error:
        warn_outage("write", key, error)


def check_cache_answers():
    """Raise ``CacheUnavailable`` unless the cache takes a write now.

    Checked before a change that will have to invalidate the cache, so that the change can
    be refused before anything is written.
    """
    try:
        cache.set(PROBE_KEY, True, 60)
    except CacheUnavailable:
        raise
    except Exception as error:
        raise CacheUnavailable(f"{type(error).__name__}: {error}") from error


def now_and_after_commit(invalidate):
    """Run ``invalidate`` now and again after the current transaction commits.

    If it fails now, it raises ``CacheUnavailable`` (the change must not be saved). After the
    commit the change is saved whatever happens, so a failure then is logged, not raised.
    """
    try:
        invalidate()
    except CacheUnavailable:
        raise
    except Exception as error:
        raise CacheUnavailable(f"{type(error).__name__}: {error}") from error
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(invalidate, robust=True)
