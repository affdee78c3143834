"""Installable and usable with no signal: the web manifest, the service worker and the offline page.

The service worker (templates/site/service_worker.js) keeps the site's shell and every
routine a reader opened or chose to keep, with its pictures, so that the routine and its
guided mode open in airplane mode. Pages still come from the network first whenever there
is one, so an edit shows on the very next load. Its name for the store is this release's
*shell*: the hashed names of the files it keeps. A release with any changed file is a new
worker and a new store, and the old store is dropped once the kept pages are fetched anew.
"""

import hashlib
import json

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

# Kept in every store: what the offline page and a kept routine with its guided mode need.
SHELL_FILES = [
    "css/site.css",
    "css/guided.css",
    "css/print.css",
    "js/terms.js",
    "js/guided.js",
    "js/offline.js",
    "img/favicon.svg",
    "img/icon-192.png",
]
THEME_COLOUR = "#0f766e"
BACKGROUND_COLOUR = "#f8f5ef"


def worker_source():
    """The service worker's code, with this release's file names and its release tag."""
    context = {
        "shell": [static(name) for name in SHELL_FILES],
        "offline_url": reverse("offline"),
        "static_url": settings.STATIC_URL,
        "media_url": settings.MEDIA_URL,
    }
    code = render_to_string("site/service_worker.js", context)
    release = hashlib.sha256(code.encode()).hexdigest()[:12]
    return code.replace('"RELEASE"', json.dumps(release), 1)


@require_safe
def service_worker(request):
    """/sw.js: at the top of the site, so that it may look after every page."""
    response = HttpResponse(worker_source(), content_type="text/javascript; charset=utf-8")
    # Browsers ask for a new worker at least daily; this makes them check on every visit.
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def manifest(request):
    """/manifest.webmanifest: name, colours and icons for adding the site to a home screen."""
    icons = [
        {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {"src": static("img/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]
    data = {
        "name": settings.SITE_NAME,
        "short_name": "Self-massage",
        "description": settings.SITE_TAGLINE,
        "lang": "en-GB",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons,
    }
    return HttpResponse(json.dumps(data, indent=2), content_type="application/manifest+json")


@require_safe
def offline(request):
    """What this device keeps for use with no signal; the page shown offline for anything else."""
    return render(request, "site/offline.html")
