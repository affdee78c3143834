"""Routine pages: the index grouped by body area, and one page per routine."""

from django.db.models import Q
from django.views.generic import DetailView, ListView

from content.old_slugs import OldSlugRedirectMixin
from content.reviews import attach_signs_of_care

from .filters import RoutineFilterForm, tag_options
from .models import BodyArea, Routine, attach_tag_names


class RoutineListView(ListView):
    """Published routines grouped by body area from head to toe, optionally filtered."""

    template_name = "routines/routine_list.html"
    paginate_by = 30

    def get(self, request, *args, **kwargs):
        options = tag_options()
        params = {k: v for k, v in request.GET.items() if k in RoutineFilterForm.base_fields and v}
        self.filters = RoutineFilterForm(params or None, options)
        if self.filters.is_bound:
            self.filters.is_valid()
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.filters.apply(Routine.objects.published().with_total_time()).order_by("order", "title")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        by_area = {}
        for routine in attach_tag_names(context["object_list"]):
            by_area.setdefault(routine.body_area, []).append(routine)
        context["areas"] = [(value, label, by_area[value]) for value, label in BodyArea.choices if value in by_area]
        context["filters"] = self.filters
        # Page links keep the active filters.
        context["filter_query"] = self.filters.query_string
        return context

    def paginate_queryset(self, queryset, page_size):
        # A page number out of range shows the last page rather than an error page.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()


class RoutineDetailView(OldSlugRedirectMixin, DetailView):
    """One routine: position, cautions, ordered steps with their techniques, and total time.

    The admin's "Preview on site" runs this view with ``preview`` (the banner's words), which
    shows drafts and scheduled routines too. A routine's old slug redirects to its current address.
    """

    template_name = "routines/routine_detail.html"
    context_object_name = "routine"
    model = Routine

    def get_queryset(self):
        # A draft link's preview narrows the rows to its one item while the link works (content/draft_links.py).
        routines = (
            Routine.objects.filter(self.preview.get("only", Q())) if self.preview else Routine.objects.published()
        )
        return routines.with_total_time().with_steps().select_related("reviewer")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview"] = self.preview
        return context

    def get_object(self, queryset=None):
        routine = super().get_object(queryset)
        attach_tag_names([routine])
        attach_signs_of_care(routine)
        return routine
