"""Nothing cached while an editor's save is committing outlives the save.

A save sets a new content generation (which drops pages, the term list and the search
words, all filed under it) inside its transaction, before the commit. A reader in another worker in that moment still
sees the rows as they were, and would cache them under the new generation, stale
until the next edit. So the same invalidation runs again once the transaction commits.
"""

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from content.changes import current_generation, derived_key
from massage_site import search
from massage_site.page_cache import Entry, page_key
from techniques import term_links
from techniques.models import Technique


def test_a_page_cached_while_a_save_commits_does_not_outlive_it(client, seeded, django_capture_on_commit_callbacks):
    url = "/techniques/kneading/"
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        kneading = Technique.objects.get(slug="kneading")
        kneading.definition = "Edited while another worker was rendering."
        kneading.save()
        # Another worker, reading the rows as they were before the commit, caches its page
        # under the generation the save has just moved to.
        stale = Entry.from_response(current_generation(), HttpResponse(b"the old page"))
        cache.set(page_key(RequestFactory().get(url)), stale.stored())
    assert "Edited while another worker was rendering." in client.get(url).content.decode()


def test_a_term_list_loaded_while_a_save_commits_does_not_outlive_it(seeded, django_capture_on_commit_callbacks):
    before = term_links.terms()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        kneading = Technique.objects.get(slug="kneading")
        kneading.aliases = "petrissage, squeezing"
        kneading.save()
        cache.set(derived_key(term_links.TERMS), before, None)  # as another worker would, from the old rows
    phrases = next(term["phrases"] for term in term_links.terms() if term["slug"] == "kneading")
    assert "squeezing" in phrases


def test_search_words_loaded_while_a_save_commits_do_not_outlive_it(seeded, django_capture_on_commit_callbacks):
    before = search.catalogue()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        kneading = Technique.objects.get(slug="kneading")
        kneading.how_to = kneading.how_to + " Finish with a zigzag."
        kneading.save()
        cache.set(derived_key(search.CATALOGUE), before, 600)
    assert "zigzag" in search.catalogue()["words"]
