"""Shared fixtures: an isolated media folder, small factories, and the real seeded guides."""

import itertools

import pytest
from django.core.cache import cache
from django.utils import timezone

from massage_site.seeding import load
from routines.models import Routine, Step
from techniques.models import Technique
from techniques.publishing import Status

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads and seeded pictures go to a throwaway folder, never the repo's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache, as a fresh deployment would."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeded(db):
    """The real seed data, loaded as `make run` loads it."""
    return load()


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
