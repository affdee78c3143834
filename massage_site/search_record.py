"""A record of what readers search for: each query folded and counted per day, nothing personal.

Counting must never slow a search page, cached or not, so a search is noted in the shared
cache (a numbered event holding the day, the folded query and whether it found nothing) and
the events are written to the database in batches (``write_batch``): after the response of
the search that completes a batch, before the editors' report shows, or from the
``write_search_record`` command. A page served from the page cache is noted by
``served_from_cache``, the one call the page cache makes here, with no database work.

What is kept is capped: queries that are very long or look like junk are not counted,
a day keeps at most MAX_QUERIES_A_DAY different queries, and days older than KEEP_DAYS
are dropped. Nothing identifies the reader: no address, no account, no time of day.
"""

import contextlib
import datetime
import re
from collections import Counter

from django.core.cache import cache
from django.core.signals import request_finished
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from content.search_text import fold

MAX_QUERY_LENGTH = 60
MAX_WORDS = 6
MAX_WORD_LENGTH = 25
KEEP_DAYS = 90
MAX_QUERIES_A_DAY = 1000
BATCH = 50
MAX_EVENTS_A_WRITE = 5000
EVENT_SECONDS = 3 * 24 * 60 * 60  # events not written by then are dropped
SEARCH_PATH = "/search/"
SEQUENCE_KEY = "search-record:sequence"
WRITTEN_KEY = "search-record:written"
LOCK_KEY = "search-record:writing"
_HAS_LETTER = re.compile(r"[a-z]")


def recordable(query):
    """The folded query as it is counted, or "" for one not worth keeping (too long, junk)."""
    typed = " ".join((query or "").split())
    folded = fold(typed)
    if (
        len(folded) < 2
        or len(typed) > MAX_QUERY_LENGTH
        or len(typed.split()) > MAX_WORDS
        or any(len(word) > MAX_WORD_LENGTH for word in typed.split())
        or not _HAS_LETTER.search(folded)
    ):
        return ""
    return folded


def _event_key(number):
    return f"search-record:event:{number}"


def note(query, results=None):
    """Count one search of ``query`` today; ``results``: how many it found (None: not known here).

    Returns True when a batch is due to be written. A cache outage loses the count, never the page.
    """
    folded = recordable(query)
    if not folded:
        return False
    try:
        try:
            number = cache.incr(SEQUENCE_KEY)
        except ValueError:  # the first search since the cache was emptied
            cache.add(SEQUENCE_KEY, 0, None)
            number = cache.incr(SEQUENCE_KEY)
        found_nothing = None if results is None else results == 0
        cache.set(_event_key(number), (timezone.localdate().isoformat(), folded, found_nothing), EVENT_SECONDS)
    except Exception:  # noqa: BLE001 (a count is never worth an error page)
        return False
    return number % BATCH == 0


def served_from_cache(request):
    """The page cache served a page without running its view: count it if it was a search."""
    if request.path == SEARCH_PATH and request.method == "GET":
        query = request.GET.get("q", "")
        if query:
            note(query)


def write_after_response():
    """Write the pending batch once the current response has gone out."""
    request_finished.connect(_write_once, dispatch_uid="search-record-batch")


def _write_once(**kwargs):
    request_finished.disconnect(dispatch_uid="search-record-batch")
    with contextlib.suppress(Exception):  # the events stay in the cache for the next write
        write_batch()


def write_batch():
    """Write the searches noted in the cache since the last write; return how many were written."""
    if not cache.add(LOCK_KEY, 1, 60):
        return 0  # another worker is writing them
    try:
        last = cache.get(SEQUENCE_KEY) or 0
        first = (cache.get(WRITTEN_KEY) or 0) + 1
        if last < first:
            return 0
        last = min(last, first + MAX_EVENTS_A_WRITE - 1)
        keys = [_event_key(number) for number in range(first, last + 1)]
        events = [event for event in cache.get_many(keys).values() if _well_formed(event)]
        _store(events)
        cache.set(WRITTEN_KEY, last, None)
        cache.delete_many(keys)
        return len(events)
    finally:
        cache.delete(LOCK_KEY)


def _well_formed(event):
    return isinstance(event, tuple) and len(event) == 3 and isinstance(event[1], str)


def _store(events):
    """Add the events' counts to the database in a few queries, keeping within the caps."""
    from .models import SearchCount

    counts = Counter((datetime.date.fromisoformat(day), query) for day, query, _found in events)
    nothing = {}
    for day, query, found_nothing in events:
        if found_nothing is not None:
            nothing[(datetime.date.fromisoformat(day), query)] = found_nothing
    oldest = timezone.localdate() - datetime.timedelta(days=KEEP_DAYS)
    with transaction.atomic():
        SearchCount.objects.filter(day__lt=oldest).delete()
        queries = {query for _day, query in counts}
        rows = {(row.day, row.query): row for row in SearchCount.objects.filter(query__in=queries, day__gte=oldest)}
        latest = {}  # query -> found_nothing of its latest day, for searches served from the cache
        for (_day, query), row in sorted(rows.items()):
            latest[query] = row.found_nothing
        per_day = Counter(
            dict(
                SearchCount.objects.filter(day__in={day for day, _query in counts})
                .order_by()
                .values("day")
                .annotate(n=Count("pk"))
                .values_list("day", "n")
            )
        )
        changed, new = [], []
        # The most searched first, so that a day's last places go to them.
        for (day, query), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            if day < oldest:
                continue
            row = rows.get((day, query))
            if row is None:
                if per_day[day] >= MAX_QUERIES_A_DAY:
                    continue
                per_day[day] += 1
                row = SearchCount(day=day, query=query, count=0, found_nothing=latest.get(query, False))
                new.append(row)
            else:
                changed.append(row)
            row.count += count
            if (day, query) in nothing:
                row.found_nothing = nothing[(day, query)]
        SearchCount.objects.bulk_update(changed, ["count", "found_nothing"])
        SearchCount.objects.bulk_create(new)


def report(days=30):
    """The editors' view of the last ``days`` days: the most searched queries, and those that found nothing.

    {"top": [(query, searches, found_nothing)], "nothing": [(query, searches)]}, most searched first.
    """
    from .models import SearchCount

    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    rows = SearchCount.objects.filter(day__gte=since).values_list("query", "count", "found_nothing", "day")
    totals, found_nothing, latest_day = Counter(), {}, {}
    for query, count, nothing, day in rows:
        totals[query] += count
        if day >= latest_day.get(query, day):  # the latest day says whether it finds something now
            latest_day[query], found_nothing[query] = day, nothing
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return {
        "top": [(query, count, found_nothing[query]) for query, count in ranked[:50]],
        "nothing": [(query, count) for query, count in ranked if found_nothing[query]][:50],
    }
