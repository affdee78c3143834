"""A second pair of eyes: when switched on, a draft is published only with another editor's approval.

With ``PUBLISHING_NEEDS_APPROVAL`` set (off by default; docs/operations.md), publishing a
technique or routine goes: its author saves it as a Draft with "Ready for review" ticked;
another editor reads it and approves it by setting it to Published and saving it with no
other change. The author cannot publish it, nor can anyone who changed it since review was
asked for. Both steps are recorded in its history, with who and when.

What "published" means stays in content/publishing.py; this decides only who may make an
item published. An item that is already published is not published again by a save, so
corrections to a live item are not held back (the history says who made them).
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version

from .change_reasons import FIELDSET as REASON_FIELDSET
from .change_reasons import add_history_note
from .publishing import Status

READY = "ready_for_review"
# What an approving editor may change of the item: publishing it.
APPROVAL_FIELDS = {"status", "publish_at"}

NOT_ASKED = (
    "Publishing needs a second editor’s approval. Keep it as a Draft, tick “Ready for review” and save: "
    "another editor then approves it by setting it to Published."
)
OWN_REVIEW = (
    "Another editor must approve this: you asked for its review, or changed it since. It stays a Draft until "
    "they publish it."
)
MORE_THAN_APPROVAL = (
    "Approve it as it was reviewed: set it to Published without other changes. To change it too, save it as a "
    "Draft first; your changes then need another editor’s approval."
)


def needs_approval():
    return settings.PUBLISHING_NEEDS_APPROVAL


class ReviewRequest(models.Model):
    """An item its author has marked "ready for review": waiting for another editor to publish it."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="one_review_request")]

    def __str__(self):
        return f"Review asked for on {self.requested_at:%Y-%m-%d}"

    @classmethod
    def of(cls, item):
        if item is None or item.pk is None:
            return None
        content_type = ContentType.objects.get_for_model(item)
        return cls.objects.filter(content_type=content_type, object_id=item.pk).select_related("requested_by").first()


def _changed_since(item, user, when):
    """Whether ``user`` saved a version of ``item`` after ``when``."""
    return Version.objects.get_for_object(item).filter(revision__date_created__gt=when, revision__user=user).exists()


def approval_problem(item, user, changed):
    """Why ``user`` may not publish ``item`` now (a sentence for the form), or None.

    Returns the review request it approves as the second value.
    """
    review = ReviewRequest.of(item)
    if review is None:
        return NOT_ASKED, None
    if review.requested_by_id == user.pk or _changed_since(item, user, review.requested_at):
        return OWN_REVIEW, None
    if set(changed) - APPROVAL_FIELDS:
        return MORE_THAN_APPROVAL, None
    return None, review


class ApprovalAdmin:
    """EditorialAdmin mixin: "Ready for review" on drafts, and publishing refused without another editor's approval."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.get("form", self.form)
        ready = forms.BooleanField(
            label="Ready for review",
            required=False,
            help_text="Tick and save to ask another editor to approve it and publish it.",
        )
        kwargs["form"] = type(base.__name__, (ApprovalForm, base), {READY: ready, "editor": request.user})
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if needs_approval():
            shown = ["review_state"] if obj is not None and obj.status == Status.PUBLISHED else ["review_state", READY]
            # Just before the reason for this change, which stays the form's last line before saving.
            at = fieldsets.index(REASON_FIELDSET) if REASON_FIELDSET in fieldsets else len(fieldsets)
            fieldsets.insert(at, ("Second pair of eyes", {"fields": shown}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "review_state"]

    @admin.display(description="review")
    def review_state(self, obj):
        if obj is not None and obj.status == Status.PUBLISHED:
            return "Published."
        review = ReviewRequest.of(obj)
        if review is None:
            return "Not asked for yet. Another editor can publish it once you tick “Ready for review” and save."
        who = review.requested_by.get_username() if review.requested_by else "an editor no longer here"
        when = date_format(timezone.localtime(review.requested_at), "DATETIME_FORMAT")
        return (
            f"Ready for review since {when}, asked for by {who}. Another editor approves it by setting "
            "Status to Published and saving, with no other changes."
        )

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            yield type(formset.__name__, (ApprovalFormSet, formset), {}), inline

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not needs_approval():
            return
        approved = getattr(form, "approved_review", None)
        if approved is not None:
            asked = approved.requested_by.get_username() if approved.requested_by else "an editor no longer here"
            add_history_note(
                request, f"Approved by {request.user.get_username()} (asked for by {asked}) and published."
            )
            approved.delete()
        elif form.cleaned_data.get(READY) and obj.status != Status.PUBLISHED:
            ReviewRequest.objects.update_or_create(
                content_type=ContentType.objects.get_for_model(obj),
                object_id=obj.pk,
                defaults={"requested_by": request.user, "requested_at": timezone.now()},
            )
            add_history_note(request, "Ready for review.")


class ApprovalForm(forms.ModelForm):
    """Refuses to publish a draft without another editor's approval (when approval is switched on)."""

    editor = None  # set per request by ApprovalAdmin.get_form

    def clean(self):
        cleaned = super().clean()
        self.approved_review = None
        publishing = cleaned.get("status") == Status.PUBLISHED and self.instance.status != Status.PUBLISHED
        if needs_approval() and publishing:
            # Only the item's own fields count: the form's other lines (a reason, an offer) change nothing in it.
            own = {field.name for field in self._meta.model._meta.get_fields()}
            changed = [name for name in self.changed_data if name in own]
            problem, self.approved_review = approval_problem(self.instance, self.editor, changed)
            if problem:
                self.add_error("status", problem)
        # The rows on the same page (a routine's steps) are checked next, against the same approval.
        self.instance.approving_review = self.approved_review is not None
        return cleaned


class ApprovalFormSet:
    """Inline formset mixin: an approval publishes the item's rows (its steps) as they were reviewed too."""

    def clean(self):
        super().clean()
        if getattr(self.instance, "approving_review", False) and self.has_changed():
            raise forms.ValidationError(MORE_THAN_APPROVAL, code="changed_while_approving")
