"""WSGI entry point (gunicorn massage_site.wsgi): page-cache hits first, then Django.

Cached pages for anonymous readers are answered before Django's request handling starts
(massage_site/page_cache.py, ``PageCacheApplication``); every other request goes to
Django as it came.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "massage_site.settings")
django_application = get_wsgi_application()

from massage_site.page_cache import PageCacheApplication  # noqa: E402 (needs the apps loaded first)

application = PageCacheApplication(django_application)
