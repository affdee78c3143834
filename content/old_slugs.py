"""Old addresses keep working: when a published item's slug changes, its old URL redirects.

Techniques and routines each have an ``OldSlug`` model (related name ``old_slugs``).
Before an item is saved with a new slug, ``remember_old_slug`` records the slug it had
if the public may have seen it; the detail views ask ``moved_item`` only when no live
item has the slug requested, so an old slug never shadows a current one.
"""

from django.db import models
from django.http import Http404, HttpResponsePermanentRedirect

from .publishing import Status


class OldSlugBase(models.Model):
    """A slug an item used to have. Each slug leads to one item: the last one that left it."""

    slug = models.SlugField(max_length=100, unique=True)
    created_at = models.DateTimeField("changed at", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return self.slug


def remember_old_slug(sender, instance, **kwargs):
    """pre_save receiver: record the stored slug of a published item whose slug is changing.

    Runs for raw saves too, because restoring an earlier version from history can change a slug.
    """
    if instance.pk is None:
        return
    previous = sender._default_manager.filter(pk=instance.pk).values("slug", "status").first()
    if previous is None or previous["slug"] == instance.slug:
        return
    old_slugs = instance.old_slugs
    # Back on a slug it had before: that address is current again.
    old_slugs.filter(slug=instance.slug).delete()
    if previous["status"] == Status.PUBLISHED:
        old_slugs.model._default_manager.update_or_create(
            slug=previous["slug"], defaults={old_slugs.field.name: instance}
        )


def moved_item(model, slug):
    """The live item that used to have ``slug``, or None."""
    return model._default_manager.published().filter(old_slugs__slug=slug).first()


class OldSlugRedirectMixin:
    """For a DetailView of ``model``: an unknown slug that a live item used to have answers
    with a permanent redirect to its current address (never in a preview)."""

    preview = None

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = None if self.preview else moved_item(self.model, kwargs.get("slug"))
            if moved is None:
                raise
            return HttpResponsePermanentRedirect(moved.get_absolute_url())
