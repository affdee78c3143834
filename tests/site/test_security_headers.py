"""Security headers (CSP, Permissions-Policy, frame options, nosniff, COOP, referrer) on every kind of response."""

from django.test import Client
from django.urls import reverse

from routines.models import Routine

PATHS = [
    "/",
    "/techniques/",
    "/techniques/kneading/",
    "/routines/",
    "/routines/legs/",
    "/search/?q=knead",
    "/plan/?r=neck",
    "/pages/safety/",
    "/sitemap.xml",
    "/robots.txt",
    "/feed/",
    "/healthz",
    "/admin/login/",
    "/admin/",
    "/no-such-page/",
]


def test_every_response_carries_the_security_headers(client, seeded, assert_security_headers):
    for path in PATHS:
        response = client.get(path)
        assert response.status_code in (200, 302, 404), path
        assert_security_headers(response)
        assert "Strict-Transport-Security" not in response  # plain HTTP: HSTS would be ignored anyway


def test_cached_pages_carry_the_security_headers_too(visited_site, assert_security_headers):
    visited_site.get("/routines/legs/")
    response = visited_site.get("/routines/legs/")
    assert response["X-Page-Cache"] == "hit"
    assert_security_headers(response)


def test_not_modified_answers_carry_the_security_headers(visited_site, assert_security_headers):
    etag = visited_site.get("/techniques/")["ETag"]
    response = visited_site.get("/techniques/", headers={"if-none-match": etag})
    assert response.status_code == 304
    assert_security_headers(response)


def test_signed_in_admin_pages_carry_the_security_headers(staff_client, seeded, assert_security_headers):
    legs = Routine.objects.get(slug="legs")
    for url in (
        reverse("admin:index"),
        reverse("admin:routines_routine_change", args=[legs.pk]),
        reverse("admin:routines_routine_history", args=[legs.pk]),
        reverse("admin:autocomplete") + "?app_label=routines&model_name=step&field_name=technique",
    ):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response)


def test_static_files_carry_the_security_headers(db, settings, assert_security_headers):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/css/site.css")
    assert response.status_code == 200
    assert_security_headers(response)
    response.close()
