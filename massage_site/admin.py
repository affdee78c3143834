"""Admin for the site's own pages (home introduction, safety), with history to restore from."""

from django.contrib import admin

from content.editing import HistoryAdmin

from .models import Page

# Editors manage four kinds of content: the change lists need the width more than a side menu does.
admin.site.enable_nav_sidebar = False


@admin.register(Page)
class PageAdmin(HistoryAdmin):
    list_display = ["title", "slug", "updated_at"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
