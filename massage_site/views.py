"""Pages that span both apps: home, search, editable pages, robots.txt."""

import nh3
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from routines.models import Routine
from techniques.models import Technique

from .models import Page
from .search import clean_query
from .search import search as run_search


def _page_body(page):
    """Editor HTML, limited to an allow-list of tags so a page can never carry script."""
    return nh3.clean(page.body) if page else ""


@require_GET
def home(request):
    page = Page.objects.filter(slug="home").first()
    routines = Routine.objects.published().with_total_time()
    context = {
        "page": page,
        "page_body": _page_body(page),
        "routines": routines,
        # The body map links an area only when its routine is live; the set reuses the same query.
        "published_slugs": {routine.slug for routine in routines},
        "techniques": Technique.objects.published().only("name", "slug", "definition").order_by("name"),
    }
    return render(request, "site/home.html", context)


@require_GET
def page(request, slug):
    page = get_object_or_404(Page.objects.exclude(slug="home"), slug=slug)
    return render(request, "site/page.html", {"page": page, "page_body": _page_body(page)})


@require_GET
def search(request):
    query = clean_query(request.GET.get("q", ""))
    outcome = run_search(query) if query else None
    return render(request, "site/search.html", {"query": query, "outcome": outcome})


@require_GET
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /search/", f"Sitemap: {sitemap_url}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
