"""Routine pages: the index grouped by body area, and one page per routine."""

from django.views.generic import DetailView, ListView

from .filters import RoutineFilterForm, tag_options
from .models import BodyArea, Routine, attach_tag_names


class RoutineListView(ListView):
    """Published routines grouped by body area from head to toe, optionally filtered."""

    template_name = "routines/routine_list.html"

    def get(self, request, *args, **kwargs):
        options = tag_options()
        params = {k: v for k, v in request.GET.items() if k in RoutineFilterForm.base_fields and v}
        self.filters = RoutineFilterForm(params or None, options)
        if self.filters.is_bound:
            self.filters.is_valid()
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.filters.apply(Routine.objects.published().with_total_time())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        by_area = {}
        for routine in attach_tag_names(context["object_list"]):
            by_area.setdefault(routine.body_area, []).append(routine)
        context["areas"] = [(value, label, by_area[value]) for value, label in BodyArea.choices if value in by_area]
        context["filters"] = self.filters
        return context


class RoutineDetailView(DetailView):
    """One routine: position, cautions, ordered steps with their techniques, and total time."""

    template_name = "routines/routine_detail.html"
    context_object_name = "routine"

    def get_queryset(self):
        return Routine.objects.published().with_total_time().with_steps()

    def get_object(self, queryset=None):
        routine = super().get_object(queryset)
        attach_tag_names([routine])
        return routine
