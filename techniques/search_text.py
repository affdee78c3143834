"""Text as search sees it: folded so that case, accents, UK/US spelling and plurals meet.

Both the stored search documents and the reader's query go through ``fold``, so
"Pétrissage" finds "petrissage" and "pummeling" finds "pummelling" on any database.
"""

import re
import unicodedata

from django.db import connection

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


def technique_documents(name, aliases, family, definition, how_to, tags):
    """(names, document) for a technique: names weigh most in ranking."""
    names = document(name, aliases)
    return names, document(names, family, definition, how_to, sorted(tags))


def routine_documents(title, body_area, position, summary, intro, cautions, instructions, tags):
    """(names, document) for a routine."""
    names = document(title, body_area)
    return names, document(names, position, summary, intro, cautions, instructions, sorted(tags))


def search_vector():
    """The weighted full-text vector of a row's stored search text (names count most)."""
    from django.contrib.postgres.search import SearchVector

    # 'simple': the text is already folded and stemmed our way (English stemming would make
    # "circulation" match "circular").
    return SearchVector("search_names", weight="A", config="simple") + SearchVector(
        "search_document", weight="C", config="simple"
    )


def store_search_vector(queryset):
    """On PostgreSQL, store the vector for these rows so queries use the GIN index, not to_tsvector per row."""
    if connection.vendor == "postgresql":
        queryset.update(search_vector=search_vector())
