"""Every public address in the brief answers, and the shared pages behave."""

import re

import pytest
from django.utils import timezone

from content.publishing import Status
from massage_site.models import Page

BRIEF_URLS = [
    "/",
    "/techniques/",
    *[
        f"/techniques/{slug}/"
        for slug in (
            "effleurage",
            "kneading",
            "knuckling",
            "pummelling",
            "cupping",
            "tapping",
            "circular-thumb-pressure",
            "circular-finger-pressure",
            "pulling-and-stretching",
            "grab-and-release",
        )
    ],
    "/routines/",
    *[
        f"/routines/{slug}/"
        for slug in ("lower-back", "feet", "stomach", "legs", "arms", "hands", "neck", "shoulders", "under-the-arm")
    ],
    "/search/?q=kneading",
    "/sitemap.xml",
    "/robots.txt",
    "/pages/safety/",
]


@pytest.mark.parametrize("url", BRIEF_URLS)
def test_every_address_in_the_brief_answers(client, seeded, url):
    response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("url", ["/techniques/no-such-term/", "/routines/no-such-area/", "/pages/nothing/", "/x%00y/"])
def test_unknown_addresses_get_the_friendly_not_found_page(client, seeded, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "couldn’t find that page" in response.content.decode()
    assert 'href="/routines/"' in response.content.decode()


def test_home_page_introduces_self_massage_and_links_every_area_and_term(client, seeded):
    html = client.get("/").content.decode()
    assert "about an hour" in html
    for slug in ("neck", "lower-back", "feet", "under-the-arm"):
        assert f'href="/routines/{slug}/"' in html
    assert 'href="/techniques/effleurage/"' in html


@pytest.mark.parametrize(("slug", "url"), [("help", "/pages/help/"), ("about", "/about/")])
def test_page_body_is_sanitised_so_an_editor_cannot_publish_script(client, db, slug, url):
    Page.objects.create(
        slug=slug, title="About", body='<p>Hello</p><script>alert(1)</script><a href="javascript:x">x</a>'
    )
    html = client.get(url).content.decode()
    assert "<p>Hello</p>" in html
    assert "alert(1)" not in html and "javascript:" not in html


def test_sitemap_lists_published_items_only(client, seeded, make_technique):
    make_technique(slug="secret-draft", status=Status.DRAFT)
    make_technique(slug="not-yet", publish_at=timezone.now() + timezone.timedelta(days=1))
    xml = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>http://testserver(.*?)</loc>", xml)
    assert "/routines/legs/" in locations and "/techniques/cupping/" in locations and "/" in locations
    assert "/techniques/secret-draft/" not in locations and "/techniques/not-yet/" not in locations
    assert "<lastmod>" in xml


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/", "/techniques/", "/techniques/kneading/", "/routines/", "/routines/legs/", "/search/?q=knead"]
)
def test_public_pages_use_at_most_five_queries(visited_site, client, django_assert_max_num_queries, url):
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200


def test_a_server_error_shows_the_friendly_error_page(client, db, monkeypatch):
    def broken(query):
        raise RuntimeError("database went away")

    monkeypatch.setattr("massage_site.views.run_search", broken)
    client.raise_request_exception = False
    response = client.get("/search/", {"q": "kneading"})
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
