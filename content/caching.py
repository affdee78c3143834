"""How the site uses its cache: reads never take a page down, invalidations never leave one stale.

The cache (Redis in production) only makes pages faster. When it cannot be reached,
a read counts as a miss and a fill is skipped (``cache_get``, ``cache_set``), so the
page is built from the database.

The one invalidation (a new content generation, content/changes.py) is deliberately
*not* softened: if it fails, the editor's save fails with it (the admin saves in a
transaction), so no page can be left stale once the cache is back. They also run a
second time once the transaction commits (``now_and_after_commit``): between the
first run and the commit another worker still reads the rows as they were, and what
it caches then must not outlive the save.
"""

import logging
import time

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)
WARN_EVERY_SECONDS = 60
_last_warning = float("-inf")


def warn_outage(action, key, error):
    """Log the outage, at most once a minute per process (every request would hit it)."""
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARN_EVERY_SECONDS:
        _last_warning = now
        logger.warning(
            "Cache %s of %r failed (%s: %s); working from the database", action, key, type(error).__name__, error
        )


def cache_get(key, default=None):
    """``cache.get``, or ``default`` when the cache is unreachable."""
    try:
        return cache.get(key, default)
    except Exception as error:  # redis.ConnectionError, TimeoutError, …: whatever the backend raises
        warn_outage("read", key, error)
        return default


def cache_set(key, value, timeout):
    """``cache.set``, skipped when the cache is unreachable."""
    try:
        cache.set(key, value, timeout)
    except Exception as error:
        warn_outage("write", key, error)


def now_and_after_commit(invalidate):
    """Run ``invalidate`` now (its errors propagate) and again after the current transaction commits.

    After the commit the change is saved whatever happens, so a failure then is logged, not raised.
    """
    invalidate()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(invalidate, robust=True)
