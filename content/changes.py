"""The one change hook: how everything derived from content follows it.

A *change* is a save, delete or many-to-many change of any content model
(content/registry.py), or a scheduled item going live. What follows from it:

1. **Search text.** Each searchable item keeps its folded search text
   (content/search_text.py). A change to the item, or to a row it owns (a routine's
   step, a tag link), rebuilds the item's text.
2. **The content generation.** A random token in the shared cache. Everything cached
   from content is filed under it: whole pages (massage_site/page_cache.py), the term
   list (techniques/term_links.py), the search words (massage_site/search.py), all
   through ``derived()``. A change sets a new token, so all of them are dropped at once,
   in every worker and on every host. A scheduled item going live sets one too
   (``current_generation`` notices the time has come), so nothing cached misses it.

Outside ``one_change()`` each signal is handled as it comes. Inside it (the admin's
save, seeding, import), the items touched are only noted, and the work is done once
when the block ends, inside its transaction: a routine saved with twelve reordered
steps rebuilds its search text once and sets one new generation.

The new generation is set at once and again after the transaction commits
(``now_and_after_commit``): between the two, another worker may still cache what it
read from the rows as they were, and that must not outlive the save.

Per-item bookkeeping that follows saves is connected here too (``connect``): old
slugs (content/old_slugs.py), picture sizes, replaced pictures and the photos that
leave with their item (content/renditions.py), and deleted tags leaving history (content/editing.py).
"""

import contextlib
import contextvars
import secrets
import time

from django.core.cache import cache
from django.core.signals import request_finished
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_save

from . import registry
from .caching import cache_get, cache_set, now_and_after_commit, warn_outage
from .publishing import Status
from .release import release

GENERATION_KEY = "page-cache:generation"
NEXT_CHANGE_KEY = "page-cache:next-change"
DAY = 24 * 60 * 60
NO_SCHEDULE = float("inf")
RELATION_ACTIONS = {"post_add", "post_remove", "post_clear"}


# The generation.


def content_changed():
    """Content changed: set a new generation, now and again after the commit."""
    now_and_after_commit(_new_generation)


def _new_generation():
    # A fresh random token rather than a counter: any new value invalidates everything,
    # and a plain set is atomic on every cache backend (incr is not, on a folder of files).
    cache.set(GENERATION_KEY, secrets.token_hex(8), None)
    cache.delete(NEXT_CHANGE_KEY)


def _next_scheduled_change():
    """Epoch seconds of the next future publication of any publishable model, or infinity (one query)."""
    from django.utils import timezone

    now = timezone.now()
    scheduled = [
        model._default_manager.filter(status=Status.PUBLISHED, publish_at__gt=now).order_by().values_list("publish_at")
        for model in registry.publishable_models()
    ]
    first = scheduled[0].union(*scheduled[1:], all=True).order_by("publish_at").first()
    return first[0].timestamp() if first else NO_SCHEDULE


def current_generation(values=None):
    """The generation to file derived data under, set anew first if a scheduled item has gone live.

    ``values``: the generation and next-change keys when the caller already fetched them
    (the page cache fetches them with the page itself, in one round trip). Raises when the
    cache cannot be reached.
    """
    if values is None:
        values = cache.get_many([GENERATION_KEY, NEXT_CHANGE_KEY])
    generation = settled_generation(values)
    if generation is not None:
        return generation
    generation, next_change = values.get(GENERATION_KEY), values.get(NEXT_CHANGE_KEY)
    if generation is None:
        content_changed()
        generation, next_change = cache.get(GENERATION_KEY), None
    if next_change is None:
        next_change = _next_scheduled_change()
        cache.set(NEXT_CHANGE_KEY, next_change, DAY)
    if time.time() >= next_change:
        content_changed()
        return current_generation()
    return generation


def settled_generation(values):
    """The generation in ``values`` (the generation and next-change keys, as fetched) when reading
    is all it takes; None when there is more to do (none set yet, the schedule not looked up, or a
    scheduled item due), which ``current_generation`` does. Touches neither cache nor database.
    """
    generation, next_change = values.get(GENERATION_KEY), values.get(NEXT_CHANGE_KEY)
    if generation is None or next_change is None or time.time() >= next_change:
        return None
    return generation


def derived_key(name):
    """The cache key of derived data ``name`` under the current generation (and release)."""
    return f"{name}:{release()}:{current_generation()}"


def derived(name, build, timeout=DAY, meanwhile=False):
    """``build()``, cached under the current generation: never older than the content. Callers
    only read the value (it is shared by every request of the process).

    ``meanwhile``: for data that only shapes a page (the search catalogue: spelling corrections),
    a page rendered for the page cache just after a change may use the value from before it while
    this one is built after the response has gone out; that page is then not kept (see
    ``rendering_for_cache``). Signed-in editors and code outside a page always get it built.

    When the cache cannot be reached, it is built from the database every time.
    """
    try:
        key = derived_key(name)
    except Exception as error:  # an outage: the database still answers
        warn_outage("read", name, error)
        return build()
    remembered = _last_derived.get(name)
    if remembered is not None and remembered[0] == key:
        return remembered[1]
    value = cache_get(key)
    if value is None:
        rendering = _rendering.get()
        if meanwhile and rendering is not None:
            before = remembered or cache_get(_before_key(name))
            if before is not None:
                rendering.from_before = True
                _build_after_response(name, key, build, timeout)
                return before[1]
        value = _build_and_keep(name, key, build, timeout, meanwhile)
    _last_derived[name] = (key, value)
    return value


def _before_key(name):
    """Where a ``meanwhile`` value is also kept with its key, for the next generation to use."""
    return f"{name}:{release()}:latest"


def _build_and_keep(name, key, build, timeout, meanwhile):
    value = build()
    cache_set(key, value, timeout)
    if meanwhile:
        cache_set(_before_key(name), (key, value), timeout)
    return value


def _build_after_response(name, key, build, timeout):
    """Build ``name`` once the current response has gone out, unless another worker is at it."""
    uid = f"derived-{name}"

    def build_now(**kwargs):
        request_finished.disconnect(dispatch_uid=uid)
        lock = f"{key}:building"
        with contextlib.suppress(Exception):  # not built now: a later page builds it
            if not cache.add(lock, True, 60):
                return
            try:
                _last_derived[name] = (key, _build_and_keep(name, key, build, timeout, True))
            finally:
                cache.delete(lock)

    request_finished.connect(build_now, dispatch_uid=uid, weak=False)


class _Rendering:
    from_before = False


_rendering = contextvars.ContextVar("rendering_for_cache", default=None)


@contextlib.contextmanager
def rendering_for_cache():
    """Mark a page being rendered for the page cache; yields an object whose ``from_before`` says,
    once the page is rendered, whether it used derived data from before the last change (then it
    must not be kept: the next request renders it again with the new data)."""
    rendering = _Rendering()
    token = _rendering.set(rendering)
    try:
        yield rendering
    finally:
        _rendering.reset(token)


def rendered_from_before():
    """Whether the page being rendered uses derived data from before the last change."""
    rendering = _rendering.get()
    return rendering is not None and rendering.from_before


# The last value of each derived name this process read, with its key: a large value (the
# search catalogue) is unpickled once per generation rather than on every request. Its key holds
# the generation, so a change anywhere is seen at once, as with the shared cache alone.
_last_derived = {}


def forget_derived():
    """Forget the values this process kept (tests: each starts with its own database)."""
    _last_derived.clear()


# Changes, collected or handled at once.


class _Pending:
    def __init__(self):
        self.changed = False
        self.items = {}  # searchable model -> {pk}


_pending = contextvars.ContextVar("content_changes", default=None)


@contextlib.contextmanager
def one_change():
    """Count everything inside as one change: search text rebuilt once per item touched and
    one new generation, when the block ends (not at all if it raises). Nests: only the
    outermost block does the work. Use it inside the transaction it belongs to."""
    if _pending.get() is not None:
        yield
        return
    pending = _Pending()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    _apply(pending.items, pending.changed)


def _apply(items, changed):
    for model, pks in items.items():
        model.refresh_search_texts(pks)
    if changed:
        content_changed()


def _search_owner(model, instance):
    """(searchable model, pk) whose search text this row is part of, or None."""
    searchable = registry.searchable_models()
    if model in searchable:
        return model, instance.pk
    owner_field = getattr(model, "search_owner", None)  # e.g. Step: "routine"
    if owner_field:
        field = model._meta.get_field(owner_field)
        if field.related_model in searchable:
            return field.related_model, getattr(instance, field.attname)
    return None


def _touched(owner, raw=False):
    pending = _pending.get()
    if pending is not None:
        pending.changed = True
        if owner is not None and owner[1] is not None:
            pending.items.setdefault(owner[0], set()).add(owner[1])
        return
    # A raw save (loaddata, a restore outside the admin) is rebuilt by whoever loads it.
    _apply({owner[0]: {owner[1]}} if owner is not None and owner[1] is not None and not raw else {}, True)


def _row_changed(sender, instance, raw=False, **kwargs):
    """post_save / post_delete of any public content model."""
    _touched(_search_owner(sender, instance), raw)


def _tag_saved(sender, instance, raw=False, **kwargs):
    """post_save of a tag of any vocabulary: the items carrying it hold its name in their search
    text, so a renamed tag rebuilds theirs (a deleted one takes its link rows, which do the same)."""
    if raw:
        return
    with one_change():
        _touched(None)
        for owner in _tag_owners(sender, instance):
            _touched(owner)


def _tag_owners(model, instance):
    """(searchable model, pk) of every item carrying the tag: through a link row with a
    ``search_owner`` (a routine's benefits), or taggit's generic one (a technique's tags)."""
    from django.apps import apps

    owners = []
    searchable = registry.searchable_models()
    for relation in model._meta.related_objects:
        if not relation.one_to_many:  # the items' own tag managers: their links are the rows
            continue
        link = relation.related_model
        rows = link._default_manager.filter(**{relation.field.name: instance})
        owner_field = getattr(link, "search_owner", None)
        if owner_field:
            owner = link._meta.get_field(owner_field)
            owners += [(owner.related_model, pk) for pk in rows.values_list(owner.attname, flat=True)]
        elif {"content_type", "object_id"} <= {f.name for f in link._meta.fields}:
            for app_label, model_name, pk in rows.values_list(
                "content_type__app_label", "content_type__model", "object_id"
            ):
                owner_model = apps.get_model(app_label, model_name)
                if owner_model in searchable:
                    owners.append((owner_model, pk))
    return owners


def _relation_changed(sender, instance, action, **kwargs):
    """m2m_changed on a public model's many-to-many table (its tags, related techniques)."""
    if action in RELATION_ACTIONS:
        _touched(_search_owner(type(instance), instance))


def connect():
    """Connect the hook to every public content model (called once, from ContentConfig.ready)."""
    from taggit.models import TagBase

    from .editing import forget_deleted_tag
    from .old_slugs import remember_old_slug
    from .renditions import (
        drop_deleted_illustration,
        drop_replaced_illustration,
        measure_illustration,
        remember_illustration,
    )

    for model in registry.public_models():
        name = model._meta.label_lower
        if hasattr(model, "old_slugs"):
            pre_save.connect(remember_old_slug, sender=model, dispatch_uid=f"old-slug-{name}")
        if model in registry.illustrated_models():
            post_init.connect(remember_illustration, sender=model, dispatch_uid=f"picture-loaded-{name}")
            pre_save.connect(measure_illustration, sender=model, dispatch_uid=f"picture-measure-{name}")
            post_save.connect(drop_replaced_illustration, sender=model, dispatch_uid=f"picture-replaced-{name}")
            post_delete.connect(drop_deleted_illustration, sender=model, dispatch_uid=f"picture-deleted-{name}")
        post_save.connect(_row_changed, sender=model, dispatch_uid=f"changed-save-{name}")
        post_delete.connect(_row_changed, sender=model, dispatch_uid=f"changed-delete-{name}")
        # A renamed tag rebuilds the search text of the items carrying it; a deleted tag (of any
        # vocabulary) leaves every item's history too, so restoring an older version still works.
        if issubclass(model, TagBase):
            post_save.connect(_tag_saved, sender=model, dispatch_uid=f"tag-saved-{name}")
            post_delete.connect(forget_deleted_tag, sender=model, dispatch_uid=f"tag-deleted-forget-history-{name}")
    for through in registry.relation_models():
        m2m_changed.connect(_relation_changed, sender=through, dispatch_uid=f"changed-m2m-{through._meta.label_lower}")
