"""Hardening found by an outside probe: production refuses a wildcard host and a guessable
secret key, signing in always lands in the admin, and the sign-in lockout counts as it says."""

import runpy
import secrets
import string
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "massage_site" / "settings.py"
ENV_KEYS = ("DJANGO_ENV", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT")
PASSWORD = "a-long-test-password"
WRONG = "Please enter the correct username and password"
LOCKOUT = "Too many failed sign-ins. Try again in 15 minutes."


def load_production_settings(monkeypatch, **changes):
    """The settings module as it would load in production with these variables (run afresh)."""
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    env = {"DJANGO_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "example.org"}
    env.update(changes)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return runpy.run_path(str(SETTINGS_FILE))


# --- Production settings --------------------------------------------------------------


@pytest.mark.parametrize("hosts", ["*", "example.org,*", " * "])
def test_production_refuses_a_wildcard_host(monkeypatch, hosts):
    with pytest.raises(ImproperlyConfigured, match=r"refuses ALLOWED_HOSTS=\*: name the hosts"):
        load_production_settings(monkeypatch, ALLOWED_HOSTS=hosts)


def test_production_accepts_named_hosts_and_subdomain_patterns(monkeypatch):
    prod = load_production_settings(monkeypatch, ALLOWED_HOSTS="massage.example.org,.example.net")
    assert prod["ALLOWED_HOSTS"] == ["massage.example.org", ".example.net"]


@pytest.mark.parametrize(
    "key",
    [
        "abcdefg" * 8,  # 56 characters, 7 different: what the probe got through
        "Ab1" * 20,
        string.ascii_lowercase[:19] * 3,  # 57 characters, 19 different
        secrets.token_urlsafe(30),  # random, but 40 characters
    ],
    ids=["7-distinct", "3-distinct", "19-distinct", "too-short"],
)
def test_production_refuses_a_guessable_secret_key_and_says_how_to_make_one(monkeypatch, key):
    with pytest.raises(ImproperlyConfigured) as refused:
        load_production_settings(monkeypatch, SECRET_KEY=key)
    message = str(refused.value)
    assert "needs SECRET_KEY: a random value of at least 50 characters, at least 20 of them different" in message
    assert "python -c 'import secrets; print(secrets.token_urlsafe(50))'" in message


def test_production_accepts_the_keys_it_suggests_and_djangos_own(monkeypatch):
    from django.core.management.utils import get_random_secret_key

    for key in [secrets.token_urlsafe(50) for _ in range(20)] + [get_random_secret_key() for _ in range(20)]:
        assert load_production_settings(monkeypatch, SECRET_KEY=key)["SECRET_KEY"] == key


def test_development_still_needs_no_configuration(monkeypatch):
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    dev = runpy.run_path(str(SETTINGS_FILE))
    assert dev["DJANGO_ENV"] == "development" and dev["ALLOWED_HOSTS"]


# --- Signing in -------------------------------------------------------------------------


@pytest.fixture
def admin_user(db, django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast: many sign-ins here
    return django_user_model.objects.create_superuser("admin", "admin@example.com", PASSWORD)


def sign_in(client, password=PASSWORD, next_url="/admin/", ip="203.0.113.7"):
    data = {"username": "admin", "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post(reverse("admin:login"), data, REMOTE_ADDR=ip)


@pytest.mark.parametrize(
    "next_url, lands_on",
    [
        ("/admin/techniques/technique/", "/admin/techniques/technique/"),
        ("https://evil.example/", "/admin/"),
        ("//evil.example/admin/", "/admin/"),
        (None, "/admin/"),
    ],
    ids=["safe", "other-site", "scheme-relative", "none"],
)
def test_signing_in_lands_on_next_only_when_it_is_safe_and_on_the_admin_otherwise(
    client, admin_user, next_url, lands_on
):
    response = sign_in(client, next_url=next_url)
    assert response.status_code == 302
    assert response["Location"] == lands_on
    assert client.get(lands_on).status_code == 200


# --- Sign-in lockout: after 5 failed attempts the next is refused -------------------------


def test_five_failed_sign_ins_are_each_answered_as_a_wrong_password_and_the_sixth_attempt_is_refused(
    client, admin_user
):
    for _ in range(5):
        response = sign_in(client, password="wrong")
        assert response.status_code == 200
        assert WRONG in response.content.decode() and LOCKOUT not in response.content.decode()
    response = sign_in(client)  # the right password
    assert response.status_code == 429
    assert LOCKOUT in response.content.decode()
    assert "After 5 wrong passwords in a row" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_right_password_after_four_failures_still_signs_in(client, admin_user):
    for _ in range(4):
        assert sign_in(client, password="wrong").status_code == 200
    assert sign_in(client).status_code == 302


def test_the_lockout_lasts_until_15_minutes_after_the_last_attempt(client, admin_user):
    from axes.models import AccessAttempt

    for _ in range(5):
        sign_in(client, password="wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert sign_in(client).status_code == 429  # still within 15 minutes
    # The refused attempt counts too: the 15 minutes start again from it.
    assert AccessAttempt.objects.get().attempt_time > timezone.now() - timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=5))
    assert sign_in(client).status_code == 302


def test_the_limit_is_the_setting(client, admin_user, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        assert sign_in(client, password="wrong").status_code == 200
    assert sign_in(client).status_code == 429
