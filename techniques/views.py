"""Glossary pages: the A–Z list and one page per technique."""

from itertools import groupby
from string import ascii_uppercase

from django.views.generic import DetailView, ListView

from .models import Technique


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
    """One term: how to do it, other names, related terms and the routines that use it."""

    template_name = "techniques/technique_detail.html"
    context_object_name = "technique"

    def get_queryset(self):
        return Technique.objects.published().for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["used_in"] = self.object.used_in()
        return context
