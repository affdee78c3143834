"""The people behind the guides: who writes and who reviews them (shared by both areas)."""

import reversion
from django.db import models
from django.urls import reverse

from .approvals import ReviewRequest  # noqa: F401 (models of this app, each kept in the module of its job)
from .draft_links import DraftLink  # noqa: F401


@reversion.register()
class Contributor(models.Model):
    """Someone who writes or reviews guides, with a public page of their own.

    A contributor can also be a team (the seeded "Editorial team"), which editors
    replace with the real people once they are named.
    """

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True, help_text="Part of the public address: /about/people/<slug>/")
    role = models.CharField(
        "role or qualification", max_length=150, help_text="What they do, e.g. 'Registered massage therapist'."
    )
    note = models.TextField(blank=True, help_text="A few sentences about them. Plain text.")
    team = models.BooleanField("a team, not one person", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contributor", kwargs={"slug": self.slug})
