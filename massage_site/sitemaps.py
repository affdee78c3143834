"""Sitemaps: every published technique and routine, and the fixed pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from content.models import Contributor
from routines.models import Routine
from techniques.models import Technique

from .models import Page


class TechniqueSitemap(Sitemap):
    def items(self):
        return Technique.objects.published().order_by("slug")

    def lastmod(self, item):
        return item.updated_at


class RoutineSitemap(Sitemap):
    def items(self):
        return Routine.objects.published().order_by("slug")

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(Sitemap):
    def items(self):
        return Page.objects.order_by("slug")

    def lastmod(self, item):
        return item.updated_at


class ContributorSitemap(Sitemap):
    def items(self):
        return Contributor.objects.order_by("slug")

    def lastmod(self, item):
        return item.updated_at


class IndexSitemap(Sitemap):
    """The glossary and routines indexes (the home page comes from PageSitemap)."""

    def items(self):
        return ["techniques:list", "routines:list", "plan"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    "indexes": IndexSitemap,
    "techniques": TechniqueSitemap,
    "routines": RoutineSitemap,
    "people": ContributorSitemap,
}
