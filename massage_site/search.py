"""Site search across the glossary and the routines.

A portable first version: every word of the query must appear somewhere in an
item; matches in the name or title count most. Only published items are found.
"""

from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.db.models import Q

from routines.models import Routine
from techniques.models import Technique

MAX_QUERY_LENGTH = 100
MAX_WORDS = 8


@dataclass
class Result:
    kind: str
    title: str
    url: str
    summary: str
    score: int


def clean_query(raw):
    """The query as searched: whitespace folded, control characters dropped, length capped."""
    printable = "".join(ch if ch.isprintable() else " " for ch in raw or "")
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def query_words(query):
    return [word for word in query.lower().split() if word][:MAX_WORDS]


def _all_words(words, fields):
    """Each word must appear in at least one of the fields."""
    return reduce(and_, (reduce(or_, (Q(**{f"{field}__icontains": w}) for field in fields)) for w in words))


def _score(words, title, other_names=""):
    title, other_names = title.lower(), other_names.lower()
    return sum(3 if w in title else 2 if w in other_names else 1 for w in words)


def search(query):
    """Return results for a cleaned query, best first."""
    words = query_words(query)
    if not words:
        return []
    technique_fields = ["name", "aliases", "definition", "how_to", "tags__name"]
    routine_fields = [
        "title",
        "body_area",
        "position",
        "summary",
        "intro",
        "cautions",
        "steps__instruction",
        "benefits__name",
    ]
    results = [
        Result("Technique", t.name, t.get_absolute_url(), t.definition, _score(words, t.name, t.aliases))
        for t in Technique.objects.published().filter(_all_words(words, technique_fields)).distinct()
    ]
    results += [
        Result("Routine", r.title, r.get_absolute_url(), r.summary, _score(words, r.title, r.body_area))
        for r in Routine.objects.published().filter(_all_words(words, routine_fields)).distinct()
    ]
    return sorted(results, key=lambda r: (-r.score, r.title))
