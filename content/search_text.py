"""Text as search sees it: folded so that case, accents, UK/US spelling and plurals meet.

Both the stored search documents and the reader's query go through ``fold``, so
"Pétrissage" finds "petrissage" and "pummeling" finds "pummelling" on any database.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchVectorField
from django.db import connection, models

_NOT_WORD = re.compile(r"[^a-z0-9]+")
_DOUBLED = re.compile(r"([a-z])\1+")
_SUFFIXES = ("ings", "ing", "ers", "ed", "es", "s")


def fold(text):
    """Lower case, no accents, no punctuation, doubled letters single, -our as -or."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    text = _NOT_WORD.sub(" ", text)
    text = _DOUBLED.sub(r"\1", text)
    text = text.replace("our", "or")  # colour/color, favourite/favorite
    return " ".join(text.split())


def stem(word):
    """A light stem for matching inside words: kneads, kneading, kneaded -> knead."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def document(*parts):
    """One folded search document from any number of text parts (None and lists allowed)."""
    flat = []
    for part in parts:
        if isinstance(part, str):
            flat.append(part)
        elif part:
            flat.extend(str(p) for p in part)
    return fold(" ".join(flat))


def documents(names, details):
    """(names, document) for an item: its folded names, which weigh most in ranking, and
    the folded whole (names first, then every detail). Tags and lists may be passed as lists.
    (Kept for the migrations that filled the first search texts; see ``search_texts``.)"""
    folded = document(*names)
    return folded, document(folded, *details)


def search_texts(names, keywords, details):
    """(names, keywords, document) for an item: its folded names, which weigh most in ranking,
    its folded keywords (body area, search terms), which weigh next, and the folded whole
    (names, keywords, then every detail). Tags and lists may be passed as lists."""
    folded, folded_keywords = document(*names), document(*keywords)
    return folded, folded_keywords, document(folded, folded_keywords, *details)


def split_terms(text):
    """Comma-separated words as a list, blanks dropped: "calf, sole," -> ["calf", "sole"]."""
    return [term.strip() for term in (text or "").split(",") if term.strip()]


def search_vector():
    """The weighted full-text vector of a row's stored search text (names count most, then keywords)."""
    from django.contrib.postgres.search import SearchVector

    # 'simple': the text is already folded and stemmed our way (English stemming would make
    # "circulation" match "circular").
    return (
        SearchVector("search_names", weight="A", config="simple")
        + SearchVector("search_keywords", weight="B", config="simple")
        + SearchVector("search_document", weight="C", config="simple")
    )


def store_search_vector(queryset):
    """On PostgreSQL, store the vector for these rows so queries use the GIN index, not to_tsvector per row."""
    if connection.vendor == "postgresql":
        queryset.update(search_vector=search_vector())


class Searchable(models.Model):
    """An item search finds: its folded search text, stored, rebuilt after every change.

    Subclasses say what their text is made of (``search_parts``), which rows to read it
    from (``search_rows``), and which fields title and summarise a result. The change
    hook (content/changes.py) calls ``refresh_search_texts`` once per change.
    """

    # Words that find the item without being shown as its names, kept by editors.
    search_terms = models.CharField(
        "search terms",
        max_length=500,
        blank=True,
        help_text="Everyday words readers might search for that are not already a name here, separated by "
        "commas: body parts, everyday and anatomical (calf, sole, shoulder blade), and what readers feel "
        "(tension, stiffness, tired legs). Never shown on the page; search ranks them just below the name.",
    )
    # Folded text for search (see fold), rebuilt after every change.
    search_names = models.TextField(editable=False, blank=True, default="")
    search_keywords = models.TextField(editable=False, blank=True, default="")
    search_document = models.TextField(editable=False, blank=True, default="")
    # PostgreSQL only: the weighted full-text vector of the two fields above, GIN-indexed.
    search_vector = SearchVectorField(null=True, editable=False)

    title_field = "title"
    summary_field = "summary"

    class Meta:
        abstract = True

    @classmethod
    def search_rows(cls, pks):
        """The items with these pks, with whatever ``search_parts`` reads prefetched."""
        return cls._default_manager.filter(pk__in=pks)

    def search_parts(self):
        """(names, keywords, details): lists of text; names weigh most in ranking, then keywords
        (the item's search terms are added to them)."""
        raise NotImplementedError

    @property
    def search_term_list(self):
        return split_terms(self.search_terms)

    def refresh_search_text(self):
        """Rebuild this item's stored search text (without touching updated_at)."""
        type(self).refresh_search_texts([self])

    @classmethod
    def refresh_search_texts(cls, items):
        """Rebuild the stored search text of ``items`` (objects or pks) in a few queries, however many.

        Objects given are updated too. Bulk loads send no save signals, so they call this.
        """
        given = {getattr(item, "pk", item): item for item in items}
        fresh = list(cls.search_rows(list(given)))
        fields = ["search_names", "search_keywords", "search_document"]
        for row in fresh:
            names, keywords, details = row.search_parts()
            row.search_names, row.search_keywords, row.search_document = search_texts(
                names, [*keywords, row.search_term_list], details
            )
            target = given[row.pk]
            if isinstance(target, cls):
                for name in fields:
                    setattr(target, name, getattr(row, name))
        cls._default_manager.bulk_update(fresh, fields, batch_size=500)
        store_search_vector(cls._default_manager.filter(pk__in=given))
