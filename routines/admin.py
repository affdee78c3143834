"""Routines admin: a routine and its steps on one page, steps ordered with buttons or by drag and drop."""

from adminsortable2.admin import CustomInlineFormSet, SortableAdminBase, SortableStackedInline
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import Textarea
from django.urls import reverse
from django.utils import timezone

from content.editing import EditorialAdmin, PlainTextAdmin, thumbnail
from content.images import IllustrationForm
from content.publish_checks import dead_addresses
from content.publishing import Status
from content.reviews import REVIEW_FIELDSET, ReviewDueFilter
from content.sources import SourceInline
from content.tag_fields import VocabularyAdmin
from techniques.term_checks import term_findings

from .forms import RoutineForm
from .models import Benefit, Equipment, Position, Routine, Source, Step
from .publish_checks import step_findings
from .views import RoutineDetailView


class StepFormSet(CustomInlineFormSet):
    """The routine's steps; a routine can be published only with steps whose techniques are published.

    ``self.instance`` is the routine as the form above has just filled it in (the admin
    validates the routine form before its inlines), so its new status is known here.
    """

    def clean(self):
        super().clean()
        routine = self.instance
        if routine.status != Status.PUBLISHED or any(self.errors):
            return
        kept = [form.cleaned_data for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if not kept:
            raise ValidationError(
                "A published routine needs at least one step. Add a step, or keep the routine as a Draft.",
                code="no_steps",
            )
        goes_live = max(routine.publish_at or timezone.now(), timezone.now())
        waiting = {}
        for data in kept:
            technique = data.get("technique")
            if technique is None:
                continue
            if technique.status != Status.PUBLISHED:
                waiting[technique.name] = "draft"
            elif technique.publish_at > goes_live:
                waiting[technique.name] = "scheduled later than this routine"
        if waiting:
            names = ", ".join(f"{name} ({why})" for name, why in sorted(waiting.items()))
            raise ValidationError(
                f"This routine cannot be published yet: its steps use techniques the public cannot see: {names}. "
                "Publish those techniques first, choose other ones, or keep the routine as a Draft.",
                code="unpublished_techniques",
            )
        dead = [
            f"step {number} links to {path}, but {problem}"
            for number, data in enumerate(kept, start=1)
            for text in (data.get("instruction"), data.get("caution"))
            for path, problem in dead_addresses(text)
        ]
        if dead:
            raise ValidationError(
                f"This routine cannot be published yet: {'; '.join(dead)}. Correct or remove those addresses, "
                "or keep the routine as a Draft.",
                code="dead_addresses",
            )


class StepForm(IllustrationForm):
    """A step's row: its own picture gets the same checks as any upload."""

    class Meta:
        model = Step
        fields = "__all__"


class StepInline(PlainTextAdmin, SortableStackedInline):
    """One card per step (templates/admin/routines/step_inline.html), moved with its "Move up" and
    "Move down" buttons (static/js/step_order.js) or by dragging its title bar."""

    model = Step
    form = StepForm
    formset = StepFormSet
    template = "admin/routines/step_inline.html"
    verbose_name_plural = "steps"
    # No blank row on every visit: "Add another step" adds one when it is wanted.
    extra = 0
    fields = [
        ("title", "technique"),
        "instruction",
        "caution",
        ("duration_seconds", "repeat_other_side"),
        ("pressure", "needs"),
        ("shown_picture", "illustration", "illustration_alt"),
    ]
    readonly_fields = ["shown_picture"]
    autocomplete_fields = ["technique"]
    ordering = ["order", "pk"]
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 3, "cols": 80})}}

    class Media:
        js = ["js/step_order.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("technique")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "technique" and formfield is not None:
            # Deleting a whole glossary term from a step's row is too easy a slip; it has its own page.
            formfield.widget.can_delete_related = False
        return formfield

    @admin.display(description="shows")
    def shown_picture(self, step):
        """The step's own picture, or else its technique's: what readers see beside the step."""
        return thumbnail(step.picture, 64)


class RoutineSourceInline(SourceInline):
    model = Source


@admin.register(Routine)
class RoutineAdmin(SortableAdminBase, EditorialAdmin):
    form = RoutineForm
    public_view = RoutineDetailView
    extra_publish_checks = [step_findings, term_findings]
    list_display = [
        "picture",
        "title",
        "body_area",
        "order",
        "state",
        "publish_at",
        "last_edited_by",
        "updated_at",
        "next_review_due",
    ]
    # The title alone: a link around the picture (alt="") would have no text for a screen reader.
    list_display_links = ["title"]
    list_filter = ["status", ReviewDueFilter, "body_area", "benefits"]
    search_fields = ["title", "summary", "intro", "steps__instruction"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["old_addresses", "created_at", "updated_at"]
    inlines = [StepInline, RoutineSourceInline]
    filter_horizontal = ["authors"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "body_area",
                    "map_area",
                    "order",
                    "position",
                    "summary",
                    "intro",
                    "cautions",
                ]
            },
        ),
        ("Picture", {"fields": ["illustration", "illustration_alt"]}),
        ("Tags and search terms", {"fields": ["benefits", "positions", "equipment", "search_terms"]}),
        REVIEW_FIELDSET,
        ("Publishing", {"fields": ["status", "publish_at", "old_addresses", "created_at", "updated_at"]}),
    ]

    def get_changeform_initial_data(self, request):
        """A new routine comes after every other in lists, rather than jumping to the top."""
        initial = super().get_changeform_initial_data(request)
        if "order" not in initial:
            last = Routine.objects.aggregate(last=models.Max("order"))["last"]
            initial["order"] = 1 if last is None else min(last + 1, 32767)
        return initial

    def construct_change_message(self, request, form, formsets, add=False):
        """Record "Changed order of the steps" once, not "Changed Order" for every step that moved."""
        message = super().construct_change_message(request, form, formsets, add)
        reordered, kept = False, []
        for entry in message:
            changed = entry.get("changed", {})
            if changed.get("name") == str(Step._meta.verbose_name):
                fields = [label for label in changed["fields"] if label.lower() != "order"]
                reordered = reordered or len(fields) < len(changed["fields"])
                if not fields:
                    continue
                entry = {"changed": {**changed, "fields": fields}}
            kept.append(entry)
        if reordered:
            kept.append({"changed": {"fields": ["order of the steps"]}})
        return kept

    @admin.display(description="old addresses")
    def old_addresses(self, routine):
        old = [reverse("routines:detail", args=[old.slug]) for old in routine.old_slugs.all()] if routine.pk else []
        return ", ".join(old) + " (redirect here)" if old else "—"


# The three vocabularies of a routine's tags, each its own list: the routine form suggests
# from them as one types, and its + adds a tag through these forms.
admin.site.register(Benefit, VocabularyAdmin)
admin.site.register(Position, VocabularyAdmin)
admin.site.register(Equipment, VocabularyAdmin)
