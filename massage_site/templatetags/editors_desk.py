"""The editors' desk on the admin's front page (massage_site/desk.py)."""

from django import template

from massage_site.desk import desk

register = template.Library()

# Sections of the admin's app list that editors do not need: the techniques' tags are picked
# (or added with +) on each technique, where they belong; the bare list of them only confused.
# The routines' vocabularies (benefits, positions, equipment) are listed under Routines.
HIDDEN_FROM_EDITORS = {"taggit"}


@register.simple_tag(takes_context=True)
def editors_desk(context):
    """``{% editors_desk as desk %}``: the desk's lists, and the app list an editor needs."""
    request = context["request"]
    found = desk(request)
    apps = context.get("app_list") or []
    if not request.user.is_superuser:
        apps = [app for app in apps if app["app_label"] not in HIDDEN_FROM_EDITORS]
    found["app_list"] = apps
    return found
