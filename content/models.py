"""The people behind the guides: who writes and who reviews them (shared by both areas)."""

import reversion
from django.db import models
from django.urls import reverse

from .approvals import ReviewRequest  # noqa: F401 (models of this app, each kept in the module of its job)
from .draft_links import DraftLink  # noqa: F401
from .renditions import Illustrated, add_renditions, illustration_upload_to


@reversion.register()
class Contributor(Illustrated, models.Model):
    """Someone who writes or reviews guides, with a public page of their own.

    A contributor can also be a team (the seeded "Editorial team"), which editors
    replace with the real people once they are named. The photo is optional and goes
    through the same checks, renditions, backups and clean-up as every other picture
    (hence the field's generic name, ``illustration``); without one, pages show initials.
    """

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True, help_text="Part of the public address: /about/people/<slug>/")
    role = models.CharField(
        "role or qualification", max_length=150, help_text="What they do, e.g. 'Registered massage therapist'."
    )
    note = models.TextField(blank=True, help_text="A few sentences about them. Plain text.")
    team = models.BooleanField("a team, not one person", default=False)
    illustration = models.FileField(
        "photo",
        upload_to=illustration_upload_to,
        blank=True,
        help_text="Optional: a photo of them (PNG, JPEG or WebP), shown small and round on their page and "
        "the about page. Without one, their initials show.",
    )
    illustration_alt = models.CharField(
        "photo description",
        max_length=250,
        blank=True,
        help_text="Describe the photo for readers who cannot see it, e.g. 'Ann Example, smiling, in a garden'.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # A person's photo leaves the site with them (recovered from history, they come back without it).
    keep_picture_when_deleted = False

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contributor", kwargs={"slug": self.slug})

    @property
    def initials(self):
        """Up to two capital letters from the name ('Ann Example' -> 'AE'), shown in place of a photo."""
        return "".join(word[0] for word in self.name.split()[:2] if word[:1].isalpha()).upper()


add_renditions(Contributor)
