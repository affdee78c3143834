"""Site search across the glossary and the routines.

Queries and stored documents are folded the same way (content/search_text.py),
so case, accents, UK/US spelling and plurals never stand between a reader and a
term. A word that appears nowhere is corrected to the closest word the site uses
("kneeding" -> "kneading"), and the page says so. Only published items are found.

On PostgreSQL, ranking uses full-text search (names weigh most) plus trigram
similarity on names; elsewhere a portable scorer gives the same top results on the
seeded content.
"""

import difflib
import re
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.db import connection
from django.db.models import Q, Value
from django.utils.html import escape
from django.utils.safestring import mark_safe

from content.changes import derived
from content.registry import searchable_models
from content.search_text import fold, stem

MAX_QUERY_LENGTH = 100
MAX_WORDS = 8
MAX_RESULTS = 50
CATALOGUE = "search:catalogue:v2"
# Words that carry no meaning for this site ("that thing with the fist" -> "fist").
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "at",
        "be",
        "but",
        "by",
        "can",
        "do",
        "for",
        "from",
        "how",
        "i",
        "in",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "so",
        "that",
        "the",
        "thing",
        "this",
        "to",
        "what",
        "when",
        "where",
        "which",
        "with",
        "you",
        "your",
    ]
)
_WORD = re.compile(r"(\w+)")


@dataclass
class Result:
    kind: str
    title: str
    url: str
    summary: str
    score: float
    title_html: str = ""
    summary_html: str = ""
    item: object = None  # the technique or routine, for its picture


@dataclass
class Outcome:
    results: list
    corrected: str = ""  # the query as searched, when a word was corrected
    suggestions: list = None  # names to offer when nothing matched


def clean_query(raw):
    """The query as typed, made safe to show: control characters dropped, length capped."""
    printable = "".join(ch if ch.isprintable() else " " for ch in raw or "")
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def catalogue():
    """Words and names of everything published, from one query, cached under the content generation.

    {"words": sorted folded words, "names": [(folded name, name, url), ...]}
    """
    return derived(CATALOGUE, _build_catalogue)


def _build_catalogue():
    fields = ("slug", "search_names", "search_document")
    # order_by(): SQLite refuses the models' default ordering inside a UNION.
    queries = [
        model.objects.published().order_by().values_list(model.title_field, *fields, Value(number))
        for number, model in enumerate(searchable_models())
    ]
    words, names = set(), []
    for name, slug, search_names, document, number in queries[0].union(*queries[1:], all=True):
        words.update(search_names.split())
        words.update(document.split())
        names.append((fold(name), name, searchable_models()[number](slug=slug).get_absolute_url()))
    return {"words": sorted(words), "names": names}


def correct(words):
    """Replace each word the site never uses with its closest known word."""
    known = catalogue()["words"]
    corrected = []
    for word in words:
        if any(stem(word) in candidate for candidate in known):
            corrected.append(word)
            continue
        close = difflib.get_close_matches(word, known, n=1, cutoff=0.75)
        corrected.append(close[0] if close else word)
    return corrected


def highlight(text, stems):
    """Escape ``text`` and wrap words that match the query in <mark>."""
    out = []
    for piece in _WORD.split(text):
        folded = fold(piece) if piece and piece[0].isalnum() else ""
        if folded and any(folded.startswith(s) or s.startswith(folded) and len(folded) >= 4 for s in stems):
            out.append(f"<mark>{escape(piece)}</mark>")
        else:
            out.append(escape(piece))
    return mark_safe("".join(out))


def _portable_rank(model, stems, match_all):
    """Items containing every stem (or any, when match_all is false), scored per stem:
    a whole name 4, the start of a name 3, anywhere in the text 1."""
    conditions = [Q(search_document__contains=s) for s in stems]
    combined = reduce(and_ if match_all else or_, conditions)
    scored = []
    for item in model.objects.published().filter(combined)[: MAX_RESULTS * 4]:
        names = item.search_names.split()
        score = 0.0
        for s in stems:
            if s in names:
                score += 4
            elif any(name.startswith(s) for name in names):
                score += 3
            elif s in item.search_document:
                score += 1
        scored.append((score, item))
    return scored


def _postgres_rank(model, stems, match_all):
    """Full-text match and rank on the stored, GIN-indexed vector (names weigh most), with
    trigram similarity on names for near misses."""
    from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
    from django.db.models import F

    joiner = " & " if match_all else " | "
    # Stems are folded to [a-z0-9] only, so a raw prefix query is safe to build.
    query = SearchQuery(joiner.join(f"{s}:*" for s in stems), search_type="raw", config="simple")
    queryset = (
        model.objects.published()
        .annotate(similarity=TrigramWordSimilarity(" ".join(stems), "search_names"))
        .filter(Q(search_vector=query) | Q(similarity__gte=0.7))
        .annotate(score=SearchRank(F("search_vector"), query) + F("similarity") * 0.5)
        .order_by("-score", "pk")[:MAX_RESULTS]
    )
    return [(item.score, item) for item in queryset]


def _ranked(stems, match_all):
    rank = _postgres_rank if connection.vendor == "postgresql" else _portable_rank
    results = []
    for model in searchable_models():
        kind = model._meta.verbose_name.capitalize()
        results += [
            Result(kind, str(item), item.get_absolute_url(), getattr(item, model.summary_field), score, item=item)
            for score, item in rank(model, stems, match_all)
        ]
    results.sort(key=lambda r: (-r.score, r.title))
    return results[:MAX_RESULTS]


def _suggestions(query):
    """(name, url) of the published items whose names are closest to the whole query."""
    by_fold = {folded: (name, url) for folded, name, url in catalogue()["names"]}
    return [by_fold[f] for f in difflib.get_close_matches(fold(query), list(by_fold), n=3, cutoff=0.5)]


def search(query):
    """Search a cleaned query; return an Outcome with results best first."""
    folded = fold(query).split()
    words = [w for w in folded if w not in STOP_WORDS][:MAX_WORDS] or folded[:MAX_WORDS]
    if not words:
        return Outcome([])
    corrected = correct(words)
    stems = [stem(w) for w in corrected]
    # Everything the reader typed first; failing that, anything that matches part of it.
    results = _ranked(stems, match_all=True) or (_ranked(stems, match_all=False) if len(stems) > 1 else [])
    for result in results:
        result.title_html = highlight(result.title, stems)
        result.summary_html = highlight(result.summary, stems)
    outcome = Outcome(results, corrected=" ".join(corrected) if corrected != words else "")
    if not results:
        outcome.suggestions = _suggestions(query)
    return outcome
