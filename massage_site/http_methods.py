"""The public site only reads: GET and HEAD, and a 405 naming them for anything else.

Left to themselves, views answer in different ways: the generic views answer OPTIONS
with 200, the function views (require_safe) with 405, the feed and the sitemap serve
their whole page to OPTIONS and TRACE, static files answer 405, and a POST anywhere
gets the CSRF failure page. So every public address answers alike, here, before any
view runs. The admin, where editors post forms, is left alone, and the one address
readers post to (massage_site/feedback.py) takes POST and nothing else.
"""

from django.http import HttpResponseNotAllowed

READ_METHODS = ("GET", "HEAD")
WRITABLE_PREFIXES = ("/admin/",)
POST_ONLY = ("/feedback/",)


class ReadOnlyPublicSiteMiddleware:
    """405 with ``Allow: GET, HEAD`` for any other method outside the admin (``Allow: POST`` on
    the feedback address for anything but a post)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in POST_ONLY:
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
        elif request.method not in READ_METHODS and not request.path.startswith(WRITABLE_PREFIXES):
            return HttpResponseNotAllowed(READ_METHODS)
        return self.get_response(request)
