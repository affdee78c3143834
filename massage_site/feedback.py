"""Readers' answers to "Was this page helpful?": the one address where they post, kept safe.

Guide pages come from the page cache, the same bytes for everyone, so their form carries
no CSRF token. Instead this view takes a post only when the browser says it comes from a
page of this site (the Origin header, or Sec-Fetch-Site), limits each address to a few
posts a minute without storing the address, and stores nothing about the reader.
Refusals: 403 cross-site, 429 too many, 400 a malformed post (a comment over 500
characters, a filled honeypot), 404 a page that is not a live technique or routine.

Without script the reader gets a page (thanks, or why nothing was sent). The page's
script (static/js/feedback.js) posts the same form with fetch(), asking for JSON, and
shows the same words in place of the form.
"""

import time

from django import forms
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from content.caching import warn_outage
from routines.models import Routine
from techniques.models import Technique

from .login_throttle import client_ip
from .models import Feedback

MAX_COMMENT = 500
# A whole post is a few short fields: 500 characters of four-byte letters, percent-encoded,
# is 6 KB. Anything much bigger is not from the form and is refused unread.
MAX_BODY_BYTES = 16 * 1024
POSTS_PER_MINUTE = 5
# The guide pages that carry the form: the view behind each address, and its model.
GUIDES = {"techniques:detail": Technique, "routines:detail": Routine}


class FeedbackForm(forms.Form):
    """What the form posts. ``reference`` is the honeypot: hidden from people, left empty by them."""

    page = forms.CharField(max_length=200)
    helpful = forms.TypedChoiceField(choices=[("yes", "Yes"), ("no", "No")], coerce=lambda answer: answer == "yes")
    comment = forms.CharField(required=False)
    reference = forms.CharField(required=False, strip=False)

    def clean_comment(self):
        # Browsers send a textarea's line breaks as CRLF but count each as one character
        # (its maxlength), so the limit here counts them the same way.
        comment = self.cleaned_data["comment"].replace("\r\n", "\n")
        if len(comment) > MAX_COMMENT:
            raise forms.ValidationError(f"The comment is longer than {MAX_COMMENT} characters.")
        return comment


def same_origin(request):
    """Whether the browser says this post comes from a page of this very site.

    Origin, when sent (every current browser sends it with a form post), must be this
    request's own scheme and host; without it, Sec-Fetch-Site must say same-origin.
    Neither: refused, since nothing proves where the post came from.
    """
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None:
        return origin == f"{request.scheme}://{request.get_host()}"
    return request.META.get("HTTP_SEC_FETCH_SITE") == "same-origin"


def too_many_posts(request):
    """Count this post against its address for the current minute; True beyond the limit.

    The key is a keyed hash (HMAC-SHA256 with SECRET_KEY) of the address and the minute, so
    the cache never holds the address, and a key cannot be linked to the next minute's. A
    cache that does not answer lets the post through: feedback is not worth an error page.
    """
    minute = int(time.time() // 60)
    digest = salted_hmac("massage_site.feedback", f"{minute}:{client_ip(request)}", algorithm="sha256").hexdigest()
    key = f"feedback:posts:{digest}"
    try:
        cache.add(key, 0, 120)
        return cache.incr(key) > POSTS_PER_MINUTE
    except Exception as error:  # CacheUnavailable, or whatever another backend raises
        warn_outage("count", "feedback:posts", error)
        return False


def live_guide(path):
    """The published technique or routine at ``path``, or None."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    model = GUIDES.get(match.view_name)
    return model and model.objects.published().filter(slug=match.kwargs.get("slug")).first()


def wants_json(request):
    """Whether the post comes from the page's script, which asks for JSON (a browser's own
    form post prefers HTML)."""
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def _answer(request, status, heading, message, guide=None):
    """The outcome, as a page or, for the page's script, as JSON with the same words and status."""
    if wants_json(request):
        return JsonResponse({"heading": heading, "message": message}, status=status)
    context = {"heading": heading, "message": message, "guide": guide}
    return render(request, "site/feedback.html", context, status=status)


# csrf_exempt on this view only: the pages that post here are cached and shared, so they
# cannot carry a per-visitor token. same_origin() does the CSRF check instead, by the
# Origin header as Django's own check does, without the token.
@csrf_exempt
@never_cache
@require_POST
def feedback(request):
    """Store one answer and thank the reader, or refuse it with a status that says why."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES:
        return _answer(request, 400, "Not sent", "That was more than the feedback form sends.")
    if not same_origin(request):
        return _answer(request, 403, "Not sent", "Feedback is taken only from the pages of this site.")
    if too_many_posts(request):
        return _answer(request, 429, "Not sent", "That was a lot of feedback at once: please try again in a minute.")
    form = FeedbackForm(request.POST)
    guide = live_guide(request.POST.get("page", "")[:200])
    if guide is None:
        return _answer(request, 404, "Not sent", "This page does not take feedback: it may have been unpublished.")
    if request.POST.get("reference"):
        # 400 rather than a pretend "thank you": a person whose browser filled the hidden
        # field in is told that nothing was sent, and a bot gains little from the answer.
        return _answer(request, 400, "Not sent", "The form had a field filled in that must stay empty.", guide)
    if not form.is_valid():
        message = form.errors["comment"][0] if "comment" in form.errors else "Please choose yes or no."
        return _answer(request, 400, "Not sent", message, guide)
    Feedback.objects.create(item=guide, helpful=form.cleaned_data["helpful"], comment=form.cleaned_data["comment"])
    return _answer(request, 200, "Thank you", "Your answer helps us make this guide better.", guide)
