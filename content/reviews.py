"""Signs of care: who wrote an item, who reviewed it, when, and when it is due again.

Techniques and routines inherit ``Reviewed``; their querysets ``ReviewedQuerySet``; their
admins list ``ReviewDueFilter``. Editors set the dates; a new item is due a year ahead.
"""

import datetime

from django.contrib import admin
from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast
from django.utils import timezone

REVIEW_INTERVAL = datetime.timedelta(days=365)
DUE_SOON = datetime.timedelta(days=30)


def a_year_ahead():
    """The default next review date of a new item."""
    return timezone.localdate() + REVIEW_INTERVAL


class ReviewedQuerySet(models.QuerySet):
    def due_for_review(self, within=DUE_SOON):
        """Items whose next review falls within ``within`` from today, or is past."""
        return self.filter(next_review_due__lte=timezone.localdate() + within)

    def overdue(self):
        return self.filter(next_review_due__lt=timezone.localdate())


class Reviewed(models.Model):
    """Authors, a reviewer and review dates, shown at the foot of the public page."""

    authors = models.ManyToManyField(
        "content.Contributor", blank=True, related_name="%(class)ss_written", help_text="Who wrote it."
    )
    reviewer = models.ForeignKey(
        "content.Contributor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)ss_reviewed",
        help_text="Who checks it; someone other than the authors where possible.",
    )
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="When the reviewer last checked it. Leave empty until it has been reviewed."
    )
    next_review_due = models.DateField(default=a_year_ahead, help_text="When it should be checked again.")

    class Meta:
        abstract = True


# The admins' fieldset for the fields above.
REVIEW_FIELDSET = ("Authors and review", {"fields": ["authors", "reviewer", ("last_reviewed", "next_review_due")]})


class ReviewDueFilter(admin.SimpleListFilter):
    """Admin list filter: items due for review within 30 days, or overdue."""

    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", "Due within 30 days or overdue"), ("overdue", "Overdue")]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.due_for_review()
        if self.value() == "overdue":
            return queryset.overdue()
        return queryset


def attach_signs_of_care(item, *more):
    """Give ``item`` its ``author_list``, ``source_list`` (in order) and ``when_not_to`` (situations with
    the number of the source behind each), in one UNION query.

    Two prefetches would cost a query each, and a detail page has five in all. ``more``:
    further querysets of the same eight columns (kind, two sort keys, three texts, a number,
    a text) to fetch in the same query; their rows come back in ``item.more_rows[kind]``.
    (In an author's row, the number says whether it is a team.)
    The reviewer is not fetched here: select it with the item (``select_related("reviewer")``).
    """
    from .models import Contributor
    from .sources import when_not_to_massage

    authors = item.authors.through
    sources = item.sources.model
    parts = [
        authors.objects.filter(**{authors._meta.get_field(item._meta.model_name).attname: item.pk})
        .order_by()
        .values_list(
            Value("author"),
            "pk",
            Value(0),
            "contributor__name",
            "contributor__slug",
            "contributor__role",
            Cast("contributor__team", output_field=models.IntegerField()),
            Value(""),
        ),
        sources.objects.filter(**{item.sources.field.attname: item.pk})
        .order_by()
        .values_list(Value("source"), "order", "pk", "title", "publisher", "url", "year", "when_not_to"),
        *more,
    ]
    rows = sorted(parts[0].union(*parts[1:], all=True), key=lambda row: (row[0], row[1], row[2]))
    item.author_list, item.source_list, item.more_rows = [], [], {}
    for kind, first, second, a, b, c, year, text in rows:
        if kind == "author":
            item.author_list.append(Contributor(name=a, slug=b, role=c, team=bool(year)))
        elif kind == "source":
            item.source_list.append(
                sources(pk=second, order=first, title=a, publisher=b, url=c, year=year, when_not_to=text)
            )
        else:
            item.more_rows.setdefault(kind, []).append((a, b, c))
    item.when_not_to = when_not_to_massage(item.source_list)
    return item
