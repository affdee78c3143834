"""Glossary admin: editors write, preview and publish techniques here, with full history."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from content.editing import EditorialAdmin, status_label, thumbnail
from content.reviews import REVIEW_FIELDSET, ReviewDueFilter
from content.sources import SourceInline

from .forms import TechniqueForm
from .models import Source, Technique
from .term_checks import KeepOldNameAdmin, term_findings
from .views import TechniqueDetailView


def routines_using(techniques):
    """{technique: [routines]} for every routine, draft or published, with a step using one of them.

    Through the reverse relation (Step.technique), so that this app never imports routines.
    """
    found = {}
    for technique in techniques:
        steps = technique.steps.select_related("routine").order_by("routine__order", "routine__title")
        routines = list({step.routine_id: step.routine for step in steps}.values())
        if routines:
            found[technique] = routines
    return found


class TechniqueSourceInline(SourceInline):
    model = Source


@admin.register(Technique)
class TechniqueAdmin(KeepOldNameAdmin, EditorialAdmin):
    form = TechniqueForm
    public_view = TechniqueDetailView
    extra_publish_checks = [term_findings]
    list_display = [
        "picture",
        "name",
        "family",
        "state",
        "publish_at",
        "last_edited_by",
        "updated_at",
        "next_review_due",
    ]
    # The name alone: a link around the picture (alt="") would have no text for a screen reader.
    list_display_links = ["name"]
    list_filter = ["status", ReviewDueFilter, "family", "tags"]
    search_fields = ["name", "aliases", "definition"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["related", "authors"]
    inlines = [TechniqueSourceInline]
    date_hierarchy = "publish_at"
    readonly_fields = ["current_picture", "used_in", "old_addresses", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "family", "definition", "aliases", "search_terms", "how_to"]}),
        ("Picture", {"fields": ["current_picture", "illustration", "illustration_alt", "motion"]}),
        ("Links and tags", {"fields": ["related", "tags"]}),
        ("Where it is used", {"fields": ["used_in"]}),
        REVIEW_FIELDSET,
        ("Publishing", {"fields": ["status", "publish_at", "old_addresses", "created_at", "updated_at"]}),
    ]

    @admin.display(description="picture now")
    def current_picture(self, technique):
        return thumbnail(technique, 160)

    @admin.display(description="used in routines")
    def used_in(self, technique):
        routines = routines_using([technique]).get(technique)
        if not routines:
            return "No routine uses this technique yet."
        return format_html(
            '<ul class="used-in">{}</ul>',
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({})</li>',
                (
                    (reverse("admin:routines_routine_change", args=[routine.pk]), routine.title, status_label(routine))
                    for routine in routines
                ),
            ),
        )

    @admin.display(description="old addresses")
    def old_addresses(self, technique):
        old = (
            [reverse("techniques:detail", args=[old.slug]) for old in technique.old_slugs.all()]
            if technique.pk
            else []
        )
        return ", ".join(old) + " (redirect here)" if old else "—"

    def get_deleted_objects(self, objs, request):
        """Before deleting, say which routines use these techniques: their steps lose the link."""
        if not request.POST.get("post"):  # the confirmation page, not the confirmed deletion
            for technique, routines in routines_using(objs).items():
                titles = ", ".join(routine.title for routine in routines)
                self.message_user(
                    request,
                    f"“{technique}” is used in these routines: {titles}. If you delete it, their steps keep "
                    "their words but no longer show or link to this technique. (The technique itself can be "
                    "recovered from “Recover deleted techniques”, but those steps would need it chosen again.)",
                    messages.WARNING,
                )
        return super().get_deleted_objects(objs, request)
