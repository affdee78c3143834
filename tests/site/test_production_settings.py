"""Production settings: the deploy check, refusing to start without secrets, HTTPS, HSTS, and local defaults."""

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_FILE = ROOT / "massage_site" / "settings.py"
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
