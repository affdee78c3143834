"""Shared fixtures: an isolated media folder, small factories, the real seeded guides, editors, security headers."""

import io
import itertools
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from content.publishing import Status
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
    """Each test starts with an empty cache, as a fresh deployment would."""
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
def editor_client(client, editor):
    """A signed-in editor."""
    client.force_login(editor)
    return client


class _AdminForm(HTMLParser):
    """Collects what a browser would submit from the admin's main form (files left out)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, {}
        self._select, self._select_multiple, self._options, self._textarea = None, False, [], None

    def _add(self, name, value):
        if name and "__prefix__" not in name:
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        elif not self.inside:
            return
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._add(attrs.get("name"), attrs.get("value") or "on")
            elif kind not in ("file", "submit", "button", "image", "reset"):
                self._add(attrs.get("name"), attrs.get("value") or "")
        elif tag == "select":
            self._select, self._select_multiple, self._options = attrs.get("name"), "multiple" in attrs, []
        elif tag == "option" and self._select is not None:
            self._options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea":
            self._textarea = [attrs.get("name"), ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not self._select_multiple and self._options:
                chosen = [self._options[0][0]]
            for value in chosen:
                self._add(self._select, value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._add(name, text[1:] if text.startswith("\n") else text)  # as browsers drop it
            self._textarea = None


@pytest.fixture
def admin_form():
    """read(response, **changes) -> {field name: [values]}: an admin add/change form as a browser
    would submit it, with ``changes`` typed in (None empties a field)."""

    def read(response, **changes):
        opts = response.context["opts"]
        parser = _AdminForm(f"{opts.model_name}_form")
        parser.feed(response.content.decode())
        data = parser.data
        for name, value in changes.items():
            if value is None:
                data.pop(name, None)
            else:
                data[name] = [value]
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
