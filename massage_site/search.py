"""Site search across the glossary and the routines.

Queries and stored documents are folded the same way (content/search_text.py),
so case, accents, UK/US spelling and plurals never stand between a reader and a
term. A word that appears nowhere is corrected to the closest word the site uses
("kneeding" -> "kneading"), and the page says so. Only published items are found.

Ranking is one SQL expression, the same on every database (see NAME_WORD): a word
in an item's own names outranks one in its keywords (body area, search terms),
which outranks a mention in its text. One UNION query ranks every kind of item
together and returns only what a result shows; results come PAGE_SIZE a page. On
PostgreSQL, the text is tested through the GIN-indexed full-text vector; elsewhere
with LIKE on the same stored text. Near misses are corrected before searching, on both.
"""

import difflib
import functools
import re
from dataclasses import dataclass
from functools import reduce

from django.db import connection
from django.db.models import BooleanField, Case, F, FloatField, Func, IntegerField, Q, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from content.changes import derived, rendered_from_before
from content.registry import searchable_models
from content.search_text import fold, split_terms, stem
from routines.models import Routine
from techniques.models import Technique

MAX_QUERY_LENGTH = 100
MAX_WORDS = 8
MAX_RESULTS = 100
PAGE_SIZE = 20
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
    total: int = 0  # results on every page (at most MAX_RESULTS)
    more: bool = False  # more items matched than MAX_RESULTS: the best of them are shown
    page: int = 1
    pages: int = 1

    @property
    def first(self):
        """The place of this page's first result among all the results."""
        return (self.page - 1) * PAGE_SIZE + 1


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
    return derived(CATALOGUE, _build_catalogue, meanwhile=True)


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


def correct(words, known):
    """Replace each word the site never uses (``known``: the catalogue's words) with its closest known word."""
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


class _Padded(Func):
    """The stored text with a space at each end, so that " word " finds a whole word. The stored
    texts are never NULL: plain || serves on every database (Concat would wrap each part in
    COALESCE, compiled again at every mention in the score)."""

    template = "(' ' || %(expressions)s || ' ')"
    output_field = TextField()


def _padded(field):
    return _Padded(F(field))


# The score is written as SQL by hand, with the words as parameters: built from ORM expressions
# it took longer to compile than the database took to run it. Each part of the UNION below reads
# one table, so the column names need no table; stems and words are folded to [a-z0-9] only, so
# they carry no LIKE wildcard.


def _like(column, pattern):
    """(sql, params): the padded column matches ``pattern`` ("% word %": a whole word)."""
    return f"(' ' || {column} || ' ') LIKE %s", [pattern]


def _any(*tests):
    return "(" + " OR ".join(sql for sql, _params in tests) + ")", [p for _sql, params in tests for p in params]


def _has_word(column, word, s):
    """The word as typed, or its stem, is a whole word of the column."""
    return _any(*(_like(column, f"% {w} %") for w in dict.fromkeys((s, word))))


def _in_text(*stems):
    """(sql, params): the item's text (which holds its names and keywords too) has any of the words
    as the start of a word.

    On PostgreSQL through the full-text vector of that text (GIN-indexed, and far cheaper to test
    row by row than the text itself); elsewhere with LIKE on the stored text: the same matches.
    """
    if connection.vendor == "postgresql":
        return "search_vector @@ to_tsquery('simple', %s)", [" | ".join(f"{s}:*" for s in stems)]
    return _any(*(_like("search_document", f"% {s}%") for s in stems))


def _case(*whens):
    """CASE over (test, points) pairs, the first test that holds giving its points, else 0."""
    sql = " ".join(f"WHEN {test} THEN {points}" for (test, _params), points in whens)
    return f"CASE {sql} ELSE 0 END", [p for (_test, params), _points in whens for p in params]


def _sum(*parts):
    return "(" + " + ".join(sql for sql, _params in parts) + ")", [p for _sql, params in parts for p in params]


def _score(words, stems):
    """(sql, params): the score above, over the stored folded texts."""
    per_word = [
        _case(
            (_has_word("search_names", word, s), NAME_WORD),
            (_like("search_names", f"% {s}%"), NAME_START),
            (_has_word("search_keywords", word, s), KEYWORD_WORD),
            (_like("search_keywords", f"% {s}%"), KEYWORD_START),
            # Every item found has the only word of a one-word search in its text.
            (("1 = 1", []) if len(stems) == 1 else _in_text(s), TEXT),
        )
        for word, s in zip(words, stems, strict=True)
    ]
    bonuses = [_case((_like("search_names", f" {stems[0]}%"), NAME_BEGINS))]
    if len(stems) > 1:
        phrase = " ".join(stems)
        bonuses += [
            _case((_like("search_names", f"% {phrase}%"), NAME_PHRASE)),
            _case((_like("search_keywords", f"% {phrase}%"), KEYWORD_PHRASE)),
        ]
    return _sum(*per_word, *bonuses)


def _found(stems):
    """(sql, params): how many of the words the item's text has (as the start of a word); each
    item found has the only word of a one-word search."""
    if len(stems) == 1:
        return "1", []
    return _sum(*(_case((_in_text(s), 1)) for s in stems))


def _lifted(score, threshold, points):
    """(sql, params): the score, ``points`` more when it reaches ``threshold``."""
    sql, params = score
    return f"CASE WHEN {sql} >= {threshold} THEN {sql} + {points} ELSE {sql} END", params * 3


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


# A ranked row, the same columns for every searchable model: what its result shows, filled from
# the model's own fields where it has them (a page has no picture), so that one query ranks them all
# and no full item is loaded.
RESULT_COLUMNS = ("title", "summary", "body", "illustration", "illustration_alt", "illustration_width")
RESULT_COLUMNS += ("illustration_height",)


def _result_fields(model):
    """{column: the model's field that fills it} for the columns above the model has."""
    names = {field.name for field in model._meta.concrete_fields}
    summary = model.summary_field if model.summary_field in names else "summary"  # a page: summary, else body
    wanted = {"title": model.title_field, "summary": summary}
    wanted |= {column: column for column in RESULT_COLUMNS if column not in wanted}
    return {column: field for column, field in wanted.items() if field in names}


def _ranking(number, model, words, stems, picked, lift):
    """The published items of ``model`` that match (or are picked), as rows of the union below.

    ``lift``: (threshold, points) for the preferred kind of item, whose items found by name are
    lifted uniformly (their order among themselves stays), or None."""
    sql, params = _in_text(*stems)
    if picked:  # the editors' picks are found whatever their text
        sql = f"({sql} OR {model._meta.pk.column} IN ({', '.join(['%s'] * len(picked))}))"
        params = [*params, *picked]
    score = _score(words, stems)
    rank = _lifted(score, *lift) if lift else score
    fields = _result_fields(model)
    empty = {"illustration_width": Value(0), "illustration_height": Value(0)}
    columns = {f"_{c}": F(fields[c]) if c in fields else empty.get(c, Value("")) for c in RESULT_COLUMNS}
    pick = Case(When(pk__in=picked, then=Value(1)), default=Value(0)) if picked else Value(0)
    return (
        model.objects.published()
        .order_by()  # SQLite refuses an ordering inside a UNION; the union is ordered as a whole
        .filter(RawSQL(sql, params, output_field=BooleanField()))
        .annotate(
            found=RawSQL(*_found(stems), output_field=IntegerField()),
            _rank=RawSQL(*rank, output_field=FloatField()),
            _pick=pick,
            **columns,
        )
        .values_list(Value(number), "pk", "slug", "found", "_rank", "_pick", *columns)
    )


@dataclass
class _Row:
    model: type
    pk: int
    slug: str
    found: int
    score: float
    pick: bool
    columns: dict

    def item(self):
        """An unsaved instance holding what the result shows (title, summary, picture), for its
        address and thumbnail."""
        fields = _result_fields(self.model)
        return self.model(pk=self.pk, slug=self.slug, **{fields[c]: v for c, v in self.columns.items() if c in fields})


def _ranked(words, stems, pinned=()):
    """Results for the items with every word, best first; failing that, those with any; the editors'
    picks (``pinned``: (model label, pk)) first, in their order. One query for every model."""
    preferred, threshold = _preferred(stems)
    models = searchable_models()
    queries = []
    for number, model in enumerate(models):
        picked = [pk for label, pk in pinned if label == model._meta.label]
        lift = (threshold, PREFERRED) if model is preferred else None
        queries.append(_ranking(number, model, words, stems, picked, lift))
    union = queries[0].union(*queries[1:], all=True).order_by("-_pick", "-found", "-_rank", "_title")
    rows = [
        _Row(models[number], pk, slug, found, score, bool(pick), dict(zip(RESULT_COLUMNS, columns, strict=True)))
        for number, pk, slug, found, score, pick, *columns in union[: MAX_RESULTS + 1]  # one more: "more than"
    ]
    order = {key: place for place, key in enumerate(pinned)}
    picks_first = sorted((row for row in rows if row.pick), key=lambda row: order[(row.model._meta.label, row.pk)])
    found = [row for row in rows if not row.pick]
    if found and found[0].found == len(stems):  # ordered by words found first
        found = [row for row in found if row.found == len(stems)]
    found.sort(key=lambda row: (-row.score, row.columns["title"]))
    return picks_first + found


def _result(row):
    item = row.item()
    kind = row.model._meta.verbose_name.capitalize()
    summary = getattr(item, row.model.summary_field)
    return Result(kind, str(item), item.get_absolute_url(), summary, row.score, item=item, pick=row.pick)


def _suggestions(query):
    """(name, url) of the published items whose names are closest to the whole query."""
    by_fold = {fold(name): (name, slug, number) for name, slug, number in catalogue()["titles"]}
    offered = [by_fold[folded] for folded in difflib.get_close_matches(fold(query), list(by_fold), n=3, cutoff=0.5)]
    return [(name, searchable_models()[number](slug=slug).get_absolute_url()) for name, slug, number in offered]


def search(query, exact=False, page=1):
    """Search a cleaned query; return an Outcome with the results of ``page``, best first.

    ``exact``: search the words as typed, with no correction (the reader asked for it).
    """
    folded = fold(query).split()
    words = [w for w in folded if w not in STOP_WORDS][:MAX_WORDS] or folded[:MAX_WORDS]
    if not words:
        return Outcome([])
    pinned = picks().get(" ".join(folded), ())
    # A search editors picked results for is theirs as typed: never corrected to another word.
    corrected = words if exact or pinned else correct(words, catalogue()["words"])
    stems = [stem(w) for w in corrected]
    rows = None
    if corrected != words and rendered_from_before():
        # Just after a change the catalogue is the one from before it, which may lack a word just
        # added: a search whose every word the text has now stays as typed.
        as_typed = _ranked(words, [stem(w) for w in words], pinned)
        if as_typed and as_typed[0].found == len(words):
            corrected, stems, rows = words, [stem(w) for w in words], as_typed
    # Everything the reader typed first; failing that, anything that matches part of it.
    if rows is None:
        rows = _ranked(corrected, stems, pinned)
    more = len(rows) > MAX_RESULTS
    rows = rows[:MAX_RESULTS]
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    # Only the page shown is made into results and highlighted.
    results = [_result(row) for row in rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]]
    for result in results:
        result.title_html = highlight(result.title, stems)
        result.summary_html = highlight(result.summary, stems)
    outcome = Outcome(results, corrected=" ".join(corrected) if corrected != words else "")
    outcome.total, outcome.more, outcome.page, outcome.pages = len(rows), more, page, pages
    if not rows:
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
