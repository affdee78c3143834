"""Keep site-wide derived data in step with content: the search catalogue and the page cache."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from taggit.models import Tag, TaggedItem

from routines.models import Routine, Step, TaggedBenefit, TaggedEquipment, TaggedPosition
from techniques.models import Technique

from .models import Page
from .page_cache import bump_generation
from .search import forget_catalogue

CONTENT = (Technique, Routine, Step, Page, Tag, TaggedItem, TaggedBenefit, TaggedPosition, TaggedEquipment)
RELATIONS = (Technique.related.through, TaggedItem, TaggedBenefit, TaggedPosition, TaggedEquipment)


def connect():
    # Search corrects typos against the words and names the site uses.
    for model in (Technique, Routine, Step):
        post_save.connect(forget_catalogue, sender=model, dispatch_uid=f"catalogue-save-{model.__name__}")
        post_delete.connect(forget_catalogue, sender=model, dispatch_uid=f"catalogue-delete-{model.__name__}")
    # Any content change makes every cached page out of date (see page_cache.py).
    for model in CONTENT:
        post_save.connect(bump_generation, sender=model, dispatch_uid=f"pages-save-{model.__name__}")
        post_delete.connect(bump_generation, sender=model, dispatch_uid=f"pages-delete-{model.__name__}")
    for through in RELATIONS:
        m2m_changed.connect(bump_generation, sender=through, dispatch_uid=f"pages-m2m-{through.__name__}")
