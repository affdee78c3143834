"""Security: production settings, headers on every response, cookies and sessions, sign-in
throttling, the admin's action log, text stored as typed, and /healthz.

The XSS corpus in a real browser is in tests/browser/test_xss_browser.py.
"""

import json
import os
import re
import runpy
import secrets
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from massage_site import health
from massage_site.login_throttle import client_ip
from massage_site.models import Page
from massage_site.page_cache import _cacheable
from routines.models import Routine
from techniques.models import Technique

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_FILE = ROOT / "massage_site" / "settings.py"
PAYLOADS = (Path(__file__).parent / "xss_payloads.txt").read_text(encoding="utf-8").splitlines()
ENV_KEYS = ("DJANGO_ENV", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT")
# Set by the browser tests' conftest for Playwright; never on a server (check --deploy says so).
TEST_ONLY_ENV = ("DJANGO_ALLOW_ASYNC_UNSAFE",)


def production_env(**changes):
    env = {key: value for key, value in os.environ.items() if key not in ENV_KEYS + TEST_ONLY_ENV}
    env.update(DJANGO_ENV="production", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="example.org", DEBUG="0")
    env.update(changes)
    return {key: value for key, value in env.items() if value is not None}


def load_settings(monkeypatch, env):
    """The settings module as it would load with this environment (run afresh, not imported)."""
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return runpy.run_path(str(SETTINGS_FILE))


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


# --- Production settings --------------------------------------------------------------


def test_deploy_check_reports_nothing_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=production_env())
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_flags_development_settings():
    """The check is not vacuous: the local defaults (no DJANGO_ENV) are called out."""
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(DJANGO_ENV=None, SECRET_KEY=None)
    )
    assert result.returncode != 0
    for code in ("security.W004", "security.W008", "security.W009", "security.W012", "security.W016"):
        assert code in result.stderr


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"SECRET_KEY": None}, "needs SECRET_KEY"),
        ({"SECRET_KEY": "too-short"}, "needs SECRET_KEY"),
        ({"SECRET_KEY": "django-insecure-" + "x" * 60}, "needs SECRET_KEY"),
        ({"ALLOWED_HOSTS": None}, "needs ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": " , "}, "needs ALLOWED_HOSTS"),
        ({"DEBUG": "1"}, "needs DEBUG=0"),
        ({"DJANGO_ENV": "prod"}, "DJANGO_ENV must be"),
    ],
)
def test_production_refuses_to_load_without_its_secrets(monkeypatch, changes, message):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match=message):
        load_settings(monkeypatch, production_env(**changes))


def test_the_server_refuses_to_start_in_production_without_a_secret_key():
    env = production_env(SECRET_KEY=None, DJANGO_SETTINGS_MODULE="massage_site.settings")
    result = subprocess.run(
        [sys.executable, "-c", "from massage_site.wsgi import application"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_ENV=production needs SECRET_KEY" in result.stderr


def test_production_turns_on_https_secure_cookies_and_hsts(monkeypatch):
    prod = load_settings(monkeypatch, production_env(SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto"))
    assert prod["SECURE_SSL_REDIRECT"] is True
    assert prod["SESSION_COOKIE_SECURE"] is True and prod["CSRF_COOKIE_SECURE"] is True
    assert prod["SECURE_HSTS_SECONDS"] == 31536000
    assert prod["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True and prod["SECURE_HSTS_PRELOAD"] is True
    assert prod["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert prod["ALLOWED_HOSTS"] == ["example.org"]
    assert prod["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["upgrade-insecure-requests"] is True


def test_development_keeps_working_without_configuration(monkeypatch):
    dev = load_settings(monkeypatch, {})
    assert dev["DJANGO_ENV"] == "development"
    assert dev["SECRET_KEY"] and dev["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]"]
    assert dev["SESSION_COOKIE_SECURE"] is False
    assert not dev.get("SECURE_SSL_REDIRECT")


# --- Headers on every response ----------------------------------------------------------

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; media-src 'self'; object-src 'none'; frame-src 'none'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)


def assert_security_headers(response):
    policy = {
        part.split()[0]: part.split()[1:] for part in response["Content-Security-Policy"].split(";") if part.strip()
    }
    expected = {part.split()[0]: part.split()[1:] for part in CSP.split(";")}
    assert policy == expected
    assert "unsafe" not in response["Content-Security-Policy"]
    assert not re.search(r"https?:|\*", response["Content-Security-Policy"])
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()", "screen-wake-lock=(self)"):
        assert feature in permissions


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


def test_every_response_carries_the_security_headers(client, seeded):
    for path in PATHS:
        response = client.get(path)
        assert response.status_code in (200, 302, 404), path
        assert_security_headers(response)
        assert "Strict-Transport-Security" not in response  # plain HTTP: HSTS would be ignored anyway


def test_cached_pages_carry_the_security_headers_too(visited_site):
    visited_site.get("/routines/legs/")
    response = visited_site.get("/routines/legs/")
    assert response["X-Page-Cache"] == "hit"
    assert_security_headers(response)


def test_not_modified_answers_carry_the_security_headers(visited_site):
    etag = visited_site.get("/techniques/")["ETag"]
    response = visited_site.get("/techniques/", headers={"if-none-match": etag})
    assert response.status_code == 304
    assert_security_headers(response)


def test_signed_in_admin_pages_carry_the_security_headers(staff_client, seeded):
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


def test_static_files_carry_the_security_headers(db, settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/css/site.css")
    assert response.status_code == 200
    assert_security_headers(response)
    response.close()


def test_hsts_over_https_in_production(client, seeded, settings, monkeypatch):
    prod = load_settings(monkeypatch, production_env())
    for name in ("SECURE_SSL_REDIRECT", "SECURE_REDIRECT_EXEMPT", "SECURE_HSTS_SECONDS"):
        setattr(settings, name, prod[name])
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = settings.SECURE_HSTS_PRELOAD = True
    client = Client()
    assert client.get("/routines/legs/", secure=True)["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    # Plain HTTP is sent to HTTPS, except the load balancers' probe.
    redirect = client.get("/routines/legs/")
    assert redirect.status_code == 301 and redirect["Location"] == "https://testserver/routines/legs/"
    assert client.get("/healthz").status_code == 200


# --- Cookies and sessions -----------------------------------------------------------------


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


# --- Sign-in throttling -------------------------------------------------------------------

LOCKOUT = "Too many failed sign-ins. Try again in 15 minutes."


def test_five_failed_sign_ins_lock_that_username_from_that_address_for_fifteen_minutes(client, admin_user):
    from axes.models import AccessAttempt

    for _ in range(4):
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


# --- The admin's action log ---------------------------------------------------------------


def test_an_admin_change_is_logged_with_who_and_what(editor_client, editor, seeded, admin_form):
    kneading = Technique.objects.get(slug="kneading")
    url = reverse("admin:techniques_technique_change", args=[kneading.pk])
    data = admin_form(editor_client.get(url))
    data["definition"] = ["You squeeze and roll the muscle like dough."]
    assert editor_client.post(url, data).status_code == 302
    entry = LogEntry.objects.get(object_id=str(kneading.pk))
    assert entry.user == editor and entry.action_flag == CHANGE
    assert "Definition" in entry.get_change_message()
    assert "Kneading" in editor_client.get(reverse("admin:index")).content.decode()  # "Recent actions"


# --- Editors' text is stored exactly as typed ---------------------------------------------


def test_admin_stores_hostile_text_exactly_as_typed(staff_client, seeded, admin_form):
    """Text fields hold what the editor typed; making it safe is the pages' job (escaping, nh3)."""
    text = "\n\n".join(PAYLOADS)
    short = PAYLOADS[4]  # "><script>alert(5)</script>

    kneading = Technique.objects.get(slug="kneading")
    url = reverse("admin:techniques_technique_change", args=[kneading.pk])
    data = admin_form(staff_client.get(url))
    data.update(definition=[short], how_to=[text], aliases=[PAYLOADS[9]], illustration_alt=[PAYLOADS[57]])
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    kneading.refresh_from_db()
    assert (kneading.definition, kneading.how_to, kneading.aliases, kneading.illustration_alt) == (
        short,
        text,
        PAYLOADS[9],
        PAYLOADS[57],
    )

    legs = Routine.objects.get(slug="legs")
    url = reverse("admin:routines_routine_change", args=[legs.pk])
    data = admin_form(staff_client.get(url))
    data.update(
        summary=[short], position=[PAYLOADS[0]], intro=[text], cautions=[text], illustration_alt=[PAYLOADS[58]]
    )
    data["steps-0-instruction"] = [text]
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    legs.refresh_from_db()
    assert (legs.summary, legs.position, legs.intro, legs.cautions, legs.illustration_alt) == (
        short,
        PAYLOADS[0],
        text,
        text,
        PAYLOADS[58],
    )
    assert legs.steps.first().instruction == text

    safety = Page.objects.get(slug="safety")
    url = reverse("admin:massage_site_page_change", args=[safety.pk])
    data = admin_form(staff_client.get(url))
    data.update(title=[short], body=[text])
    assert staff_client.post(url, data).status_code == 302
    safety.refresh_from_db()
    assert (safety.title, safety.body) == (short, text)

    # ...and the admin shows it back as text, never as markup.
    html = staff_client.get(url).content.decode()
    assert "<script>alert(" not in html and "<img src=x onerror" not in html
    assert escape(PAYLOADS[9]) in html


def test_the_payload_corpus_is_big_and_varied():
    assert len(PAYLOADS) >= 50 and len(set(PAYLOADS)) == len(PAYLOADS)
    assert all(0 < len(payload) <= 100 and payload == payload.strip() for payload in PAYLOADS)
    for kind in ("<script", "onerror=", "javascript:", "<svg", "style=", "<style", "&#", "%3C", "\\u003c"):
        assert any(kind.lower() in payload.lower() for payload in PAYLOADS), kind


# --- /healthz -----------------------------------------------------------------------------


def test_healthz_reports_database_and_cache(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response and "X-Page-Cache" not in response
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_healthz_is_503_when_the_database_is_down(client, db, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "cursor", refuse)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "error", "cache": "ok"}


def test_healthz_is_503_when_the_cache_is_down(client, db, settings):
    # Nothing listens on port 1: every cache call fails at once.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "error"}
    assert json.loads(response.content)["cache"] == "error"


def test_healthz_gives_up_on_a_check_that_hangs(client, db, monkeypatch):
    monkeypatch.setattr(health, "HEALTH_TIMEOUT", 0.2)
    monkeypatch.setattr(health, "check_cache", lambda cache: time.sleep(2))
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 1.5
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "timeout"}


def test_healthz_is_never_cached(client, db, rf):
    """Each probe really checks: the page cache leaves it alone, and so may any proxy."""
    assert not _cacheable(rf.get("/healthz"))
    for _ in range(2):
        response = client.get("/healthz")
        assert "X-Page-Cache" not in response and "no-store" in response["Cache-Control"]
