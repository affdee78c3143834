"""A reason for each change: an optional line on the admin's forms, kept in the item's history.

The reason goes into the revision comment that django-reversion keeps with the saved
version, after the admin's own list of what changed, so the History list shows both:
"Changed Definition." then "Reason: the old one said 'palm' for 'heel'".
"""

from django import forms
from reversion import is_active, set_comment

FIELD = "change_reason"
FIELDSET = (
    "Reason for this change",
    {"fields": [FIELD], "description": "Optional. Shown in this item's history beside what changed."},
)


def with_reason(comment, reason, notes=()):
    """The revision comment with any notes (e.g. "Ready for review.") and the reason after it."""
    lines = [comment, *notes, *([f"Reason: {reason}"] if reason else [])]
    return "\n".join(lines)


def add_history_note(request, note):
    """A line for the history comment of the save this request makes (after what changed)."""
    request.history_notes = [*getattr(request, "history_notes", []), note]


class ChangeReasonAdmin:
    """ModelAdmin mixin: the "reason for this change" field, and its place in the revision comment."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.get("form", self.form)
        field = forms.CharField(
            label="Reason for this change",
            required=False,
            max_length=300,
            strip=True,
            help_text="For example: “Fixed the step times after the reviewer’s notes”.",
        )
        kwargs["form"] = type(base.__name__, (base,), {FIELD: field})
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        # An admin without declared fields lists every form field, this one too: it goes last, once.
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != FIELD]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        return [*fieldsets, FIELDSET]

    def construct_change_message(self, request, form, formsets, add=False):
        request.change_reason = form.cleaned_data.get(FIELD, "")
        # The reason, "ready for review" and the like are about the change, not parts of the item.
        own = {field.name for field in form._meta.model._meta.get_fields()}
        form.changed_data[:] = [name for name in form.changed_data if name in own]
        return super().construct_change_message(request, form, formsets, add)

    def log_addition(self, request, obj, message):
        return self._with_reason(request, super().log_addition(request, obj, message))

    def log_change(self, request, obj, message):
        return self._with_reason(request, super().log_change(request, obj, message))

    def _with_reason(self, request, entry):
        reason, notes = getattr(request, "change_reason", ""), getattr(request, "history_notes", [])
        if (reason or notes) and is_active():
            set_comment(with_reason(entry.get_change_message(), reason, notes))
        return entry
