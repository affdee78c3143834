"""Template tags for the admin's forms (content/error_summary.py)."""

from django import template

from content.error_summary import form_problems

register = template.Library()


@register.simple_tag(takes_context=True)
def error_summary(context):
    """The problems of the change form being shown: ``{% error_summary as problems %}``."""
    return form_problems(context.get("adminform"), context.get("inline_admin_formsets") or ())
