"""What "published" means, decided once for every kind of content.

An item is visible to the public when its status is Published and its publish
time has come. Pages, search, sitemaps, feeds and term links all go through
``published()`` (or ``published_q`` across a relation), so the rule never
drifts between them, and a future-dated item goes live with no job to run.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


def published_q(prefix=""):
    """A Q object selecting live items, optionally across a relation (``"routine__"``)."""
    return Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}publish_at__lte": timezone.now()})


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_q())


class Publishable(models.Model):
    """Draft/published status, a publish time, and timestamps."""

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    publish_at = models.DateTimeField(
        "publish from",
        default=timezone.now,
        help_text="A published item becomes public at this time; set a future time to schedule it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_live(self):
        """True when the public can see this item right now."""
        return self.status == Status.PUBLISHED and self.publish_at <= timezone.now()
