"""Glossary pages: the A–Z list and one page per technique."""

from itertools import groupby
from string import ascii_uppercase

from django.db.models import Q
from django.views.generic import DetailView, ListView

from content.old_slugs import OldSlugRedirectMixin
from content.reviews import attach_signs_of_care

from .models import Technique, first_letter


class TechniqueListView(ListView):
    """The glossary, A to Z, with each term's definition and aliases.

    Up to LETTER_PAGES_FROM terms it is one page; beyond that, one page per letter
    (/techniques/?letter=K), so the page stays small however large the glossary grows.
    """

    template_name = "techniques/technique_list.html"
    LETTER_PAGES_FROM = 150

    def get(self, request, *args, **kwargs):
        # One rule for headings and pages (first_letter): "Étirement" is listed and paged under E.
        self.letters = {pk: first_letter(name) for pk, name in Technique.objects.published().values_list("pk", "name")}
        # A to Z, then "#" for names that start with anything else.
        self.present = sorted(set(self.letters.values()), key=lambda letter: (letter == "#", letter))
        self.by_letter = len(self.letters) > self.LETTER_PAGES_FROM
        self.letter = None
        if self.by_letter:
            wanted = request.GET.get("letter", "")[:1].upper()
            self.letter = wanted if wanted in self.present else self.present[0]
        return super().get(request, *args, **kwargs)

    # Built per request: "published" depends on the current time.
    def get_queryset(self):
        terms = Technique.objects.published().order_by("name")
        if self.letter:
            return terms.filter(pk__in=[pk for pk, letter in self.letters.items() if letter == self.letter])
        return terms

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Sorted by heading first, so that a folded letter joins its group wherever the database sorts it.
        terms = sorted(context["object_list"], key=lambda t: (t.letter == "#", t.letter))
        context["letter_groups"] = [(letter, list(group)) for letter, group in groupby(terms, key=lambda t: t.letter)]
        context["alphabet"] = [(letter, letter in self.present) for letter in ascii_uppercase]
        if "#" in self.present:
            context["alphabet"].append(("#", True))
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
        # A draft link's preview narrows the rows to its one item while the link works (content/draft_links.py).
        techniques = (
            Technique.objects.filter(self.preview.get("only", Q())) if self.preview else Technique.objects.published()
        )
        return techniques.for_detail()

    def get_object(self, queryset=None):
        technique = super().get_object(queryset)
        attach_signs_of_care(technique, technique.tag_rows())
        tags = sorted(technique.more_rows.get("tag", []), key=lambda row: row[0].lower())
        technique.tag_list = [{"name": name, "slug": slug} for name, slug, _ in tags]
        return technique

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["used_in"] = self.object.used_in()
        context["preview"] = self.preview
        return context
