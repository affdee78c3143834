"""The record of searches: folded queries counted per day, nothing personal, capped, and cheap."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from massage_site import search_record
from massage_site.models import SearchCount


def counts():
    search_record.write_batch()
    return {row.query: (row.count, row.found_nothing) for row in SearchCount.objects.all()}


def test_searches_are_folded_and_counted_per_day(client, seeded):
    for query in ("Calf", "calf", "CALF ", "stiff neck"):
        client.get("/search/", {"q": query})
    assert counts() == {"calf": (3, False), "stif neck": (1, False)}
    assert set(SearchCount.objects.values_list("day", flat=True)) == {timezone.localdate()}


def test_searches_that_found_nothing_are_flagged(client, seeded):
    client.get("/search/", {"q": "xq zzv"})
    client.get("/search/", {"q": "neck"})
    assert counts() == {"xq zv": (1, True), "neck": (1, False)}  # folded as search folds it


def test_very_long_and_junk_queries_are_not_counted(client, seeded):
    for query in ("a" * 61, "12345", "!!! ???", "one two three four five six seven", "x" * 30):
        client.get("/search/", {"q": query})
    assert counts() == {}


def test_nothing_about_the_reader_is_kept(client, seeded):
    client.get("/search/", {"q": "calf"}, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Secret browser")
    search_record.flush()
    pending = cache.get(f"search-record:event:{cache.get(search_record.SEQUENCE_KEY)}")
    assert pending == ((timezone.localdate().isoformat(), "calf", False, 1),)
    assert [field.name for field in SearchCount._meta.get_fields()] == ["id", "day", "query", "count", "found_nothing"]
    row = SearchCount.objects.values().get() if counts() else None
    assert "203.0.113.9" not in str(row) and "Secret" not in str(row)


def test_a_cached_search_page_stays_a_cache_hit_while_it_is_counted(visited_site, client, django_assert_num_queries):
    assert client.get("/search/", {"q": "calf"})["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = client.get("/search/", {"q": "calf"})
    assert response["X-Page-Cache"] == "hit"
    assert counts() == {"calf": (2, False)}


def test_searches_are_counted_in_the_workers_memory_and_sent_together(visited_site, client):
    for _ in range(3):
        client.get("/search/", {"q": "calf"})  # a miss, then hits
    assert cache.get(search_record.SEQUENCE_KEY) is None  # no cache write per search
    search_record.flush()
    assert cache.get(search_record.SEQUENCE_KEY) == 1  # one event for all three
    assert counts() == {"calf": (3, False)}


def test_counts_are_sent_after_the_response_that_makes_them_due(visited_site, client, monkeypatch):
    monkeypatch.setattr(search_record, "FLUSH_SEARCHES", 2)
    client.get("/search/", {"q": "calf"})
    assert cache.get(search_record.SEQUENCE_KEY) is None
    client.get("/search/", {"q": "calf"})  # served from the page cache
    assert cache.get(search_record.SEQUENCE_KEY) == 1
    monkeypatch.setattr(search_record, "FLUSH_SEARCHES", 10**6)
    monkeypatch.setattr(search_record, "FLUSH_SECONDS", 0)  # or once enough time has passed
    client.get("/search/", {"q": "sole"})
    assert cache.get(search_record.SEQUENCE_KEY) == 2


def test_a_full_batch_is_written_after_its_response(client, seeded, monkeypatch):
    monkeypatch.setattr(search_record, "FLUSH_SEARCHES", 1)
    monkeypatch.setattr(search_record, "BATCH", 2)
    client.get("/search/", {"q": "calf"})
    assert not SearchCount.objects.exists()
    client.get("/search/", {"q": "sole"})
    assert set(SearchCount.objects.values_list("query", flat=True)) == {"calf", "sole"}


def test_storage_is_capped_old_days_dropped_and_new_queries_limited_per_day(client, seeded, monkeypatch):
    today = timezone.localdate()
    SearchCount.objects.create(day=today - datetime.timedelta(days=search_record.KEEP_DAYS + 1), query="old", count=4)
    SearchCount.objects.create(day=today - datetime.timedelta(days=10), query="recent", count=4)
    monkeypatch.setattr(search_record, "MAX_QUERIES_A_DAY", 2)
    for query in ("sole", "neck", "calf", "calf"):
        client.get("/search/", {"q": query})
    kept = counts()
    assert "old" not in kept and kept["recent"] == (4, False)
    today_rows = SearchCount.objects.filter(day=today)
    assert today_rows.count() == 2 and kept["calf"] == (2, False)  # the most searched keeps its place


def test_a_cache_outage_loses_the_count_not_the_page(client, seeded, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(search_record.cache, "incr", broken)
    monkeypatch.setattr(search_record, "FLUSH_SEARCHES", 1)  # sent at once, into the outage
    assert client.get("/search/", {"q": "calf"}).status_code == 200


def test_editors_read_the_top_and_the_fruitless_searches_of_the_last_30_days(editor_client, seeded):
    today = timezone.localdate()
    SearchCount.objects.create(day=today, query="calf", count=7)
    SearchCount.objects.create(day=today - datetime.timedelta(days=3), query="calf", count=2)
    SearchCount.objects.create(day=today, query="hacking", count=3, found_nothing=True)
    SearchCount.objects.create(day=today - datetime.timedelta(days=40), query="ancient", count=99)
    url = reverse("admin:massage_site_searchcount_changelist")
    response = editor_client.get(url)
    assert response.status_code == 200
    report = response.context["search_report"]
    assert report["top"] == [("calf", 9, False), ("hacking", 3, True)]
    assert report["nothing"] == [("hacking", 3)]
    html = response.content.decode()
    assert "Most searched, last 30 days" in html and "Found nothing, last 30 days" in html
    assert reverse("admin:massage_site_searchcount_add") not in html


@pytest.mark.parametrize("action", ["add", "delete"])
def test_the_record_cannot_be_changed_in_the_admin(editor_client, seeded, action):
    row = SearchCount.objects.create(day=timezone.localdate(), query="calf", count=1)
    args = [] if action == "add" else [row.pk]
    assert editor_client.get(reverse(f"admin:massage_site_searchcount_{action}", args=args)).status_code == 403
