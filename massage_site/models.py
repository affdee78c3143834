"""Site-wide content: editable pages (home introduction, safety) and seed bookkeeping."""

from django.db import models
from django.urls import reverse


class Page(models.Model):
    """A page of prose that editors maintain, such as the home page introduction."""

    slug = models.SlugField(
        unique=True, help_text="'home' is the home page introduction; 'about' is the about page, at /about/."
    )
    title = models.CharField(max_length=200)
    summary = models.CharField(
        max_length=300,
        blank=True,
        help_text="One or two sentences shown first, in large type: on the home page, what the site is.",
    )
    body = models.TextField(help_text="Simple HTML: paragraphs, lists, bold, italics and links.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.slug == "home":
            return reverse("home")
        if self.slug == "about":
            return reverse("about")
        return reverse("page", kwargs={"slug": self.slug})


class SeedRecord(models.Model):
    """What the seed command last wrote for one item, so that re-seeding never undoes an editor.

    ``seed_digest`` fingerprints the seed entry that was applied; ``state_digest``
    fingerprints the item as it stood right after. If the item no longer matches
    ``state_digest`` an editor has changed (or deleted) it, and the seed leaves it alone.
    """

    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=100)
    seed_digest = models.CharField(max_length=64)
    state_digest = models.CharField(max_length=64)
    applied_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="unique_seed_record")]

    def __str__(self):
        return f"{self.kind} {self.key}"
