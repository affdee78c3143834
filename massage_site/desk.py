"""The editors' desk: what needs doing, on the admin's front page.

Drafts, scheduled items with their go-live times, reviews due or overdue (content/reviews.py),
the latest reader feedback and the latest changes with who made them; every entry links to
the place to act. Each list is one query per kind of content, however much there is
(a few more for the feedback's guides: one per kind of guide).

And what readers searched for in the last 30 days (massage_site/search_record.py): the most
frequent searches, each linking to what readers get, and those that found nothing, each
linking to a new editors' pick for it (or a search term on the item that answers it).
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from content.editing import status_label
from content.publishing import Status
from content.registry import publishable_models
from content.reviews import DUE_SOON

from . import search_record
from .models import Feedback, SearchCount, SearchPick

# How many entries each list shows; the list's own page has the rest.
SHOWN = 8


@dataclass
class Entry:
    """One line of a list: what it is, where to act on it, and a short note (a date, a status)."""

    title: str
    url: str
    kind: str = ""
    note: str = ""
    when: datetime.datetime | datetime.date | None = None
    flag: str = ""  # "overdue", "no", "yes": how the page marks the entry
    detail: str = ""  # a second line: what changed, the status of an item due for review

    @property
    def when_text(self):
        """'3 Dec 2026, 09:00' for a moment (in local time), '3 Dec 2026' for a day."""
        if isinstance(self.when, datetime.datetime):
            return date_format(timezone.localtime(self.when), "j M Y, H:i")
        return date_format(self.when, "j M Y") if self.when else ""


@dataclass
class Section:
    """A list on the desk, with a link to all of it and what to say when it is empty."""

    key: str
    title: str
    empty: str
    entries: list = field(default_factory=list)
    more: list = field(default_factory=list)  # (label, url) links to the full lists


def _change_url(item):
    return reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk])


def _changelist_url(model, query=""):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{query}" if query else url


def _can_change(user, model):
    return user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")


def _title_field(model):
    return getattr(model, "title_field", "title")


def work_lists(user, today=None):
    """Drafts, scheduled items and reviews due, for the publishable models this user may change."""
    now = timezone.now()
    today = today or timezone.localdate()
    drafts = Section("drafts", "Drafts", "No drafts: everything written is published or scheduled.")
    scheduled = Section("scheduled", "Scheduled", "Nothing is scheduled to go live.")
    reviews = Section("reviews", "Reviews due", "No reviews are due in the next 30 days.")
    for model in publishable_models():
        if not _can_change(user, model):
            continue
        kind = str(model._meta.verbose_name).capitalize()
        plural = str(model._meta.verbose_name_plural)
        name = _title_field(model)
        fields = ["pk", name, "status", "publish_at", "updated_at", "next_review_due"]
        items = model._default_manager.only(*fields[1:])

        for item in items.filter(status=Status.DRAFT).order_by("-updated_at")[:SHOWN]:
            drafts.entries.append(Entry(getattr(item, name), _change_url(item), kind, "last changed", item.updated_at))
        drafts.more.append((f"All draft {plural}", _changelist_url(model, "status__exact=draft")))

        for item in items.filter(status=Status.PUBLISHED, publish_at__gt=now).order_by("publish_at")[:SHOWN]:
            scheduled.entries.append(Entry(getattr(item, name), _change_url(item), kind, "goes live", item.publish_at))

        due = items.filter(next_review_due__lte=today + DUE_SOON).order_by("next_review_due")[:SHOWN]
        for item in due:
            overdue = item.next_review_due < today
            reviews.entries.append(
                Entry(
                    getattr(item, name),
                    _change_url(item),
                    kind,
                    "overdue since" if overdue else "due",
                    item.next_review_due,
                    flag="overdue" if overdue else "",
                    detail=status_label(item),
                )
            )
        reviews.more.append((f"All {plural} due", _changelist_url(model, "review=due")))

    scheduled.entries.sort(key=lambda entry: entry.when)
    drafts.entries.sort(key=lambda entry: entry.when, reverse=True)
    reviews.entries.sort(key=lambda entry: entry.when)
    return [drafts, scheduled, reviews]


def recent_feedback(user):
    """The latest readers' answers, each linking to its guide's form (where to act on it)."""
    if not user.has_perm("massage_site.view_feedback"):
        return None
    section = Section("feedback", "Reader feedback", "No feedback from readers yet.")
    section.more.append(("All feedback", _changelist_url(Feedback)))
    rows = list(Feedback.objects.select_related("content_type").prefetch_related("item")[:SHOWN])
    for row in rows:
        guide = row.item
        kind = row.content_type.name.capitalize()
        title = str(guide) if guide else f"{kind} (deleted)"
        url = _change_url(guide) if guide else _changelist_url(Feedback)
        entry = Entry(title, url, kind, row.comment, row.created_on, "yes" if row.helpful else "no")
        section.entries.append(entry)
    return section


def recent_changes(user):
    """The latest saves in the admin by anyone, with who made them (the admin's log)."""
    section = Section("changes", "Recent changes", "No changes yet.")
    entries = LogEntry.objects.select_related("user", "content_type").order_by("-action_time")
    if not user.is_superuser:
        # Only the kinds of things this user may see: never accounts, for an editor.
        entries = entries.filter(content_type__in=_visible_types(user))
    for log in entries[:SHOWN]:
        who = log.user.get_username() if log.user_id else "someone"
        url = "" if log.is_deletion() else (log.get_admin_url() or "")
        action = "Added" if log.is_addition() else "Deleted" if log.is_deletion() else "Changed"
        kind = log.content_type.name.capitalize() if log.content_type_id else ""
        detail = log.get_change_message() if log.is_change() else ""
        section.entries.append(Entry(log.object_repr, url, kind, f"{action} by {who}", log.action_time, detail=detail))
    return section


SEARCH_DAYS = 30


def searches(user):
    """The most frequent searches and those that found nothing, or None where none are recorded."""
    if not user.has_perm("massage_site.view_searchcount"):
        return None
    search_record.write_batch()  # the searches noted since the last batch count too
    report = search_record.report(SEARCH_DAYS)
    if not report["top"]:
        return None
    every = _changelist_url(SearchCount)
    top = Section("searches", f"Most frequent searches, last {SEARCH_DAYS} days", "")
    for query, count, found_nothing in report["top"][:SHOWN]:
        note = f"{count} search{'es' if count != 1 else ''}" + (" · found nothing" if found_nothing else "")
        top.entries.append(Entry(query, f"{reverse('search')}?{urlencode({'q': query})}", note=note))
    top.more.append(("All searches", every))
    nothing = Section(
        "fruitless", "Searches that found nothing", f"Every search in the last {SEARCH_DAYS} days found something."
    )
    can_pick = user.has_perm("massage_site.add_searchpick")
    for query, count in report["nothing"][:SHOWN]:
        url = f"{reverse('admin:massage_site_searchpick_add')}?{urlencode({'query': query})}" if can_pick else every
        nothing.entries.append(Entry(query, url, note=f"{count} search{'es' if count != 1 else ''}"))
    if can_pick:
        nothing.more.append(("Editors' picks", _changelist_url(SearchPick)))
    return [top, nothing]


def _visible_types(user):
    """Content types of every model this user may view (content, pages, feedback, tags)."""
    from django.contrib import admin

    models = [
        model
        for model in admin.site._registry
        if user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
    ]
    return [content_type.pk for content_type in ContentType.objects.get_for_models(*models).values()]


def desk(request):
    """Everything the desk shows, for the signed-in editor."""
    user = request.user
    return {
        "work": work_lists(user),
        "feedback": recent_feedback(user),
        "changes": recent_changes(user),
        "searches": searches(user),
    }
