"""Sign-in throttling with django-axes: the lockout page, and the client address it counts by."""

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse


def client_ip(request):
    """The address failed sign-ins are counted against.

    REMOTE_ADDR, unless the site runs behind TRUSTED_PROXY_COUNT proxies: then the
    address the outermost trusted proxy saw, counted from the right of X-Forwarded-For
    (addresses further left are whatever the client chose to send).
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def _minutes(delta):
    minutes = max(1, round(delta.total_seconds() / 60)) if delta else 0
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


def lockout_response(request, original_response=None, credentials=None):
    """The page shown instead of the sign-in form while a username + address is throttled (429).

    django-axes calls this as soon as a failure reaches AXES_FAILURE_LIMIT. That failure is
    answered like any wrong password, so the rule reads as docs/operations.md says: after 5 failed
    attempts the next one is refused. (axes sets the count only on a request that added a
    failure, and a refused attempt while locked out adds one above the limit, or none.)
    """
    just_reached = getattr(request, "axes_failures_since_start", None) == settings.AXES_FAILURE_LIMIT
    if just_reached and original_response is not None:
        return original_response
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed sign-ins",
        "cool_off": _minutes(get_cool_off(request)),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    response = TemplateResponse(request, "axes/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
    response["Retry-After"] = str(int(get_cool_off(request).total_seconds()))
    return response.render()
