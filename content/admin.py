"""Admin for what both areas share: the contributors who write and review the guides."""

from django.contrib import admin

from .editing import HistoryAdmin, thumbnail
from .images import IllustrationForm
from .models import Contributor


@admin.register(Contributor)
class ContributorAdmin(HistoryAdmin):
    form = IllustrationForm  # a photo is checked and cleaned as every uploaded picture is
    list_display = ["photo", "name", "role", "team", "updated_at"]
    list_display_links = ["photo", "name"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["current_photo"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "role", "team", "note"]}),
        ("Photo (optional)", {"fields": ["current_photo", "illustration", "illustration_alt"]}),
    ]

    @admin.display(description="photo")
    def photo(self, contributor):
        return thumbnail(contributor, 48)

    @admin.display(description="current photo")
    def current_photo(self, contributor):
        return thumbnail(contributor, 160)
