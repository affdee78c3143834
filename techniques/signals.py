"""Keep derived data in step with techniques: term links, search text, old addresses, history."""

from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from .editing import forget_deleted_tag
from .models import Technique
from .old_slugs import remember_old_slug
from .renditions import drop_replaced_illustration, measure_illustration, remember_illustration
from .term_links import forget_terms

pre_save.connect(remember_old_slug, sender=Technique, dispatch_uid="technique-old-slug")


@receiver(post_save, sender=Technique, dispatch_uid="technique-saved")
def technique_saved(sender, instance, raw=False, **kwargs):
    forget_terms()
    if not raw:
        instance.refresh_search_text()


@receiver(post_delete, sender=Technique, dispatch_uid="technique-deleted")
def technique_deleted(sender, **kwargs):
    forget_terms()


@receiver(m2m_changed, sender=TaggedItem, dispatch_uid="technique-tags-changed")
def technique_tags_changed(sender, instance, action, **kwargs):
    if isinstance(instance, Technique) and action in {"post_add", "post_remove", "post_clear"}:
        instance.refresh_search_text()


# A deleted tag leaves every item's history too, so restoring an older version still works.
post_delete.connect(forget_deleted_tag, sender=Tag, dispatch_uid="tag-deleted-forget-history")


# Picture bookkeeping: size on save, and cleanup of a replaced picture (see techniques/renditions.py).
post_init.connect(remember_illustration, sender=Technique, dispatch_uid="technique-illustration-loaded")
pre_save.connect(measure_illustration, sender=Technique, dispatch_uid="technique-illustration-measure")
post_save.connect(drop_replaced_illustration, sender=Technique, dispatch_uid="technique-illustration-replaced")
