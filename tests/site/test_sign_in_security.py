"""Signing in: session and CSRF cookies, session lifetime, and throttling of failed sign-ins."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from massage_site.login_throttle import client_ip


def sign_in(client, username="admin", password="a-long-test-password", ip="203.0.113.7"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


@pytest.fixture
def admin_user(db, django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast: many sign-ins here
    return django_user_model.objects.create_superuser("admin", "admin@example.com", "a-long-test-password")


def test_session_and_csrf_cookies_are_http_only_and_end_with_the_browser(client, admin_user):
    login_page = client.get(reverse("admin:login"))
    assert login_page.cookies["csrftoken"]["httponly"] is True
    response = sign_in(client)
    assert response.status_code == 302
    session = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert not session["max-age"] and not session["expires"]  # a browser-session cookie


def test_sessions_expire_after_eight_hours(client, admin_user):
    sign_in(client)
    assert client.get(reverse("admin:index")).status_code == 200
    stored = Session.objects.get()
    assert abs((stored.expire_date - timezone.now()) - timedelta(hours=8)) < timedelta(minutes=1)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


LOCKOUT = "Too many failed sign-ins. Try again in 15 minutes."


def test_five_failed_sign_ins_lock_that_username_from_that_address_for_fifteen_minutes(
    client, admin_user, assert_security_headers
):
    from axes.models import AccessAttempt

    for _ in range(5):
        response = sign_in(client, password="wrong")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    response = sign_in(client, password="wrong")
    assert response.status_code == 429
    assert LOCKOUT in response.content.decode()
    assert response["Retry-After"] == "900"
    assert_security_headers(response)

    # Even the right password is refused while locked out...
    response = sign_in(client)
    assert response.status_code == 429 and LOCKOUT in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302

    # ...but only for that username from that address.
    assert sign_in(Client(), ip="198.51.100.9").status_code == 302
    other = sign_in(Client(), username="someone-else", password="wrong")
    assert other.status_code == 200 and LOCKOUT not in other.content.decode()

    # Fifteen minutes later the pair may try again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in(client).status_code == 302


def test_a_successful_sign_in_clears_the_failure_count(client, admin_user):
    for _ in range(4):
        sign_in(client, password="wrong")
    assert sign_in(client).status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, password="wrong").status_code == 200


def test_sign_ins_are_recorded(client, admin_user):
    from axes.models import AccessAttempt, AccessLog

    sign_in(client, password="wrong")
    sign_in(client)
    assert AccessLog.objects.filter(username="admin", ip_address="203.0.113.7").exists()
    assert not AccessAttempt.objects.exists()  # reset by the success


def test_force_login_is_not_throttled(staff_client):
    assert staff_client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, "1.1.1.1", "10.0.0.1"),  # no trusted proxy: the header is the client's to invent
        (1, "1.1.1.1, 198.51.100.4", "198.51.100.4"),
        (2, "1.1.1.1, 198.51.100.4, 10.0.0.2", "198.51.100.4"),
        (2, "198.51.100.4", "10.0.0.1"),  # fewer hops than promised: fall back
    ],
)
def test_the_address_counted_is_the_one_trusted_proxies_saw(rf, settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
