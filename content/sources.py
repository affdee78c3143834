"""Where a guide's facts come from, and when not to massage, as those sources say.

Techniques and routines each have a ``Source`` model (related name ``sources``) built
on ``SourceBase``, edited inline in their admins. A situation in which not to massage
is written on the source that supports it, so every one shown is backed by a source
listed on the same page, and none can be added without one.
"""

from django.contrib import admin
from django.db import models

from .editing import PlainTextAdmin


class SourceBase(models.Model):
    """One source of an item, in the order the page lists them."""

    order = models.PositiveSmallIntegerField(default=0, help_text="Position in the list; lower comes first.")
    title = models.CharField(max_length=250)
    publisher = models.CharField(max_length=200, blank=True, help_text="Who published it, as the source says.")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField("address", max_length=500, blank=True, help_text="Where readers can find it, if online.")
    when_not_to = models.TextField(
        "when not to massage",
        blank=True,
        help_text="Situations in which this source says not to massage, or to ask a professional first: "
        "one a line. Only what this source itself says.",
    )

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title

    @property
    def situations(self):
        """The situations in which not to massage, one per line of ``when_not_to``."""
        return [line.strip() for line in self.when_not_to.splitlines() if line.strip()]


def when_not_to_massage(sources):
    """[(situation, source number)] across ``sources`` in order, numbered from 1 as listed."""
    return [(situation, number) for number, source in enumerate(sources, 1) for situation in source.situations]


class SourceInline(PlainTextAdmin, admin.StackedInline):
    """Base for each area's sources inline (set ``model``)."""

    extra = 0
    fields = [("order", "title"), ("publisher", "year"), "url", "when_not_to"]
    verbose_name_plural = "sources (listed under “Sources”, in this order)"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")  # an address typed without a scheme
        return super().formfield_for_dbfield(db_field, request, **kwargs)
