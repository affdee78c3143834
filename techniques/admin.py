"""Glossary admin: editors write and publish techniques here."""

from django.contrib import admin

from .images import IllustrationForm
from .models import Technique


@admin.register(Technique)
class TechniqueAdmin(admin.ModelAdmin):
    form = IllustrationForm
    list_display = ["name", "family", "status", "publish_at", "updated_at"]
    list_filter = ["status", "family", "tags"]
    search_fields = ["name", "aliases", "definition"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["related"]
    date_hierarchy = "publish_at"
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "family", "definition", "aliases", "how_to"]}),
        ("Picture", {"fields": ["illustration", "illustration_alt"]}),
        ("Links and tags", {"fields": ["related", "tags"]}),
        ("Publishing", {"fields": ["status", "publish_at", "created_at", "updated_at"]}),
    ]
