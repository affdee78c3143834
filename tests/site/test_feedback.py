"""Feedback ("Was this page helpful?"): answers are taken from the site's own pages, refused with a status
that says why, store nothing about the reader, and the guide pages stay cacheable."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from content.caching import CacheUnavailable
from content.publishing import Status
from massage_site.feedback import POSTS_PER_MINUTE
from massage_site.models import Feedback
from routines.models import Routine
from techniques.models import Technique

SITE = "http://testserver"


def send(client, page="/routines/neck/", helpful="yes", comment="", origin=SITE, reference="", **meta):
    """Post the form as a browser would; ``meta``: request headers and REMOTE_ADDR."""
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    data = {"page": page, "helpful": helpful, "comment": comment, "reference": reference}
    return client.post("/feedback/", data, **headers, **meta)


def test_a_yes_from_a_routine_page_is_stored_and_thanked(client, seeded):
    response = send(client)
    assert response.status_code == 200
    assert b"Thank you" in response.content and b'href="/routines/neck/"' in response.content
    (feedback,) = Feedback.objects.all()
    assert feedback.item == Routine.objects.get(slug="neck") and feedback.helpful is True and feedback.comment == ""
    assert "no-store" in response["Cache-Control"] and not response.cookies


def test_a_no_with_a_comment_from_a_technique_page_is_stored(client, seeded):
    response = send(client, page="/techniques/kneading/", helpful="no", comment="More on\r\npressure, please.")
    assert response.status_code == 200
    (feedback,) = Feedback.objects.all()
    assert feedback.item == Technique.objects.get(slug="kneading")
    assert feedback.helpful is False and feedback.comment == "More on\npressure, please."


def test_stored_feedback_holds_the_item_answer_comment_and_day_only(client, seeded):
    send(client, comment="Clear.")
    fields = {field.name for field in Feedback._meta.concrete_fields}
    assert fields == {"id", "content_type", "object_id", "helpful", "comment", "created_on"}


def test_a_post_without_origin_but_with_same_origin_fetch_metadata_is_taken(client, seeded):
    response = send(client, origin=None, HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 200 and Feedback.objects.count() == 1


@pytest.mark.parametrize(
    "origin", ["https://elsewhere.example", "null", "https://testserver", "http://testserver:8000"]
)
def test_a_cross_site_post_is_refused(client, seeded, origin):
    response = send(client, origin=origin)
    assert response.status_code == 403
    assert not Feedback.objects.exists()


def test_a_post_with_no_origin_and_cross_site_fetch_metadata_is_refused(client, seeded):
    response = send(client, origin=None, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403
    assert not Feedback.objects.exists()


def test_a_post_that_proves_no_origin_at_all_is_refused(client, seeded):
    assert send(client, origin=None).status_code == 403
    assert not Feedback.objects.exists()


def test_posts_beyond_the_limit_per_address_are_refused(client, seeded):
    for _ in range(POSTS_PER_MINUTE):
        assert send(client).status_code == 200
    response = send(client)
    assert response.status_code == 429
    assert Feedback.objects.count() == POSTS_PER_MINUTE


def test_the_limit_is_kept_without_the_address_in_the_cache(client, seeded, monkeypatch):
    keys = []
    add = cache.add
    monkeypatch.setattr(cache, "add", lambda key, *args, **kwargs: keys.append(key) or add(key, *args, **kwargs))
    send(client, REMOTE_ADDR="203.0.113.7")
    (key,) = keys
    assert key.startswith("feedback:posts:") and "203.0.113.7" not in key


def test_a_post_is_taken_when_the_cache_is_down(client, seeded, monkeypatch):
    def unreachable(*args, **kwargs):
        raise CacheUnavailable("down")

    for method in ("add", "incr"):
        monkeypatch.setattr(cache, method, unreachable)
    assert send(client).status_code == 200
    assert Feedback.objects.count() == 1


def test_a_comment_over_500_characters_is_refused(client, seeded):
    response = send(client, comment="a" * 501)
    assert response.status_code == 400 and b"500 characters" in response.content
    assert not Feedback.objects.exists()


def test_a_comment_of_500_characters_with_line_breaks_is_taken(client, seeded):
    assert send(client, comment="a\r\n" * 250).status_code == 200


def test_a_filled_honeypot_is_refused(client, seeded):
    response = send(client, reference="https://spam.example")
    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_an_answer_other_than_yes_or_no_is_refused(client, seeded):
    assert send(client, helpful="maybe").status_code == 400
    assert not Feedback.objects.exists()


def test_feedback_on_a_draft_technique_is_not_found(client, seeded):
    Technique.objects.filter(slug="kneading").update(status=Status.DRAFT)
    assert send(client, page="/techniques/kneading/").status_code == 404
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("page", ["/routines/no-such-routine/", "/pages/safety/", "/", "https://elsewhere.example/"])
def test_feedback_on_an_unknown_page_is_not_found(client, seeded, page):
    assert send(client, page=page).status_code == 404
    assert not Feedback.objects.exists()


SCRIPT = {"HTTP_ACCEPT": "application/json"}  # how static/js/feedback.js asks
BROWSER_FORM = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_the_pages_script_gets_the_thanks_as_json_and_the_answer_is_stored(client, seeded):
    response = send(client, comment="Clear.", **SCRIPT)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == {"heading": "Thank you", "message": "Your answer helps us make this guide better."}
    assert Feedback.objects.get().comment == "Clear."
    assert "no-store" in response["Cache-Control"] and not response.cookies


def test_a_browsers_own_form_post_still_gets_a_page(client, seeded):
    response = send(client, **BROWSER_FORM)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert b"<h1>Thank you</h1>" in response.content


@pytest.mark.parametrize(
    ("post", "status", "message"),
    [
        ({"origin": "https://elsewhere.example"}, 403, "Feedback is taken only from the pages of this site."),
        ({"comment": "x" * 501}, 400, "The comment is longer than 500 characters."),
        ({"reference": "spam"}, 400, "The form had a field filled in that must stay empty."),
        (
            {"page": "/routines/no-such-routine/"},
            404,
            "This page does not take feedback: it may have been unpublished.",
        ),
    ],
)
def test_the_pages_script_gets_a_refusal_with_its_reason(client, seeded, post, status, message):
    response = send(client, **post, **SCRIPT)
    assert response.status_code == status and response.json() == {"heading": "Not sent", "message": message}
    assert not Feedback.objects.exists()


def test_the_pages_script_hears_when_there_were_too_many_posts(client, seeded):
    for _ in range(POSTS_PER_MINUTE):
        send(client, **SCRIPT)
    response = send(client, **SCRIPT)
    assert response.status_code == 429 and "try again in a minute" in response.json()["message"]
    assert Feedback.objects.count() == POSTS_PER_MINUTE


@pytest.mark.parametrize(
    ("url", "has_form"), [("/routines/neck/", True), ("/techniques/kneading/", True), ("/", False), ("/about/", False)]
)
def test_the_feedback_script_loads_only_where_the_form_is(client, seeded, url, has_form):
    html = client.get(url).content.decode()
    assert ('class="feedback"' in html) is has_form
    assert bool(re.search(r'<script src="/static/js/feedback[^"]*\.js" defer></script>', html)) is has_form


def test_the_feedback_address_takes_only_posts(client, db):
    response = client.get("/feedback/")
    assert response.status_code == 405 and response["Allow"] == "POST"


@pytest.mark.parametrize("url", ["/routines/neck/", "/techniques/kneading/"])
def test_the_guide_page_stays_cacheable_after_feedback(client, seeded, url):
    send(client, page=url)
    first, second = client.get(url), client.get(url)
    assert second["X-Page-Cache"] == "hit"
    for response in (first, second):
        assert "Set-Cookie" not in response and not response.cookies
        assert b"csrfmiddlewaretoken" not in response.content
    html = second.content.decode()
    assert 'action="/feedback/"' in html and f'name="page" value="{url}"' in html
    assert 'tabindex="-1"' in html and 'autocomplete="off"' in html and "Leave empty" in html


def test_a_post_does_not_drop_the_page_cache(client, seeded):
    client.get("/routines/neck/")
    send(client)
    assert client.get("/routines/neck/")["X-Page-Cache"] == "hit"


def test_an_editor_reads_feedback_and_its_counts_in_the_admin(seeded, editor_client):
    reader = Client()
    send(reader, comment="Lovely and clear.")
    send(reader, helpful="no")
    response = editor_client.get("/admin/massage_site/feedback/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lovely and clear." in html and "Routine: Neck" in html
    (row,) = response.context["feedback_summary"]
    assert (row["guide"], row["yes"], row["no"]) == ("Neck", 1, 1)
    feedback = Feedback.objects.first()
    assert editor_client.get(f"/admin/massage_site/feedback/{feedback.pk}/change/").status_code == 200
    assert editor_client.get("/admin/massage_site/feedback/add/").status_code == 403
