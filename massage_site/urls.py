"""Root URLs: the public addresses here are a contract (see docs/operations.md, "Public addresses")."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, reverse_lazy

from content import draft_links

from . import feedback, health, offline, plan, tags, views
from .feeds import GuidesFeed
from .media import media_urlpatterns
from .sitemaps import SITEMAPS

admin.site.site_header = f"{settings.SITE_NAME} — editors"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Content"
admin.site.site_url = reverse_lazy("home")  # the admin's "View site" link

urlpatterns = [
    path("", views.home, name="home"),
    path("card.png", views.site_card, name="site_card"),
    path("techniques/<slug:slug>/card.png", views.technique_card, name="technique_card"),
    path("routines/<slug:slug>/card.png", views.routine_card, name="routine_card"),
    path("techniques/", include("techniques.urls")),
    path("routines/", include("routines.urls")),
    path("search/", views.search, name="search"),
    path("search/suggest/", views.search_suggest, name="search_suggest"),
    path("plan/", plan.plan, name="plan"),
    path("pages/<slug:slug>/", views.page, name="page"),
    path("about/", views.about, name="about"),
    path("about/people/<slug:slug>/", views.contributor, name="contributor"),
    path("tags/<slug:slug>/", tags.tag_detail, name="tag"),
    path("feedback/", feedback.feedback, name="feedback"),
    path("offline/", offline.offline, name="offline"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("drafts/<str:token>/", draft_links.draft, name="draft"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("feed/", GuidesFeed(), name="feed"),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]

urlpatterns += media_urlpatterns()

handler500 = "massage_site.views.server_error"
