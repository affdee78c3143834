"""What went wrong on an admin form, in one list at its top, each entry linking to its field.

A field's own error still shows beside it; this list is for the editor who would otherwise
see "Please correct the errors below" and have to hunt down the page (a step's error can sit
far below). Inline rows (a routine's steps, sources) are named by their number.
"""

from typing import NamedTuple

from django.forms.forms import NON_FIELD_ERRORS
from django.utils.text import capfirst


class Problem(NamedTuple):
    """One entry of the summary: what it is about, where to go, and what is wrong."""

    label: str
    href: str
    message: str


def _field_problems(form, prefix_label, row_href):
    """Problems on one form: its non-field errors first (linking to ``row_href``), then its fields."""
    problems = []
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS:
            problems += [Problem(prefix_label or "This form", row_href, message) for message in errors]
            continue
        if name not in form.fields:
            continue
        field = form[name]
        label = capfirst(field.label or name)
        label = f"{prefix_label}: {label}" if prefix_label else label
        href = f"#{field.id_for_label}" if field.id_for_label else row_href
        problems += [Problem(label, href, message) for message in errors]
    return problems


def form_problems(adminform, inline_admin_formsets=()):
    """Every error of an admin change form and its inlines, in the order the page shows them."""
    if adminform is None:
        return []
    problems = _field_problems(adminform.form, "", "#content-main")
    for inline in inline_admin_formsets:
        formset = inline.formset
        group = f"#{formset.prefix}-group"
        plural = capfirst(formset.model._meta.verbose_name_plural)
        problems += [Problem(plural, group, message) for message in formset.non_form_errors()]
        name = capfirst(formset.model._meta.verbose_name)
        for number, form in enumerate(formset.forms, start=1):
            if form.errors:
                problems += _field_problems(form, f"{name} {number}", f"#{formset.prefix}-{number - 1}")
    return problems
