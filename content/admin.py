"""Admin for what both areas share: the contributors who write and review the guides."""

from django.contrib import admin

from .editing import HistoryAdmin
from .models import Contributor


@admin.register(Contributor)
class ContributorAdmin(HistoryAdmin):
    list_display = ["name", "role", "team", "updated_at"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "role", "team", "note"]
