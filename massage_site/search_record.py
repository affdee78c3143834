"""A record of what readers search for: each query folded and counted per day, nothing personal.

Counting must never slow a search page, cached or not. So each worker counts the searches it
answers in its own memory (``note``: a dict update, no cache or database call) and sends them
to the shared cache together, as one numbered event, once FLUSH_SECONDS have passed or
FLUSH_SEARCHES were counted (``flush``), after the response that made it due has gone out. The
events are written to the database in batches (``write_batch``): after the flush that completes
a batch, before the editors' report shows, or from the ``write_search_record`` command. A page
served from the page cache is noted by ``served_from_cache``, the one call the page cache
makes here. A worker that stops loses at most its last few seconds of counts.

What is kept is capped: queries that are very long or look like junk are not counted,
a day keeps at most MAX_QUERIES_A_DAY different queries, and days older than KEEP_DAYS
are dropped. Nothing identifies the reader: no address, no account, no time of day.
"""

import contextlib
import datetime
import re
import threading
import time
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
FLUSH_SECONDS = 10
FLUSH_SEARCHES = 200
BATCH = 10  # events (each a worker's searches of a few seconds) per database write
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


class _Counts:
    """This worker's searches not yet sent: {(day, folded query, found nothing): searches}."""

    def __init__(self):
        self.lock = threading.Lock()
        self.forget()

    def forget(self):
        self.counts, self.searches, self.since = Counter(), 0, time.monotonic()

    def take(self):
        with self.lock:
            counts = self.counts
            self.forget()
        return counts


_pending = _Counts()


def note(query, results=None):
    """Count one search of ``query`` today; ``results``: how many it found (None: not known here).

    Returns True when this worker's counts are due to be sent (``flush_after_response``).
    """
    folded = recordable(query)
    if not folded:
        return False
    found_nothing = None if results is None else results == 0
    with _pending.lock:
        _pending.counts[(timezone.localdate().isoformat(), folded, found_nothing)] += 1
        _pending.searches += 1
        return _pending.searches >= FLUSH_SEARCHES or time.monotonic() - _pending.since >= FLUSH_SECONDS


def served_from_cache(request):
    """The page cache served a page without running its view: count it if it was a search.

    Returns True when this worker's counts are due to be sent, after the response."""
    if request.path == SEARCH_PATH and request.method == "GET":
        query = request.GET.get("q", "")
        if query:
            return note(query)
    return False


def flush():
    """Send this worker's counts to the shared cache as one event; write a batch when one is
    complete. A cache outage loses these counts, never a page."""
    counts = _pending.take()
    if not counts:
        return
    try:
        try:
            number = cache.incr(SEQUENCE_KEY)
        except ValueError:  # the first event since the cache was emptied
            cache.add(SEQUENCE_KEY, 0, None)
            number = cache.incr(SEQUENCE_KEY)
        event = tuple((day, query, found_nothing, n) for (day, query, found_nothing), n in counts.items())
        cache.set(_event_key(number), event, EVENT_SECONDS)
    except Exception:  # noqa: BLE001 (a count is never worth an error page)
        return
    if number % BATCH == 0:
        write_batch(flush_first=False)


def flush_after_response():
    """Send this worker's counts once the current response has gone out."""
    request_finished.connect(_flush_once, dispatch_uid="search-record-flush")


def _flush_once(**kwargs):
    request_finished.disconnect(dispatch_uid="search-record-flush")
    with contextlib.suppress(Exception):  # the counts are lost, never the page
        flush()


def forget_pending():
    """Drop this worker's unsent counts (tests: each starts with none)."""
    _pending.take()


def write_batch(flush_first=True):
    """Write the searches noted in the cache since the last write (this worker's own first);
    return how many events were written."""
    if flush_first:
        flush()
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
        _store([row for event in events for row in event])
        cache.set(WRITTEN_KEY, last, None)
        cache.delete_many(keys)
        return len(events)
    finally:
        cache.delete(LOCK_KEY)


def _well_formed(event):
    return isinstance(event, tuple) and all(
        isinstance(row, tuple) and len(row) == 4 and isinstance(row[1], str) and isinstance(row[3], int)
        for row in event
    )


def _store(counted):
    """Add the counts (day, query, found nothing, searches) to the database in a few queries,
    keeping within the caps."""
    from .models import SearchCount

    counts = Counter()
    nothing = {}
    for day, query, found_nothing, n in counted:
        key = (datetime.date.fromisoformat(day), query)
        counts[key] += n
        if found_nothing is not None:
            nothing[key] = found_nothing
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
