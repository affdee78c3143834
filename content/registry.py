"""The content models, listed once.

Everything that must follow the content reads this list: the change hook
(content/changes.py: caches and search text), the page cache's schedule, search,
backup and restore (massage_site/backup.py) and the Editors group
(content/editors.py). Adding a content model means adding one line here.

Models are named by label, so this app imports none of the areas that define them.
The order is the order of loading: each row's references come before it.
"""

from dataclasses import dataclass
from functools import cache

from django.apps import apps


@dataclass(frozen=True)
class Kind:
    """One content model and the roles it plays.

    ``public``: its rows show on public pages, so a change drops every cached page.
    ``edited``: editors add, change, delete and view it in the admin (the Editors group).
    """

    label: str
    public: bool = True
    edited: bool = True

    @property
    def model(self):
        return apps.get_model(self.label)


CONTENT = (
    Kind("taggit.Tag"),  # the techniques' tags
    # The routines' three vocabularies, each its own list (routines/models.py).
    Kind("routines.Benefit"),
    Kind("routines.Position"),
    Kind("routines.Equipment"),
    Kind("massage_site.Page"),
    Kind("massage_site.SeedRecord", public=False, edited=False),
    Kind("content.Contributor"),  # before the items that name them as authors and reviewers
    Kind("techniques.Technique"),  # its `related` techniques travel with it (a many-to-many field)
    Kind("techniques.OldSlug"),
    Kind("techniques.Source"),
    Kind("taggit.TaggedItem", edited=False),
    Kind("routines.Routine"),
    Kind("routines.Step"),
    Kind("routines.OldSlug"),
    Kind("routines.Source"),
    Kind("routines.TaggedBenefit", edited=False),
    Kind("routines.TaggedPosition", edited=False),
    Kind("routines.TaggedEquipment", edited=False),
    # Editors' picks for a search: after the techniques, routines and pages they point at.
    Kind("massage_site.SearchPick"),
    # Readers' answers to "Was this page helpful?": on no public page, so a post never drops
    # the page cache. Editors read them and delete a comment that should not be kept; they
    # travel in backups, so a restore keeps them beside the guides' ids they point at.
    Kind("massage_site.Feedback", public=False),
    # What readers searched for, per day (massage_site/search_record.py): editors read it in the admin.
    Kind("massage_site.SearchCount", public=False),
    # History: every saved version of the items above, restorable in the admin.
    Kind("reversion.Revision", public=False, edited=False),
    Kind("reversion.Version", public=False, edited=False),
)


@cache
def content_models():
    """Every content model, references first (the order backup loads them in)."""
    return tuple(kind.model for kind in CONTENT)


@cache
def public_models():
    """Models whose changes show on public pages."""
    return tuple(kind.model for kind in CONTENT if kind.public)


@cache
def edited_models():
    """Models the Editors group maintains."""
    return tuple(kind.model for kind in CONTENT if kind.edited)


@cache
def relation_models():
    """The tables behind the public models' many-to-many fields (tags, related techniques):
    a change there arrives as m2m_changed, with the item as its instance."""
    found = []
    for model in public_models():
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            if through not in found:
                found.append(through)
    return tuple(found)


def _of_kind(base):
    return tuple(model for model in content_models() if issubclass(model, base))


@cache
def publishable_models():
    """Models with a status and a publish time (so with scheduled publications)."""
    from .publishing import Publishable

    return _of_kind(Publishable)


@cache
def illustrated_models():
    """Models with an illustration (pictures backup carries, renditions to make)."""
    from .renditions import Illustrated

    return _of_kind(Illustrated)


@cache
def searchable_models():
    """Models that search finds (each keeps its own folded search text)."""
    from .search_text import Searchable

    return _of_kind(Searchable)
