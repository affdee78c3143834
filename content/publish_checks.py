"""Checks before publishing: a checklist on the change form of techniques and routines.

*Blocking* findings would hurt readers if the item went live: a picture without its
description, or an address in the text that leads nowhere (a missing page, or one the
public cannot see). Publishing is refused while the item's own text has one. *Warnings*
are worth a look but publish anyway: a review date passed, and what each area adds
(``extra_publish_checks`` on its admin: term names that do not link, steps without a
time or a side).

Guide text is plain text, so a link in it is an address a reader sees and types or
copies: ``/techniques/kneading/`` or the site's full address.
"""

import re
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from . import registry
from .old_slugs import moved_item
from .publishing import Status

BLOCKING, WARNING = "blocking", "warning"
# An address on this site in plain text: a path under one of the public sections, or the same
# with the site's scheme and host in front.
_ADDRESS = re.compile(
    r"(?<![\w/.])(?:https?://(?P<host>[\w.-]+(?::\d+)?))?(?P<path>/(?:techniques|routines|pages|tags|about)\b[^\s<>\"')]*)"
)
# Site pages with no model on their view: which model, by label (this app imports no area).
# A tag page shows a slug of any vocabulary: the techniques' tags, benefits, positions, equipment.
_PAGES = {
    "page": ("massage_site.Page",),
    "tag": ("taggit.Tag", "routines.Benefit", "routines.Position", "routines.Equipment"),
    "contributor": ("content.Contributor",),
}


class Finding(NamedTuple):
    """One line of the checklist."""

    level: str  # BLOCKING or WARNING
    message: str


def dead_addresses(text):
    """Addresses on this site in ``text`` that lead nowhere a reader can go, each with why."""
    found = []
    for match in _ADDRESS.finditer(text or ""):
        host = (match["host"] or "").split(":")[0]
        if host and host not in settings.ALLOWED_HOSTS:
            continue
        path = match["path"].rstrip(".,;:!?")
        problem = _address_problem(path)
        if problem:
            found.append((path, problem))
    return found


def _address_problem(path):
    try:
        match = resolve(path if path.endswith("/") else f"{path}/")
    except Resolver404:
        return "there is no such page"
    slug = match.kwargs.get("slug")
    if slug is None:
        return None
    model = getattr(getattr(match.func, "view_class", None), "model", None)
    if model is not None and hasattr(model._default_manager, "published"):
        if model._default_manager.published().filter(slug=slug).exists() or moved_item(model, slug):
            return None
        if model._default_manager.filter(slug=slug).exists():
            return "that page is not published"
        return "there is no such page"
    labels = _PAGES.get(match.url_name)
    if labels and not any(apps.get_model(label)._default_manager.filter(slug=slug).exists() for label in labels):
        return "there is no such page"
    return None


def _text_fields(model):
    return [
        field.name
        for field in model._meta.fields
        if isinstance(field, (models.CharField, models.TextField))
        and not isinstance(field, models.SlugField)
        and not field.choices
    ]


def address_findings(item):
    """Blocking: addresses in the item's text, and in the text of the rows it owns (steps), that lead nowhere."""
    findings = []
    for row, where in [(item, ""), *_owned_rows(item)]:
        for name in _text_fields(type(row)):
            for path, problem in dead_addresses(getattr(row, name)):
                label = type(row)._meta.get_field(name).verbose_name
                findings.append(Finding(BLOCKING, f"{where}{label.capitalize()} links to {path}, but {problem}."))
    return findings


def _owned_rows(item):
    """(row, "Step 2: ") for rows that show on the item's page and have their own text (its steps)."""
    rows = []
    for relation in item._meta.related_objects:
        owned = relation.field.name == getattr(relation.related_model, "search_owner", None)
        if relation.one_to_many and owned and relation.related_model in registry.illustrated_models():
            accessor = getattr(item, relation.get_accessor_name())
            for number, row in enumerate(accessor.all(), start=1):
                rows.append((row, f"{relation.related_model._meta.verbose_name.capitalize()} {number}: "))
    return rows


def picture_findings(item):
    """Blocking: a picture shown without a description (the item's own, or a step's)."""
    findings = []
    for row, where in [(item, ""), *_owned_rows(item)]:
        if row.illustration and not (row.illustration_alt or "").strip():
            findings.append(Finding(BLOCKING, f"{where}the picture has no description for readers who cannot see it."))
    return [Finding(level, message[0].upper() + message[1:]) for level, message in findings]


def review_findings(item):
    due = getattr(item, "next_review_due", None)
    if due is not None and due < timezone.localdate():
        return [
            Finding(WARNING, f"Its review was due on {date_format(due, 'DATE_FORMAT')}: check it and set the dates.")
        ]
    return []


def findings(item, extra=()):
    """Every finding for a saved item, blocking ones first."""
    found = [*picture_findings(item), *address_findings(item), *review_findings(item)]
    for check in extra:
        found.extend(check(item))
    return sorted(dict.fromkeys(found), key=lambda finding: finding.level != BLOCKING)  # each once


class PublishChecksAdmin:
    """EditorialAdmin mixin: the checklist on the form, and publishing refused over dead addresses.

    ``extra_publish_checks``: functions of an item returning more findings (the area's own).
    """

    extra_publish_checks = ()

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and obj.pk:
            names = [name for name, _ in fieldsets]
            at = names.index("Publishing") if "Publishing" in names else len(fieldsets)
            fieldsets.insert(at, ("Checks before publishing", {"fields": ["checklist"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "checklist"]

    @admin.display(description="as saved")
    def checklist(self, obj):
        found = findings(obj, self.extra_publish_checks)
        if not found:
            return format_html('<p class="publish-checks-clear">{}</p>', "Nothing to fix: ready to publish.")
        words = {BLOCKING: "Fix before publishing", WARNING: "Worth a look"}
        return format_html(
            '<ul class="publish-checks">{}</ul>',
            format_html_join(
                "",
                '<li class="publish-check-{}"><strong>{}:</strong> {}</li>',
                ((level, words[level], message) for level, message in found),
            ),
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.get("form", self.form)
        kwargs["form"] = type(base.__name__, (PublishChecksForm, base), {})
        return super().get_form(request, obj, change, **kwargs)


class PublishChecksForm:
    """Form mixin: text that links to a page readers cannot reach keeps the item from being published."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") != Status.PUBLISHED:
            return cleaned
        for name in _text_fields(self._meta.model):
            if name not in self.fields or name not in cleaned:
                continue
            for path, problem in dead_addresses(cleaned[name]):
                self.add_error(
                    name,
                    f"This links to {path}, but {problem}: readers would find nothing there. Correct the "
                    "address or remove it, or keep the item as a Draft.",
                )
        return cleaned
