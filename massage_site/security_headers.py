"""Permissions-Policy on every response: browser features the site never uses are off.

Django's SecurityMiddleware sets the other headers (nosniff, Referrer-Policy,
Cross-Origin-Opener-Policy, HSTS over HTTPS), django-csp the Content-Security-Policy
and XFrameOptionsMiddleware X-Frame-Options. This sits with them above the page cache
and WhiteNoise, so cached pages and static files carry the header too.
"""

from django.conf import settings


def permissions_policy(features):
    """{"camera": [], "screen-wake-lock": ["self"]} -> 'camera=(), screen-wake-lock=(self)'."""
    return ", ".join(f"{name}=({' '.join(origins)})" for name, origins in features.items())


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
