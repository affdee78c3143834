"""What the content admins share: history and restore, preview on site, the editors' columns.

History comes from django-reversion: every save in the admin is a revision (a routine's
steps included) with who, when and the admin's list of changed fields as its comment, and
the history page can restore any of them. Preview renders the public page, drafts included,
for signed-in editors only. Techniques and routines use EditorialAdmin; site pages use
HistoryAdmin.
"""

import functools
import json
import re

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, router, transaction
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from reversion import add_to_revision, create_revision, set_comment
from reversion.admin import VersionAdmin
from reversion.models import Version

from .approvals import ApprovalAdmin
from .change_reasons import ChangeReasonAdmin
from .changes import one_change
from .draft_links import DraftLinksAdmin
from .publish_checks import PublishChecksAdmin
from .publishing import Status
from .tag_fields import TagSuggestionsAdmin

BEFORE_FIRST_EDIT = "As it was before its first change in the admin (seeded or imported)."


def thumbnail(item, width=64):
    """A small picture of ``item``'s illustration for admin lists and forms, or a dash."""
    # A new upload on a form that failed validation is not stored yet: there is nothing to show.
    if item is None or not item.illustration or not item.illustration._committed:
        return "—"
    # Raster pictures show their small WebP rendition, not the full-size original.
    source = item.illustration if item.illustration_is_vector else item.illustration_webp_320
    ratio = (item.illustration_height / item.illustration_width) if item.illustration_width else 0.75
    return format_html(
        '<img class="editor-thumbnail" src="{}" alt="" width="{}" height="{}">',
        source.url,
        width,
        round(width * ratio),
    )


def status_label(item):
    """Draft, Scheduled (published with a future time) or Published."""
    if item.status != Status.PUBLISHED:
        return "Draft"
    return "Published" if item.is_live else "Scheduled"


def preview_banner(item, edit_url):
    """What the preview banner on the public page says about ``item``."""
    if item.is_live:
        return {
            "heading": "Preview of the published page",
            "note": "This is what the public sees now.",
            "edit_url": edit_url,
        }
    if item.status == Status.PUBLISHED:
        when = date_format(timezone.localtime(item.publish_at), "DATETIME_FORMAT")
        note = f"Scheduled: it appears to the public on its own on {when}."
    else:
        note = "This is a draft: set its status to Published to show it to the public."
    return {"heading": "Preview — not visible to the public yet", "note": note, "edit_url": edit_url}


def forget_deleted_tag(sender, instance, **kwargs):
    """A tag was deleted: drop it from every version of every item's tags (signal receiver).

    Tag rows are versioned with their item so that a restore brings its tags back
    (routines/models.py), but a tag that no longer exists cannot come back: left in,
    its row would break the restore.
    """
    for model in reversion.get_registered_models():
        tag_fields = [f for f in model._meta.fields if f.name == "tag" and f.related_model is sender]
        if not tag_fields:
            continue
        versions = Version.objects.get_for_model(model).only("pk", "serialized_data")
        stale = [v.pk for v in versions.iterator() if json.loads(v.serialized_data)[0]["fields"]["tag"] == instance.pk]
        Version.objects.filter(pk__in=stale).delete()


def last_editor_subquery(model):
    """Username of whoever saved the latest revision of each row: one subquery, no query per row."""
    versions = Version.objects.filter(
        content_type__app_label=model._meta.app_label,
        content_type__model=model._meta.model_name,
        object_id=Cast(OuterRef("pk"), CharField()),
    ).order_by("-revision__date_created", "-pk")
    return Subquery(versions.values("revision__user__username")[:1])


class PlainTextField(forms.CharField):
    """Plain text from a text area, with line ends as stored (browsers send CRLF).

    Without this, saving a form untouched would "change" every multi-line text and fill
    the history with changes nobody made.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value


class SentenceField(forms.CharField):
    """A sentence or two of up to a few hundred characters (a definition, a summary): a text area
    shows all of it while typing, where a one-line box cut it off; line breaks typed into it
    would show nowhere, so they become spaces."""

    def __init__(self, *, widget=None, **kwargs):
        # Always the text area: the admin hands every CharField its one-line box.
        super().__init__(widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return re.sub(r"\s*[\r\n]+\s*", " ", value) if isinstance(value, str) else value


class PlainTextAdmin:
    """Admin (or inline) mixin: text areas use PlainTextField."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.TextField):
            kwargs.setdefault("form_class", PlainTextField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def as_one_change(view):
    """An admin view whose writes count as one change (content/changes.py), in one transaction:
    an item saved with its steps and tags rebuilds its search text once, at the end.

    A change must reach the cache, or pages would go on showing the old version
    (content/caching.py). So the cache is checked first: when it does not answer, nothing is
    written and the editor is sent back to the page with a message saying so. (Should it fail
    in the moment between that check and the end of the save, the save still fails and rolls
    back, with the error page.)
    """
    from .caching import CacheUnavailable, check_cache_answers

    @functools.wraps(view)
    def wrapper(self, request, *args, **kwargs):
        if request.method != "POST":
            return view(self, request, *args, **kwargs)
        try:
            check_cache_answers()
        except CacheUnavailable:
            self.message_user(
                request,
                "The site's cache cannot be reached, so the change was not saved (pages would go on "
                "showing the old version). Try again in a minute.",
                messages.ERROR,
            )
            return redirect(request.get_full_path())
        with transaction.atomic(using=router.db_for_write(self.model)), one_change():
            return view(self, request, *args, **kwargs)

    return wrapper


class HistoryAdmin(ChangeReasonAdmin, PlainTextAdmin, VersionAdmin):
    """Admin with a history of every save (newest first) that can restore any version, each with
    its optional reason (content/change_reasons.py)."""

    history_latest_first = True

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            self.record_state_before_first_edit(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    @as_one_change
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

    @as_one_change
    def delete_view(self, request, object_id, extra_context=None):
        return super().delete_view(request, object_id, extra_context)

    @as_one_change
    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, extra_context)

    @as_one_change
    def revision_view(self, request, object_id, version_id, extra_context=None):
        self.check_restorable(version_id)
        if self.refuse_clash(request, version_id):
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_history", object_id)
        return super().revision_view(request, object_id, version_id, extra_context)

    @as_one_change
    def recover_view(self, request, version_id, extra_context=None):
        self.check_restorable(version_id)
        if self.refuse_clash(request, version_id):
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_recoverlist")
        return super().recover_view(request, version_id, extra_context)

    def check_restorable(self, version_id):
        """Http404 unless the version is one of this model's, in a revision that holds only
        models history records: restoring reverts the whole revision, which must never write
        anything else (a user smuggled into history, say)."""
        version = Version.objects.get_for_model(self.model).filter(pk=version_id).select_related("revision").first()
        if version is None:
            raise Http404("No such version of this item.")
        recorded = ContentType.objects.get_for_models(*reversion.get_registered_models()).values()
        if version.revision.version_set.exclude(content_type__in=recorded).exists():
            raise Http404("This history entry holds more than content, so it cannot be restored.")

    def refuse_clash(self, request, version_id):
        """True (with a message) when another item has taken this version's name or slug since."""
        version = Version.objects.get_for_model(self.model).filter(pk=version_id).first()
        if version is None:
            return False  # the view answers 404
        stored = version.field_dict
        for field in self.model._meta.fields:
            if not field.unique or field.primary_key or stored.get(field.name) is None:
                continue
            others = self.model._default_manager.filter(**{field.name: stored[field.name]})
            if others.exclude(pk=version.object_id).exists():
                self.message_user(
                    request,
                    f"This version cannot be restored: its {field.verbose_name} “{stored[field.name]}” is now "
                    f"used by another {self.opts.verbose_name}. Change that one first, then try again.",
                    messages.ERROR,
                )
                return True
        return False

    def record_state_before_first_edit(self, request, object_id):
        """Seeded items have no history yet: keep how they were, so the first edit can be undone."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or Version.objects.get_for_object(obj).exists():
            return
        with create_revision():
            add_to_revision(obj)
            set_comment(BEFORE_FIRST_EDIT)


class EditorialAdmin(TagSuggestionsAdmin, PublishChecksAdmin, DraftLinksAdmin, ApprovalAdmin, HistoryAdmin):
    """Admin base for publishable content: history, preview on site, draft links for reviewers
    (content/draft_links.py), a second editor's approval when wanted (content/approvals.py), the
    checks before publishing (content/publish_checks.py), tags picked from suggestions
    (content/tag_fields.py) and the editors' columns.

    Subclasses set ``public_view``: the public DetailView class, which takes ``preview``.
    """

    public_view = None
    change_form_template = "admin/editorial_change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(last_editor=last_editor_subquery(self.model))

    @staticmethod
    def view_on_site(obj):
        """Link to the public page only when the public can see it; drafts have "Preview on site"."""
        return obj.get_absolute_url() if obj.is_live else None

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        # The admin shows help text as HTML; ours is plain text, e.g. "/techniques/<slug>/".
        if formfield is not None and formfield.help_text:
            formfield.help_text = escape(formfield.help_text)
        return formfield

    # Columns.

    @admin.display(description="picture")
    def picture(self, obj):
        return thumbnail(obj, 48)

    @admin.display(description="status", ordering="status")
    def state(self, obj):
        return status_label(obj)

    @admin.display(description="last editor", ordering="last_editor")
    def last_edited_by(self, obj):
        return getattr(obj, "last_editor", None) or "—"

    # Preview.

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_preview"
        preview = path("<path:object_id>/preview/", self.admin_site.admin_view(self.preview_view), name=name)
        return [preview, *super().get_urls()]

    def preview_view(self, request, object_id):
        """The public page of this item as it is saved now, drafts and scheduled items included."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        edit_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        view = self.public_view.as_view(preview=preview_banner(obj, edit_url))
        return view(request, pk=obj.pk)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["preview_url"] = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_preview", args=[obj.pk]
            )
        return super().render_change_form(request, context, add, change, form_url, obj)
