"""Whole-page caching for anonymous readers that is never stale.

Every cached page is filed under the current *content generation*. Saving or
deleting any content (techniques, routines, steps, pages, tags) bumps the
generation, so the very next request in every worker misses the old entries and
renders afresh. The shared cache (Redis in production) holds the generation, so
all workers and hosts agree.

A scheduled item changes the site without any save: the time of the next
scheduled publication is kept beside the generation, and once it has passed the
generation is bumped as if an editor had just published.

Only anonymous GET/HEAD requests for public pages are cached: signed-in editors
(who have a session cookie), the admin and previews always see fresh pages.
"""

import contextlib
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import patch_cache_control

from techniques.caching import now_and_after_commit

GENERATION_KEY = "page-cache:generation"
NEXT_CHANGE_KEY = "page-cache:next-change"
CACHE_SECONDS = 24 * 60 * 60
# Query strings (search, filters, plans) come in endless variety: keep those briefly,
# and long ones not at all, so junk addresses cannot crowd out the real pages.
QUERY_CACHE_SECONDS = 10 * 60
MAX_CACHED_QUERY = 200
EXCLUDED_PREFIXES = ("/admin/", "/healthz")
NO_SCHEDULE = float("inf")


def bump_generation(**kwargs):
    """Signal receiver: content changed; every cached page is now out of date.

    Bumped at once and again when the transaction commits (see techniques/caching.py).
    """
    now_and_after_commit(_bump)


def _bump():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value invalidates the old keys
        cache.set(GENERATION_KEY, int(time.time() * 1000), None)
    cache.delete(NEXT_CHANGE_KEY)


def _next_scheduled_change():
    """Epoch seconds of the next future publication, or infinity (one query)."""
    from routines.models import Routine
    from techniques.models import Technique
    from techniques.publishing import Status

    now = timezone.now()
    scheduled = [
        model.objects.filter(status=Status.PUBLISHED, publish_at__gt=now).order_by().values_list("publish_at")
        for model in (Technique, Routine)
    ]
    first = scheduled[0].union(scheduled[1], all=True).order_by("publish_at").first()
    return first[0].timestamp() if first else NO_SCHEDULE


def current_generation():
    """The generation to file pages under, bumped first if a scheduled item has gone live."""
    values = cache.get_many([GENERATION_KEY, NEXT_CHANGE_KEY])
    generation, next_change = values.get(GENERATION_KEY), values.get(NEXT_CHANGE_KEY)
    if generation is None:
        bump_generation()
        generation, next_change = cache.get(GENERATION_KEY), None
    if next_change is None:
        next_change = _next_scheduled_change()
        cache.set(NEXT_CHANGE_KEY, next_change, CACHE_SECONDS)
    if time.time() >= next_change:
        bump_generation()
        return current_generation()
    return generation


def _cacheable(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(EXCLUDED_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and len(request.META.get("QUERY_STRING", "")) <= MAX_CACHED_QUERY
    )


class PageCacheMiddleware:
    """Serve anonymous public pages from the cache; store successful ones."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable(request):
            return self.get_response(request)
        try:
            # The host is part of the key: pages carry absolute links (canonical, og:url).
            key = f"page:{current_generation()}:{request.get_host()}{request.get_full_path()}"
            cached = cache.get(key)
        except Exception:  # a cache outage must never take pages down: render from the database
            return self.get_response(request)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        # Browsers and shared caches may keep the page but must check its ETag each time.
        patch_cache_control(response, public=True, no_cache=True)
        if response.status_code == 200 and not response.streaming and not response.has_header("Set-Cookie"):
            timeout = QUERY_CACHE_SECONDS if request.META.get("QUERY_STRING") else CACHE_SECONDS
            with contextlib.suppress(Exception):  # a page not cached is merely slower
                cache.set(key, response, timeout)
        response["X-Page-Cache"] = "miss"
        return response
