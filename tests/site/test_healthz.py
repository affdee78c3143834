"""/healthz: reports database and cache, fails with 503, gives up on hangs, and is never cached."""

import json
import time

from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

from massage_site import health
from massage_site.page_cache import _cacheable


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
