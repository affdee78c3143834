"""Serving uploads from this server, for single-machine set-ups (`make run`, `make serve`).

At scale, media lives in object storage behind a CDN and this is switched off
(SERVE_MEDIA=0). Every upload, and so every rendition, gets a new name, and a
replaced picture's file is deleted rather than overwritten: a URL's bytes never
change, so browsers may keep them for a year.
"""

from django.conf import settings
from django.urls import re_path
from django.utils.cache import patch_cache_control
from django.views.static import serve


def serve_media(request, path):
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.status_code == 200:
        patch_cache_control(response, public=True, max_age=365 * 24 * 60 * 60, immutable=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def media_urlpatterns():
    prefix = settings.MEDIA_URL.lstrip("/")
    return [re_path(rf"^{prefix}(?P<path>.*)$", serve_media)] if settings.SERVE_MEDIA else []
