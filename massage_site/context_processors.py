"""What every template may show about the site itself, from settings (said once, in settings.py)."""

from django.conf import settings


def site(request):
    return {"site_name": settings.SITE_NAME, "site_tagline": settings.SITE_TAGLINE}
