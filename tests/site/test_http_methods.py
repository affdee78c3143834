"""Every public page answers GET and HEAD alike, cached or not; any other method is a 405 naming them."""

import pytest

PUBLIC_PAGES = [
    "/",
    "/techniques/",
    "/techniques/kneading/",
    "/routines/",
    "/routines/?area=legs-feet",
    "/routines/legs/",
    "/search/",
    "/search/?q=kneeding",
    "/search/suggest/?q=kne",
    "/plan/",
    "/plan/?r=neck&r=legs",
    "/pages/safety/",
    "/tags/relaxation/",
    "/sitemap.xml",
    "/feed/",
    "/robots.txt",
    "/card.png",
    "/techniques/kneading/card.png",
    "/routines/legs/card.png",
]
OTHER_METHODS = ["options", "trace", "post", "put", "patch", "delete"]


def send(client, method, url):
    return client.generic(method.upper(), url)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_head_answers_like_get_without_a_body_on_a_miss_and_on_a_hit(client, seeded, url):
    head_on_miss = client.head(url)
    page = client.get(url)
    head_on_hit = client.head(url)
    assert page.status_code == head_on_miss.status_code == head_on_hit.status_code == 200, url
    assert head_on_miss.content == head_on_hit.content == b""
    assert head_on_miss["Content-Type"] == head_on_hit["Content-Type"] == page["Content-Type"]
    assert head_on_miss["X-Page-Cache"] == "miss" and head_on_hit["X-Page-Cache"] == "hit"


def test_head_answers_like_get_for_the_health_check(client, db):
    assert client.head("/healthz").status_code == client.get("/healthz").status_code == 200


@pytest.mark.parametrize("method", OTHER_METHODS)
@pytest.mark.parametrize("url", [*PUBLIC_PAGES, "/healthz", "/static/css/site.css", "/no-such-page/"])
def test_other_methods_are_refused_alike_everywhere_public(client, db, url, method):
    # Refused before any view runs, so the same answer whether the page exists or not.
    response = send(client, method, url)
    assert response.status_code == 405, (method, url)
    assert response["Allow"] == "GET, HEAD"
    assert response.content == b""
    assert "X-Page-Cache" not in response


def test_a_refused_method_still_carries_the_security_headers(client, db):
    response = send(client, "options", "/")
    assert response["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in response


def test_the_admin_still_takes_posts(client, db):
    response = client.post("/admin/login/", {"username": "nobody", "password": "wrong"})
    assert response.status_code == 200 and b"Please enter the correct username" in response.content
