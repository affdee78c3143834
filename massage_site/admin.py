"""Admin for the site's own pages (home introduction, safety), with history to restore from,
and readers' feedback on the guides."""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q

from content.editing import HistoryAdmin

from . import search_record
from .models import Feedback, Page, SearchCount, SearchPick
from .page_editor import PageForm

REPORT_DAYS = 30

# Editors manage four kinds of content: the change lists need the width more than a side menu does.
admin.site.enable_nav_sidebar = False


@admin.register(Page)
class PageAdmin(HistoryAdmin):
    form = PageForm
    list_display = ["title", "slug", "updated_at"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Readers' feedback, read-only: what they said can be read and deleted, never changed."""

    list_display = ["guide", "helpful", "comment", "created_on"]
    list_filter = ["helpful", ("content_type", admin.RelatedOnlyFieldListFilter), "created_on"]
    search_fields = ["comment"]
    date_hierarchy = "created_on"
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("content_type").prefetch_related("item")

    @admin.display(description="Guide", ordering="object_id")
    def guide(self, feedback):
        kind = feedback.content_type.name.capitalize()
        return f"{kind}: {feedback.item}" if feedback.item else f"{kind} (deleted)"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, feedback=None):
        return False

    def changelist_view(self, request, extra_context=None):
        """The list, with a count of yes and no for each guide above it."""
        totals = (
            Feedback.objects.values("content_type", "object_id")
            .annotate(yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False)))
            .order_by("content_type", "object_id")
        )
        names = {(type(item), item.pk): str(item) for item in _guides(totals)}
        summary = []
        for row in totals:
            model = ContentType.objects.get_for_id(row["content_type"]).model_class()
            summary.append({**row, "guide": names.get((model, row["object_id"]), "(deleted)")})
        extra_context = {**(extra_context or {}), "feedback_summary": sorted(summary, key=lambda row: row["guide"])}
        return super().changelist_view(request, extra_context)


def _guides(totals):
    """The guides the feedback rows name, one query per kind of guide."""
    wanted = {}
    for row in totals:
        wanted.setdefault(row["content_type"], set()).add(row["object_id"])
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is not None:
            yield from model._default_manager.filter(pk__in=ids)


@admin.register(SearchCount)
class SearchCountAdmin(admin.ModelAdmin):
    """What readers searched for, read-only: the last 30 days' most searched queries and those that
    found nothing, above each day's counts (massage_site/search_record.py)."""

    list_display = ["query", "day", "count", "found_nothing"]
    list_filter = ["found_nothing", "day"]
    search_fields = ["query"]
    date_hierarchy = "day"
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, count=None):
        return False

    def has_delete_permission(self, request, count=None):
        return False

    def changelist_view(self, request, extra_context=None):
        search_record.write_batch()  # the searches noted since the last batch, so the report is current
        extra_context = {
            **(extra_context or {}),
            "search_report": search_record.report(REPORT_DAYS),
            "search_report_days": REPORT_DAYS,
        }
        return super().changelist_view(request, extra_context)


@admin.register(SearchPick)
class SearchPickAdmin(admin.ModelAdmin):
    """Editors' picks: the results shown first for a search (see "Searches made" for what readers type)."""

    list_display = ["query", "result", "order"]
    list_display_links = ["query", "result"]
    search_fields = ["query", "folded"]
    autocomplete_fields = ["technique", "routine", "page"]
    fieldsets = [
        (None, {"fields": ["query", "order"]}),
        ("The result to show first: choose one", {"fields": ["technique", "routine", "page"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("technique", "routine", "page")

    @admin.display(description="result")
    def result(self, pick):
        return f"{pick.item._meta.verbose_name.capitalize()}: {pick.item}"
