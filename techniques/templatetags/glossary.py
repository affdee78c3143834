"""Glossary filters for templates."""

from django import template

from techniques.term_links import family_terms as _family_terms
from techniques.term_links import link_terms as _link_terms

register = template.Library()


@register.filter(is_safe=True)
def link_terms(html, exclude_slug=None):
    """Link glossary terms in already-rendered HTML: ``{{ text|linebreaks|link_terms }}``.

    Pass the current technique's slug to avoid linking a term to its own page.
    """
    return _link_terms(html, exclude_slug=exclude_slug)


@register.simple_tag
def family_terms(technique):
    """Other live terms in the technique's family: ``{% family_terms technique as family %}``."""
    return _family_terms(technique)
