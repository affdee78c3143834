"""Draft links: a technique or routine as it is saved now, shown to a reviewer with no account.

An editor creates a link on the item's change form for a number of days. Whoever holds
it sees the item's preview (the public page with a banner saying it is a draft), nothing
else: no session, no admin, no other item. It stops working when it expires or when an
editor revokes it, and then says so on a page of its own (410).

The address carries the link's id, a random key, its item and its expiry, signed with
SECRET_KEY (``django.core.signing``): the database alone cannot make a working address, an
address from before a database was emptied cannot open a new link that reused its id, and a
new SECRET_KEY ends every link. The row decides whether it still works (revoked, expired).

Links are not content (content/registry.py): they are access to content, so they stay
out of backups (a restore must not bring back a revoked link) and out of the Editors
group's model permissions. Whoever may change an item may share it.
"""

import datetime
import secrets

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

SALT = "content.draft_links"
DEFAULT_DAYS = 7
MAX_DAYS = 90


def new_key():
    """The random part of a new link's address."""
    return secrets.token_urlsafe(16)


class DraftLinkQuerySet(models.QuerySet):
    def for_item(self, item):
        return self.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)

    def in_use(self):
        """Links that still open their draft: not revoked, not expired."""
        return self.filter(revoked_at=None, expires_at__gt=timezone.now())


class DraftLink(models.Model):
    """A signed address that shows one item's preview to anyone holding it, until it expires or is revoked."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    key = models.CharField(max_length=32, default=new_key, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = DraftLinkQuerySet.as_manager()

    class Meta:
        ordering = ["expires_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="draft_link_item")]

    def __str__(self):
        return f"Draft link {self.pk}, until {self.expires_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("draft", kwargs={"token": self.token})

    @property
    def token(self):
        item = [self.content_type.app_label + "." + self.content_type.model, self.object_id]
        return signing.Signer(salt=SALT).sign_object([self.pk, self.key, *item, self.expires_at.timestamp()])

    @property
    def in_use(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


def shared_banner(expires_at):
    """What the banner on a shared draft says: what it is and until when the link works."""
    until = date_format(timezone.localtime(expires_at), "DATETIME_FORMAT")
    return {
        "heading": "Draft shared for review — not public.",
        "note": f"This link works until {until} Please do not pass it on.",
        "shared": True,
    }


def _read(token):
    """(link id, key, model, item id, expiry) from a signed address, or None."""
    try:
        pk, key, label, object_id, expires = signing.Signer(salt=SALT).unsign_object(token)
        model = apps.get_model(label)
        return int(pk), str(key), model, int(object_id), datetime.datetime.fromtimestamp(expires, tz=datetime.UTC)
    except (signing.BadSignature, LookupError, ValueError, TypeError, OverflowError):
        return None


@require_safe
def draft(request, token):
    """The shared item's preview, or a page saying the link no longer works (410) or never did (404).

    The address names the link, its item and its expiry, so the page costs no query more than the
    item's own: its rows are narrowed to the item while the link is in use (``only``). Only when
    that finds nothing is the link looked up, to say why.
    """
    read = _read(token)
    if read is None:
        return _gone(request, "unknown", 404)
    pk, key, model, object_id, expires_at = read
    try:
        view = admin.site.get_model_admin(model).public_view
    except (NotRegistered, AttributeError):
        view = None
    if view is None:
        return _gone(request, "unknown", 404)
    in_use = DraftLink.objects.in_use().filter(
        pk=pk,
        key=key,
        content_type__app_label=model._meta.app_label,
        content_type__model=model._meta.model_name,
        object_id=OuterRef("pk"),
    )
    preview = {**shared_banner(expires_at), "only": Exists(in_use)}
    try:
        response = view.as_view(preview=preview)(request, pk=object_id)
        response.render()
    except Http404:
        return _why_not(request, pk, key)
    return _private(response)


def _why_not(request, pk, key):
    link = DraftLink.objects.filter(pk=pk, key=key).first()
    if link is None:
        return _gone(request, "unknown", 404)
    if link.revoked_at is not None:
        return _gone(request, "revoked", 410)
    if link.expires_at <= timezone.now():
        return _gone(request, "expired", 410)
    return _gone(request, "deleted", 410)  # the item was deleted since


def _gone(request, reason, status):
    response = render(request, "site/draft_link_gone.html", {"reason": reason, "preview": None}, status=status)
    return _private(response)


def _private(response):
    """Never stored by a shared cache or a browser, never indexed, and the address never sent on."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


# The admin: create, list and revoke links on the item's change form.


class NewDraftLinkForm(forms.Form):
    days = forms.IntegerField(min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS)


class DraftLinksAdmin:
    """EditorialAdmin mixin: the "Show the draft to a reviewer" panel and its two actions.

    The panel sits among the form's fields, but its buttons belong to two small forms after the
    change form (``form=`` attributes), so they never save the item and Enter in the form still saves.
    """

    draft_links_fieldset = (
        "Show it to a reviewer",
        {
            "fields": ["draft_links"],
            "description": "A link shows this item as it is saved now to anyone who has it, no account "
            "needed, until it expires or you revoke it. Save your changes first.",
        },
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        # On the change form only: a version being restored from history has nothing to share yet.
        on_change_form = (getattr(request.resolver_match, "url_name", "") or "").endswith("_change")
        if obj is not None and obj.pk and on_change_form:
            fieldsets.append(self.draft_links_fieldset)
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "draft_links"]

    @admin.display(description="links in use")
    def draft_links(self, obj):
        origin = getattr(obj, "draft_link_origin", "")
        links = list(DraftLink.objects.for_item(obj).in_use().select_related("created_by", "content_type"))
        rows = format_html_join(
            "",
            '<li><a href="{}" rel="noreferrer">{}</a><span class="draft-link-meta">Works until {}; made by {}.</span>'
            '<button type="submit" form="draft-link-revoke" name="link" value="{}" class="button">'
            'Revoke<span class="visually-hidden"> the link that works until {}</span></button></li>',
            (
                (
                    origin + link.get_absolute_url(),
                    origin + link.get_absolute_url(),
                    date_format(timezone.localtime(link.expires_at), "DATETIME_FORMAT"),
                    link.created_by.get_username() if link.created_by else "someone no longer here",
                    link.pk,
                    date_format(timezone.localtime(link.expires_at), "DATETIME_FORMAT"),
                )
                for link in links
            ),
        )
        listed = (
            format_html('<ul class="draft-links">{}</ul>', rows) if links else mark_safe("<p>No links in use.</p>")
        )
        return format_html(
            '<div id="draft-links">{}<div class="draft-link-new">'
            '<label for="draft-link-days">Days the new link works:</label> '
            '<input type="number" id="draft-link-days" name="days" form="draft-link-new" value="{}" min="1" max="{}" '
            'required> <button type="submit" form="draft-link-new" class="button">Create a link</button></div></div>',
            listed,
            DEFAULT_DAYS,
            MAX_DAYS,
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            # The panel shows whole addresses, ready to copy into a message to the reviewer.
            obj.draft_link_origin = request.build_absolute_uri("/").rstrip("/")
            name = f"admin:{self.opts.app_label}_{self.opts.model_name}"
            context["draft_link_actions"] = {
                "new": reverse(f"{name}_draft_link_new", args=[obj.pk]),
                "revoke": reverse(f"{name}_draft_link_revoke", args=[obj.pk]),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/draft-links/new/", wrap(self.new_draft_link_view), name=f"{name}_draft_link_new"),
            path(
                "<path:object_id>/draft-links/revoke/",
                wrap(self.revoke_draft_link_view),
                name=f"{name}_draft_link_revoke",
            ),
            *super().get_urls(),
        ]

    def _shared_item(self, request, object_id):
        if request.method != "POST":
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such item.")
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def _back(self, obj):
        change = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        return redirect(f"{change}#draft-links")

    def new_draft_link_view(self, request, object_id):
        obj = self._shared_item(request, object_id)
        form = NewDraftLinkForm(request.POST)
        if not form.is_valid():
            self.message_user(
                request, f"Choose how many days the link works: a whole number from 1 to {MAX_DAYS}.", messages.ERROR
            )
            return self._back(obj)
        days = form.cleaned_data["days"]
        link = DraftLink.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            created_by=request.user,
            expires_at=timezone.now() + datetime.timedelta(days=days),
        )
        until = date_format(timezone.localtime(link.expires_at), "DATETIME_FORMAT")
        address = request.build_absolute_uri(link.get_absolute_url())
        self.message_user(
            request,
            f"A link for reviewers is ready; it works until {until}: {address}",
            messages.SUCCESS,
        )
        return self._back(obj)

    def revoke_draft_link_view(self, request, object_id):
        obj = self._shared_item(request, object_id)
        revoked = (
            DraftLink.objects.for_item(obj)
            .filter(pk=request.POST.get("link") if str(request.POST.get("link", "")).isdigit() else None)
            .in_use()
            .update(revoked_at=timezone.now(), revoked_by=request.user)
        )
        if revoked:
            self.message_user(request, "The link is revoked: it no longer shows this item.", messages.SUCCESS)
        else:
            self.message_user(request, "That link was already revoked or had expired.", messages.WARNING)
        return self._back(obj)
