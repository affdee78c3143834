"""Pages that span both apps: home, search, editable pages, robots.txt, share cards."""

from urllib.parse import urlencode

import nh3
from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe

from content.models import Contributor
from routines.models import Routine, attach_tag_names
from routines.templatetags.durations import minutes
from techniques.models import Technique

from . import search_record
from .models import Page
from .search import clean_query, suggest
from .search import search as run_search
from .social_cards import draw_card


def _page_body(page):
    """Editor HTML, limited to an allow-list of tags so a page can never carry script."""
    return nh3.clean(page.body) if page else ""


# What a small picture needs, for lists that load only some fields.
PICTURE_FIELDS = ("illustration", "illustration_alt", "illustration_width", "illustration_height")
# How much the home page lists.
HOME_ROUTINES = 12
HOME_TECHNIQUES = 12


def server_error(request):
    """The 500 page: static apart from the site name, so that rendering it cannot fail again."""
    return HttpResponseServerError(render_to_string("500.html", {"site_name": settings.SITE_NAME}))


@require_safe
def home(request):
    page = Page.objects.filter(slug="home").first()
    published = Routine.objects.published()
    first = published.order_by("order", "title").values("pk")[:HOME_ROUTINES]
    # One query for both the first routines (for the list) and those on the body map (for its links).
    routines = list(published.with_total_time().filter(Q(pk__in=first) | ~Q(map_area="")).order_by("order", "title"))
    # The body map links each area to the first live routine set to it (templates/includes/body_map.html).
    map_routines = {}
    for routine in routines:
        if routine.map_area:
            map_routines.setdefault(routine.map_area, routine)
    listed = attach_tag_names(routines[:HOME_ROUTINES])
    context = {
        "page": page,
        "page_body": _page_body(page),
        "routines": listed,
        "more_routines": len(routines) > HOME_ROUTINES,
        "map_routines": map_routines,
        # A first step for someone new: the shortest routine on the list.
        "short_routine": min(listed, key=lambda routine: routine.total_seconds, default=None),
        "techniques": Technique.objects.published()
        .only("name", "slug", "definition", *PICTURE_FIELDS)
        .order_by("name")[:HOME_TECHNIQUES],
    }
    return render(request, "site/home.html", context)


@require_safe
def page(request, slug):
    if slug == "about":  # the about page has its own address
        return redirect("about", permanent=True)
    page = get_object_or_404(Page.objects.exclude(slug="home"), slug=slug)
    return render(request, "site/page.html", {"page": page, "page_body": _page_body(page)})


@require_safe
def about(request):
    """Who is behind the site and how guides are written and reviewed (the "about" page), and its people."""
    page = get_object_or_404(Page, slug="about")
    context = {"page": page, "page_body": _page_body(page), "contributors": Contributor.objects.order_by("name")}
    return render(request, "site/about.html", context)


@require_safe
def contributor(request, slug):
    """A contributor's page: who they are and the published guides they wrote or reviewed."""
    person = get_object_or_404(Contributor, slug=slug)
    of_theirs = Q(authors=person) | Q(reviewer=person)
    context = {
        "person": person,
        "techniques": Technique.objects.published().filter(of_theirs).distinct().only("name", "slug"),
        "routines": Routine.objects.published().filter(of_theirs).distinct().only("title", "slug"),
    }
    return render(request, "site/contributor.html", context)


@require_safe
def search(request):
    query = clean_query(request.GET.get("q", ""))
    exact = request.GET.get("exact") == "1"  # "Search instead for …": the words as typed
    page = request.GET.get("page", "1")
    page = int(page) if page.isdigit() and len(page) < 4 else 1  # a strange page number: the first
    outcome = run_search(query, exact=exact, page=page) if query else None
    # A search is counted once, on its first page; the next pages are the same search.
    if outcome is not None and page == 1 and search_record.note(query, outcome.total):
        search_record.flush_after_response()
    # Picks are marked for signed-in editors only (their pages are never cached); the user is
    # looked at only when there is a session, so readers' pages stay the same for everyone.
    show_picks = settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_staff
    # The search as typed, for the links to the next and previous pages of results.
    search_query = urlencode({"q": query, **({"exact": "1"} if exact else {})})
    context = {"query": query, "outcome": outcome, "show_picks": show_picks, "search_query": search_query}
    return render(request, "site/search.html", context)


@require_safe
def search_suggest(request):
    """Suggestions for the header's search box as the reader types (static/js/suggest.js), as JSON.

    Anonymous answers are kept by the page cache like pages; they are not searches, so they are
    never counted in the record of searches."""
    query = clean_query(request.GET.get("q", ""))
    return JsonResponse({"query": query, "results": suggest(query)})


@require_safe
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /search/", f"Sitemap: {sitemap_url}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


# Share cards (massage_site/social_cards.py): the picture og:image points to.


def _card(png):
    return HttpResponse(png, content_type="image/png")


@require_safe
def site_card(request):
    return _card(
        draw_card(
            "Routines and a glossary of massage terms",
            "Massage yourself, one body area at a time",
            settings.SITE_TAGLINE,
        )
    )


@require_safe
def technique_card(request, slug):
    technique = get_object_or_404(Technique.objects.published(), slug=slug)
    return _card(draw_card("Massage technique", technique.name, technique.definition, technique))


@require_safe
def routine_card(request, slug):
    routine = get_object_or_404(
        Routine.objects.published().with_total_time().annotate(step_count=Count("steps")), slug=slug
    )
    facts = f"Self-massage routine · {routine.step_count} steps · {minutes(routine.total_seconds)}"
    return _card(draw_card(facts, routine.title, routine.summary, routine))
