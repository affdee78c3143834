"""Glossary pages: the A–Z list and one page per technique."""

from itertools import groupby
from string import ascii_uppercase

from django.views.generic import DetailView, ListView

from content.old_slugs import OldSlugRedirectMixin

from .models import Technique


def first_letter(name):
    """The A–Z heading a name is listed under ('#' for anything else)."""
    first = name[:1].upper()
    return first if first in ascii_uppercase else "#"


class TechniqueListView(ListView):
    """The glossary, A to Z, with each term's definition and aliases.

    Up to LETTER_PAGES_FROM terms it is one page; beyond that, one page per letter
    (/techniques/?letter=K), so the page stays small however large the glossary grows.
    """

    template_name = "techniques/technique_list.html"
    LETTER_PAGES_FROM = 150

    def get(self, request, *args, **kwargs):
        names = Technique.objects.published().values_list("name", flat=True)
        self.present = {first_letter(name) for name in names}
        self.by_letter = len(names) > self.LETTER_PAGES_FROM
        self.letter = None
        if self.by_letter:
            wanted = request.GET.get("letter", "")[:1].upper()
            self.letter = wanted if wanted in self.present else min(self.present)
        return super().get(request, *args, **kwargs)

    # Built per request: "published" depends on the current time.
    def get_queryset(self):
        terms = Technique.objects.published().order_by("name")
        if self.letter == "#":
            return terms.exclude(name__iregex=r"^[a-z]")
        if self.letter:
            return terms.filter(name__istartswith=self.letter)
        return terms

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        terms = context["object_list"]
        context["letter_groups"] = [(letter, list(group)) for letter, group in groupby(terms, key=lambda t: t.letter)]
        context["alphabet"] = [(letter, letter in self.present) for letter in ascii_uppercase]
        context["by_letter"], context["letter"] = self.by_letter, self.letter
        return context


class TechniqueDetailView(OldSlugRedirectMixin, DetailView):
    """One term: how to do it, other names, related terms and the routines that use it.

    The admin's "Preview on site" runs this view with ``preview`` (the banner's words), which
    shows drafts and scheduled terms too. A term's old slug redirects to its current address.
    """

    template_name = "techniques/technique_detail.html"
    context_object_name = "technique"
    model = Technique

    def get_queryset(self):
        techniques = Technique.objects.all() if self.preview else Technique.objects.published()
        return techniques.for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["used_in"] = self.object.used_in()
        context["preview"] = self.preview
        return context
