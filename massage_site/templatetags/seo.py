"""Template tags that describe pages to machines: JSON-LD blocks."""

import json

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from massage_site import structured_data

register = template.Library()


def _script(data):
    # JSON in HTML: escape characters that could close the script element or start markup.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag(takes_context=True)
def routine_json_ld(context, routine):
    request = context["request"]
    trail = [
        ("Home", reverse("home")),
        ("Routines", reverse("routines:list")),
        (routine.title, routine.get_absolute_url()),
    ]
    return _script(
        [
            structured_data.howto(request, routine),
            structured_data.guide_page(request, routine, routine.title),
            structured_data.breadcrumbs(request, trail),
        ]
    )


@register.simple_tag(takes_context=True)
def technique_json_ld(context, technique):
    request = context["request"]
    trail = [
        ("Home", reverse("home")),
        ("Glossary", reverse("techniques:list")),
        (technique.name, technique.get_absolute_url()),
    ]
    return _script(
        [
            structured_data.defined_term(request, technique),
            structured_data.guide_page(request, technique, technique.name),
            structured_data.breadcrumbs(request, trail),
        ]
    )


@register.simple_tag(takes_context=True)
def website_json_ld(context):
    return _script(structured_data.website(context["request"]))
