"""Routines admin: a routine and its ordered steps are edited on one page."""

from django.contrib import admin

from techniques.images import IllustrationForm

from .models import Routine, Step


class StepInline(admin.TabularInline):
    model = Step
    extra = 1
    fields = ["order", "technique", "instruction", "duration_seconds", "repeat_other_side"]
    autocomplete_fields = ["technique"]
    ordering = ["order", "pk"]


@admin.register(Routine)
class RoutineAdmin(admin.ModelAdmin):
    form = IllustrationForm
    list_display = ["title", "body_area", "order", "status", "publish_at", "updated_at"]
    list_filter = ["status", "body_area", "benefits"]
    search_fields = ["title", "summary", "intro", "steps__instruction"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [StepInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "body_area", "order", "position", "summary", "intro", "cautions"]}),
        ("Picture", {"fields": ["illustration", "illustration_alt"]}),
        ("Tags", {"fields": ["benefits", "positions", "equipment"]}),
        ("Publishing", {"fields": ["status", "publish_at", "created_at", "updated_at"]}),
    ]
