"""Shared fixtures: an isolated media folder, small factories, the real seeded guides, editors, security headers."""

import io
import itertools
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from checks.admin_form import AdminForm
from content.caching import reset_skipping
from content.changes import forget_derived
from content.publishing import Status
from massage_site import search_record
from massage_site.seeding import load
from routines.models import Routine, Step
from techniques.models import Technique

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads and seeded pictures go to a throwaway folder, never the repo's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True, scope="session")
def own_cache_folder(tmp_path_factory):
    """Without Redis the cache is a folder (see settings): the suite gets its own, never
    the one `make run` uses on the same checkout and database file."""
    if settings.CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
        own = {"default": {**settings.CACHES["default"], "LOCATION": str(tmp_path_factory.mktemp("cache"))}}
        with override_settings(CACHES=own):
            yield
    else:
        yield


@pytest.fixture(autouse=True)
def empty_cache(own_cache_folder):
    """Each test starts with an empty cache, as a fresh deployment would: nor does it inherit a
    worker's pause after a failed cache call in an earlier test (a Redis read that timed out on a
    busy machine made every later test's clear() raise CacheUnavailable), nor derived data a
    worker kept from an earlier test's database or searches it counted."""
    reset_skipping()
    forget_derived()
    search_record.forget_pending()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeded(db):
    """The real seed data, loaded as `make run` loads it."""
    return load()


@pytest.fixture
def visited_site(client, seeded):
    """A site that has served before: the page cache's bookkeeping (content generation, next
    scheduled change) is in place, as on any live site; term lists and pages are still cold."""
    client.get("/robots.txt")
    return client


@pytest.fixture
def make_technique(db):
    def make(**fields):
        n = next(_numbers)
        values = {
            "name": f"Technique {n}",
            "slug": f"technique-{n}",
            "family": "stroking",
            "definition": f"Definition of technique {n}.",
            "how_to": f"How to do technique {n}.",
            "status": Status.PUBLISHED,
            "publish_at": timezone.now() - timezone.timedelta(minutes=1),
        }
        values.update(fields)
        return Technique.objects.create(**values)

    return make


@pytest.fixture
def make_routine(db):
    def make(steps=(), **fields):
        """steps: (technique or None, duration_seconds, repeat_other_side) tuples."""
        n = next(_numbers)
        values = {
            "title": f"Routine {n}",
            "slug": f"routine-{n}",
            "body_area": "back",
            "position": "Sitting on a chair",
            "summary": f"Summary of routine {n}.",
            "intro": f"Introduction to routine {n}.",
            "status": Status.PUBLISHED,
            "publish_at": timezone.now() - timezone.timedelta(minutes=1),
        }
        values.update(fields)
        routine = Routine.objects.create(**values)
        for order, (technique, seconds, repeat) in enumerate(steps, start=1):
            Step.objects.create(
                routine=routine,
                order=order,
                technique=technique,
                instruction=f"Step {order} of {routine.title}.",
                duration_seconds=seconds,
                repeat_other_side=repeat,
            )
        return routine

    return make


@pytest.fixture
def staff_client(client, django_user_model):
    """A signed-in administrator."""
    user = django_user_model.objects.create_superuser("admin", "admin@example.com", "a-long-test-password")
    client.force_login(user)
    return client


EDITOR_PASSWORD = "a-long-editor-password"


@pytest.fixture
def editor(db, monkeypatch, django_user_model):
    """An editor made the documented way: `create_editor` (in the Editors group, not a superuser)."""
    monkeypatch.setenv("TEST_EDITOR_PASSWORD", EDITOR_PASSWORD)
    call_command("create_editor", "editor", "--password-from-env", "TEST_EDITOR_PASSWORD", stdout=io.StringIO())
    return django_user_model.objects.get(username="editor")


@pytest.fixture
def editor_password():
    """The password the `editor` fixture gives its editor (to sign in through the form)."""
    return EDITOR_PASSWORD


@pytest.fixture
def editor_client(client, editor):
    """A signed-in editor."""
    client.force_login(editor)
    return client


@pytest.fixture
def admin_form():
    """read(response, **changes) -> {field name: [values]}: an admin add/change form as a browser
    would submit it, with ``changes`` typed in (None empties a field, a list sets several values)."""

    def read(response, **changes):
        opts = response.context["opts"]
        parser = AdminForm(f"{opts.model_name}_form")
        parser.feed(response.content.decode())
        data = parser.data
        for name, value in changes.items():
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value if isinstance(value, list) else [value]
        return data

    return read


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; media-src 'self'; object-src 'none'; frame-src 'none'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)


@pytest.fixture
def assert_security_headers():
    """check(response): the headers every response must carry (CSP, nosniff, frame options, COOP, ...)."""

    def check(response):
        policy = {
            part.split()[0]: part.split()[1:]
            for part in response["Content-Security-Policy"].split(";")
            if part.strip()
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
        for feature in (
            "camera=()",
            "microphone=()",
            "geolocation=()",
            "payment=()",
            "usb=()",
            "screen-wake-lock=(self)",
        ):
            assert feature in permissions

    return check
