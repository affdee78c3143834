"""schema.org descriptions of pages, as JSON-LD, so search engines understand them.

A routine is a HowTo (its steps HowToSteps), a technique a DefinedTerm in the
glossary's DefinedTermSet, inner pages carry a BreadcrumbList, and the home page
describes the WebSite with its search. A guide's page is also a WebPage that says who
wrote it, who reviewed it and when, and what it cites (``guide_page``).
"""

from django.conf import settings
from django.urls import reverse

from routines.templatetags.durations import iso_duration

CONTEXT = "https://schema.org"


def _absolute(request, url):
    return request.build_absolute_uri(url) if url else None


def _image(request, item):
    return _absolute(request, item.illustration.url) if item.illustration else None


def glossary_set(request):
    return {
        "@type": "DefinedTermSet",
        "name": "Self-massage glossary",
        "url": _absolute(request, reverse("techniques:list")),
    }


def defined_term(request, technique):
    data = {
        "@context": CONTEXT,
        "@type": "DefinedTerm",
        "name": technique.name,
        "description": technique.definition,
        "url": _absolute(request, technique.get_absolute_url()),
        "inDefinedTermSet": glossary_set(request),
    }
    if technique.alias_list:
        data["alternateName"] = technique.alias_list
    if technique.illustration:
        data["image"] = _image(request, technique)
    return data


def howto(request, routine):
    """A routine with its steps prefetched (``with_steps``) and tags attached (``attach_tag_names``)."""
    page = _absolute(request, routine.get_absolute_url())
    steps = []
    for number, step in enumerate(routine.steps.all(), start=1):
        technique = step.technique if step.technique and step.technique.is_live else None
        entry = {
            "@type": "HowToStep",
            "position": number,
            "name": technique.name if technique else f"Step {number}",
            "text": step.instruction,
            "url": f"{page}#step-{number}",
        }
        if technique and technique.illustration:
            entry["image"] = _image(request, technique)
        steps.append(entry)
    data = {
        "@context": CONTEXT,
        "@type": "HowTo",
        "name": f"Self-massage for the {routine.title.lower()}",
        "description": routine.summary,
        "url": page,
        "totalTime": iso_duration(routine.total_seconds),
        "step": steps,
    }
    if routine.illustration:
        data["image"] = _image(request, routine)
    equipment = [ref.name for ref in getattr(routine, "tag_names", {}).get("equipment", [])]
    if "massage tool" in equipment:
        data["tool"] = [{"@type": "HowToTool", "name": "Hand-held massage tool (optional)"}]
    return data


def contributor(request, person):
    """A contributor as schema.org sees them: a Person, or an Organization for a team."""
    return {
        "@type": "Organization" if person.team else "Person",
        "name": person.name,
        "url": _absolute(request, person.get_absolute_url()),
        **({"jobTitle": person.role} if person.role and not person.team else {}),
    }


def guide_page(request, item, name):
    """The WebPage of a technique or routine with ``attach_signs_of_care`` applied: its authors,
    its reviewer and last review (only once it has been reviewed), and its sources."""
    data = {
        "@context": CONTEXT,
        "@type": "WebPage",
        "name": name,
        "url": _absolute(request, item.get_absolute_url()),
    }
    if item.author_list:
        data["author"] = [contributor(request, person) for person in item.author_list]
    if item.reviewer and item.last_reviewed:
        data["reviewedBy"] = contributor(request, item.reviewer)
    if item.last_reviewed:
        data["lastReviewed"] = item.last_reviewed.isoformat()
    citations = []
    for source in item.source_list:
        cited = {"@type": "CreativeWork", "name": source.title}
        if source.publisher:
            cited["publisher"] = source.publisher
        if source.year:
            cited["datePublished"] = str(source.year)
        if source.url:
            cited["url"] = source.url
        citations.append(cited)
    if citations:
        data["citation"] = citations
    return data


def breadcrumbs(request, trail):
    """``trail``: [(name, url)...] from the home page down to this page."""
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": _absolute(request, url)}
            for n, (name, url) in enumerate(trail, start=1)
        ],
    }


def website(request):
    search = _absolute(request, reverse("search"))
    return {
        "@context": CONTEXT,
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": _absolute(request, reverse("home")),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }
