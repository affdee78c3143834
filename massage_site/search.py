"""Site search across the glossary and the routines.

Queries and stored documents are folded the same way (content/search_text.py),
so case, accents, UK/US spelling and plurals never stand between a reader and a
term. A word that appears nowhere is corrected to the closest word the site uses
("kneeding" -> "kneading"), and the page says so. Only published items are found.

Ranking is one SQL expression, the same on every database (see NAME_WORD): a word
in an item's own names outranks one in its keywords (body area, search terms),
which outranks a mention in its text. On PostgreSQL, the items that match are found
through the GIN-indexed full-text vector; elsewhere with LIKE on the same stored
text. Near misses are corrected before searching, on both.
"""

import difflib
import functools
import re
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Case, F, FloatField, Q, TextField, Value, When
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import mark_safe

from content.changes import derived
from content.registry import searchable_models
from content.search_text import fold, split_terms, stem
from routines.models import Routine
from techniques.models import Technique

MAX_QUERY_LENGTH = 100
MAX_WORDS = 8
MAX_RESULTS = 50
CATALOGUE = "search:catalogue:v4"
PICKS = "search:picks:v1"
SEARCH_FIELDS = ("search_names", "search_keywords", "search_document", "search_vector")
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
    item: object = None  # the technique, routine or page, for its picture
    pick: bool = False  # an editors' pick for this search


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
    """Words of everything published, from one query, cached under the content generation.

    {"words": sorted folded words, "titles": [(title, slug, model number), ...] (addresses are
     worked out only for the few offered when nothing is found), "technique_names": {stems of each
     technique name and alias},
     "routine_words": {words of routines' names and keywords: body parts and what readers feel}}
    """
    return derived(CATALOGUE, _build_catalogue)


def _published_rows(*fields):
    """(title, slug, *fields, aliases, model number) of every published searchable item, in one query."""
    # order_by(): SQLite refuses the models' default ordering inside a UNION.
    queries = [
        model.objects.published()
        .order_by()
        .values_list(model.title_field, "slug", *fields, _aliases(model), Value(number))
        for number, model in enumerate(searchable_models())
    ]
    return queries[0].union(*queries[1:], all=True)


def _build_catalogue():
    words, titles, technique_names, routine_words = set(), [], set(), set()
    for name, slug, search_names, keywords, document, aliases, number in _published_rows(
        "search_names", "search_keywords", "search_document"
    ):
        words.update(search_names.split())
        words.update(document.split())
        titles.append((name, slug, number))
        model = searchable_models()[number]
        if model is Technique:
            technique_names.update(_stems(phrase) for phrase in [name, *split_terms(aliases)])
        elif model is Routine:
            routine_words.update(search_names.split() + keywords.split())
    return {
        "words": sorted(words),
        "titles": titles,
        "technique_names": technique_names,
        "routine_words": routine_words,
    }


def picks():
    """{folded search: [(model label, pk), ...]} of the editors' picks, in their order, from one query,
    cached under the content generation."""
    return derived(PICKS, _build_picks)


def _build_picks():
    from .models import SearchPick

    found = {}
    for folded, *targets in SearchPick.objects.order_by("folded", "order", "pk").values_list(
        "folded", *(f"{name}__pk" for name in SearchPick.TARGETS)
    ):
        for name, pk in zip(SearchPick.TARGETS, targets, strict=True):
            if pk is not None:
                found.setdefault(folded, []).append((SearchPick._meta.get_field(name).related_model._meta.label, pk))
    return found


def _aliases(model):
    return "aliases" if model is Technique else Value("")


def _stems(text):
    return tuple(stem(word) for word in fold(text).split())


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


@functools.lru_cache(maxsize=8192)
def _fold_word(word):
    """``fold`` for one word of a result's title or summary (the same words come back page after page)."""
    return fold(word)


def highlight(text, stems):
    """Escape ``text`` and wrap words that match the query in <mark>."""
    out = []
    for piece in _WORD.split(text):
        folded = _fold_word(piece) if piece and piece[0].isalnum() else ""
        if folded and any(folded.startswith(s) or s.startswith(folded) and len(folded) >= 4 for s in stems):
            out.append(f"<mark>{escape(piece)}</mark>")
        else:
            out.append(escape(piece))
    return mark_safe("".join(out))


# Ranking, the same on every database: each word of the query scores by where it is found
# (the best place counts): a whole word of the item's names 8, the start of one 6; a whole
# keyword (area, search terms) 4, the start of one 3; the start of any word of its text 1.
# A name that begins with the first word gets 3 more ("arm": Arms before Under the arm), and a
# query of several words found as a phrase 8 more in the names, 4 in the keywords.
NAME_WORD, NAME_START, KEYWORD_WORD, KEYWORD_START, TEXT = 8, 6, 4, 3, 1
NAME_BEGINS = 3
NAME_PHRASE, KEYWORD_PHRASE = 8, 4
# A routine comes before a technique for a body-part word, a technique before a routine for a
# technique's name (see _preferred).
PREFERRED = 20


def _padded(field):
    return Concat(Value(" "), F(field), Value(" "), output_field=TextField())


def _whole(field, word, s):
    """The word as typed, or its stem, is a whole word of the padded field."""
    whole = Q(**{f"{field}__contains": f" {s} "})
    return whole if word == s else whole | Q(**{f"{field}__contains": f" {word} "})


def _score(words, stems):
    """The score above as one SQL expression, over the stored folded texts."""
    per_word = [
        Case(
            When(_whole("_names", word, s), then=Value(NAME_WORD)),
            When(_names__contains=f" {s}", then=Value(NAME_START)),
            When(_whole("_keywords", word, s), then=Value(KEYWORD_WORD)),
            When(_keywords__contains=f" {s}", then=Value(KEYWORD_START)),
            When(_document__contains=f" {s}", then=Value(TEXT)),
            default=Value(0),
            output_field=FloatField(),
        )
        for word, s in zip(words, stems, strict=True)
    ]
    bonuses = [Case(When(_names__startswith=f" {stems[0]}", then=Value(NAME_BEGINS)), default=Value(0))]
    if len(stems) > 1:
        phrase = " " + " ".join(stems)
        bonuses += [
            Case(When(_names__contains=phrase, then=Value(NAME_PHRASE)), default=Value(0)),
            Case(When(_keywords__contains=phrase, then=Value(KEYWORD_PHRASE)), default=Value(0)),
        ]
    return reduce(lambda a, b: a + b, [*per_word, *bonuses])


def _found(stems):
    """How many of the words the item's text has (as the start of a word)."""
    return reduce(
        lambda a, b: a + b,
        [Case(When(_document__contains=f" {s}", then=Value(1)), default=Value(0)) for s in stems],
    )


def _matching(stems):
    """Items whose text has any of the words as the start of a word.

    On PostgreSQL through the GIN-indexed full-text vector; elsewhere with LIKE on the same
    stored text (the same matches). Near misses are left to ``correct``, which runs first.
    """
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        # Stems are folded to [a-z0-9] only, so a raw prefix query is safe to build.
        return Q(search_vector=SearchQuery(" | ".join(f"{s}:*" for s in stems), search_type="raw", config="simple"))
    return reduce(or_, [Q(_document__contains=f" {s}") for s in stems])


def _rank(model, words, stems, picked=()):
    """(words found, score, item) for the published items of ``model`` that match, best first:
    those with every word, then those with fewer. ``picked``: pks of editors' picks, found whatever
    their text."""
    condition = _matching(stems)
    if picked:
        condition |= Q(pk__in=picked)
    queryset = (
        model.objects.published()
        .defer(*SEARCH_FIELDS)  # scored in the database: the stored text need not travel
        .annotate(_names=_padded("search_names"), _keywords=_padded("search_keywords"))
        .annotate(_document=_padded("search_document"))
        .filter(condition)
        .annotate(score=_score(words, stems), found=_found(stems))
        .order_by("-found", "-score", model.title_field, "pk")[:MAX_RESULTS]
    )
    return [(item.found, item.score, item) for item in queryset]


def _preferred(stems):
    """Which kind of item answers this query best, with the score from which its items get the
    preference: the technique whose name or alias it is ("thumb circles"), or the routines when
    every word is a body part or a feeling that routines name ("calf", "tired legs"); else None."""
    known = catalogue()
    if tuple(stems) in known["technique_names"]:
        return Technique, NAME_START
    if all(any(word.startswith(s) for word in known["routine_words"]) for s in stems):
        return Routine, KEYWORD_START
    return None, 0


def _ranked(words, stems, pinned=()):
    """Results for the items with every word, best first; failing that, those with any (one query
    per searchable model). ``pinned``: (model label, pk) of editors' picks, which come first."""
    found, picked = [], []
    preferred, threshold = _preferred(stems)
    for model in searchable_models():
        kind = model._meta.verbose_name.capitalize()
        pks = [pk for label, pk in pinned if label == model._meta.label]
        ranked = _rank(model, words, stems, pks)
        for _n, score, item in ranked:
            if item.pk in pks:
                result = Result(kind, str(item), item.get_absolute_url(), getattr(item, model.summary_field), score)
                result.item, result.pick = item, True
                picked.append(((model._meta.label, item.pk), result))
        ranked = [(n, score, item) for n, score, item in ranked if item.pk not in pks]
        if model is preferred:  # a uniform lift for the items found by name: their order stays
            ranked = [(n, score + PREFERRED if score >= threshold else score, item) for n, score, item in ranked]
        found += [
            (
                n,
                Result(kind, str(item), item.get_absolute_url(), getattr(item, model.summary_field), score, item=item),
            )
            for n, score, item in ranked
        ]
    if any(n == len(stems) for n, _result in found):
        found = [(n, result) for n, result in found if n == len(stems)]
    results = [result for _n, result in found]
    results.sort(key=lambda r: (-r.score, r.title))
    order = {key: number for number, key in enumerate(pinned)}
    picked.sort(key=lambda pair: order[pair[0]])
    return ([result for _key, result in picked] + results)[:MAX_RESULTS]


def _suggestions(query):
    """(name, url) of the published items whose names are closest to the whole query."""
    by_fold = {fold(name): (name, slug, number) for name, slug, number in catalogue()["titles"]}
    offered = [by_fold[folded] for folded in difflib.get_close_matches(fold(query), list(by_fold), n=3, cutoff=0.5)]
    return [(name, searchable_models()[number](slug=slug).get_absolute_url()) for name, slug, number in offered]


def search(query, exact=False):
    """Search a cleaned query; return an Outcome with results best first.

    ``exact``: search the words as typed, with no correction (the reader asked for it).
    """
    folded = fold(query).split()
    words = [w for w in folded if w not in STOP_WORDS][:MAX_WORDS] or folded[:MAX_WORDS]
    if not words:
        return Outcome([])
    pinned = picks().get(" ".join(folded), ())
    # A search editors picked results for is theirs as typed: never corrected to another word.
    corrected = words if exact or pinned else correct(words)
    stems = [stem(w) for w in corrected]
    # Everything the reader typed first; failing that, anything that matches part of it.
    results = _ranked(corrected, stems, pinned)
    for result in results:
        result.title_html = highlight(result.title, stems)
        result.summary_html = highlight(result.summary, stems)
    outcome = Outcome(results, corrected=" ".join(corrected) if corrected != words else "")
    if not results:
        outcome.suggestions = _suggestions(query)
    return outcome


# Suggestions as you type (the header's search box): a few techniques and routines whose names,
# aliases or search terms have a word starting with each word typed, from one query per model.
SUGGEST_MIN_LETTERS = 2
SUGGESTIONS = 6
SUGGESTED_MODELS = (Technique, Routine)
# A name that begins with the first word comes first, then a word of the names, then a keyword.
SUGGEST_BEGINS, SUGGEST_NAME, SUGGEST_KEYWORD = 3, 2, 1


def suggest_words(query):
    """The folded words to suggest for, or [] when fewer than two letters were typed."""
    folded = fold(query).split()
    words = [w for w in folded if w not in STOP_WORDS][:MAX_WORDS] or folded[:MAX_WORDS]
    if sum(len(word) for word in words) < SUGGEST_MIN_LETTERS:
        return []
    return [stem(word) for word in words]


def _word_starts(stems):
    """Items with every word as the start of a word of their names or keywords.

    On PostgreSQL the GIN-indexed vector (names weigh A, keywords B) narrows the rows first.
    """
    condition = reduce(
        lambda a, b: a & b, [Q(_names__contains=f" {s}") | Q(_keywords__contains=f" {s}") for s in stems]
    )
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        # Stems are folded to [a-z0-9] only, so a raw prefix query is safe to build.
        raw = " & ".join(f"{s}:*AB" for s in stems)
        condition &= Q(search_vector=SearchQuery(raw, search_type="raw", config="simple"))
    return condition


def _picture(item):
    """The address of the item's smallest picture: the picture itself when it is a drawing
    (an SVG scales by itself), else its 320 px WebP rendition; "" when it has none."""
    if not item.illustration:
        return ""
    return item.illustration.url if item.illustration_is_vector else item.illustration_webp_320.url


def suggest(query):
    """[{"title", "type", "url", "picture"}, ...]: the published techniques and routines to offer
    for a query being typed, best first; [] before two letters. One query per model."""
    stems = suggest_words(query)
    if not stems:
        return []
    found = []
    for model in SUGGESTED_MODELS:
        score = Case(
            When(_names__startswith=f" {stems[0]}", then=Value(SUGGEST_BEGINS)),
            When(reduce(lambda a, b: a & b, [Q(_names__contains=f" {s}") for s in stems]), then=Value(SUGGEST_NAME)),
            default=Value(SUGGEST_KEYWORD),
        )
        items = (
            model.objects.published()
            .only(model.title_field, "slug", "illustration")
            .annotate(_names=_padded("search_names"), _keywords=_padded("search_keywords"))
            .filter(_word_starts(stems))
            .annotate(score=score)
            .order_by("-score", model.title_field, "pk")[:SUGGESTIONS]
        )
        kind = model._meta.verbose_name.capitalize()
        found += [(item.score, str(item), kind, item) for item in items]
    found.sort(key=lambda row: (-row[0], row[1].casefold()))
    return [
        {"title": title, "type": kind, "url": item.get_absolute_url(), "picture": _picture(item)}
        for _score, title, kind, item in found[:SUGGESTIONS]
    ]
