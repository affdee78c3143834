"""Glossary pages: the A–Z list and one page per technique."""

from itertools import groupby
from string import ascii_uppercase

from django.http import Http404, HttpResponsePermanentRedirect
from django.views.generic import DetailView, ListView

from .models import Technique
from .old_slugs import moved_item


class TechniqueListView(ListView):
    """The glossary, A to Z, with each term's definition and aliases."""

    template_name = "techniques/technique_list.html"

    # Built per request: "published" depends on the current time.
    def get_queryset(self):
        return Technique.objects.published().order_by("name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups = [(letter, list(terms)) for letter, terms in groupby(context["object_list"], key=lambda t: t.letter)]
        present = {letter for letter, _ in groups}
        context["letter_groups"] = groups
        context["alphabet"] = [(letter, letter in present) for letter in ascii_uppercase]
        return context


class TechniqueDetailView(DetailView):
    """One term: how to do it, other names, related terms and the routines that use it.

    The admin's "Preview on site" runs this view with ``preview`` (the banner's words), which
    shows drafts and scheduled terms too. A term's old slug redirects to its current address.
    """

    template_name = "techniques/technique_detail.html"
    context_object_name = "technique"
    preview = None

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = None if self.preview else moved_item(Technique, kwargs.get("slug"))
            if moved is None:
                raise
            return HttpResponsePermanentRedirect(moved.get_absolute_url())

    def get_queryset(self):
        techniques = Technique.objects.all() if self.preview else Technique.objects.published()
        return techniques.for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["used_in"] = self.object.used_in()
        context["preview"] = self.preview
        return context
