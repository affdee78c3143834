"""Link glossary terms wherever they appear in guide text.

Any published technique's name or alias, including common inflections ("knead",
"kneads", "kneaded" for Kneading; "pummel", "pummeling" for Pummelling), becomes a
link to its glossary entry with its definition as a preview. Only the first mention
of each term in a block is linked; nothing inside an existing link or a heading is
touched; a term never links to the page it is on.

The term list comes from the cache (one query after an editor's change, none
otherwise); it is dropped whenever a technique is saved or deleted, so edits show
on the next page load. Publish times are checked at render time, so a scheduled
technique starts being linked the moment it goes live.
"""

import hashlib
import re
from functools import lru_cache

from django.core.cache import cache
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Technique
from .publishing import Status

CACHE_KEY = "techniques:term-index:v2"
_TAG = re.compile(r"(<[^>]*>)")
_OPENING = re.compile(r"<\s*(a|h[1-6])\b", re.IGNORECASE)
_CLOSING = re.compile(r"<\s*/\s*(a|h[1-6])\s*>", re.IGNORECASE)
_VOWELS = set("aeiou")


def word_forms(word):
    """Common English inflections of one word, as a set of lower-case strings."""
    word = word.lower()
    forms = {word}
    if word.endswith("ing") and len(word) > 5:
        stem = word[:-3]  # knead, tapp, knuckl, strok, pummell
        forms |= {stem + "ed", stem + "s"}
        if len(stem) > 2 and stem[-1] == stem[-2]:
            stem = stem[:-1]  # tapp -> tap, pummell -> pummel
            forms |= {stem, stem + "s", stem + "ing", stem + "ed"}
        elif stem[-1] not in _VOWELS and stem[-2:-1] and stem[-2] not in _VOWELS and stem[-1] in "lr":
            forms |= {stem + "e", stem + "es", stem + "ed"}  # knuckl -> knuckle
        elif len(stem) > 2 and stem[-1] not in _VOWELS and stem[-2] in _VOWELS and stem[-3] not in _VOWELS:
            forms |= {stem + "e", stem + "es", stem + "ed"}  # strok -> stroke
        forms |= {stem, stem + "s"}
    elif word[-1:].isalpha() and word[-1] not in "sy":
        forms |= {word + "s", word + "es", word + "ed", word + "ing"}
        if len(word) > 2 and word[-1] not in _VOWELS and word[-2] in _VOWELS:
            forms |= {word + word[-1] + "ing", word + word[-1] + "ed"}  # pummel -> pummelling
    return forms


def phrase_pattern(phrase):
    """A regex matching the phrase with each word in any of its forms."""
    words = phrase.split()
    if not words:
        return None
    parts = ["(?:" + "|".join(sorted(map(re.escape, word_forms(w)), key=len, reverse=True)) + ")" for w in words]
    return r"\s+".join(parts)


def _load_terms():
    """Every technique that is or will be published, as plain data for the cache."""
    techniques = Technique.objects.filter(status=Status.PUBLISHED).only(
        "name", "slug", "aliases", "definition", "publish_at", "family"
    )
    return [
        {
            "slug": t.slug,
            "name": t.name,
            "url": t.get_absolute_url(),
            "definition": t.definition,
            "publish_at": t.publish_at,
            "family": t.family,
            "phrases": [t.name, *t.alias_list],
        }
        for t in techniques
    ]


def terms():
    data = cache.get(CACHE_KEY)
    if data is None:
        data = _load_terms()
        cache.set(CACHE_KEY, data, None)
    return data


def live_terms(exclude_slug=None):
    """The cached terms that are live right now, optionally without one of them."""
    now = timezone.now()
    return [t for t in terms() if t["publish_at"] <= now and t["slug"] != exclude_slug]


def family_terms(technique):
    """Other live techniques of the same family, A to Z, from the cached term list."""
    members = [t for t in live_terms(technique.slug) if t["family"] == technique.family]
    return sorted(members, key=lambda t: t["name"].lower())


def forget_terms(**kwargs):
    """Signal receiver: drop the cached term list after any technique change."""
    cache.delete(CACHE_KEY)


@lru_cache(maxsize=64)
def _matcher(entries):
    """One compiled regex for a tuple of (slug, phrases); group names map back to slugs."""
    alternatives = []
    for index, (_slug, phrases) in enumerate(entries):
        patterns = [p for p in map(phrase_pattern, phrases) if p]
        if patterns:
            body = "|".join(sorted(patterns, key=len, reverse=True))
            alternatives.append(f"(?P<t{index}>{body})")
    if not alternatives:
        return None
    # Longest phrases first across terms, so "circular thumb pressure" wins over "thumb".
    alternatives.sort(key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


def link_terms(html, exclude_slug=None):
    """Return ``html`` (already-safe HTML) with the first mention of each live term linked."""
    live = live_terms(exclude_slug)
    entries = tuple((t["slug"], tuple(t["phrases"])) for t in live)
    matcher = _matcher(entries)
    if matcher is None or not html:
        return mark_safe(html)
    by_index = {f"t{i}": term for i, term in enumerate(live)}
    linked = set()
    # Ids derive from the block's text, so a page renders the same bytes every time.
    block_id = hashlib.blake2s(str(html).encode(), digest_size=4).hexdigest()

    def replace(match):
        term = by_index[match.lastgroup]
        if term["slug"] in linked:
            return match.group(0)
        linked.add(term["slug"])
        tip = f"tip-{block_id}-{term['slug']}"
        return (
            f'<span class="term-ref"><a class="term-link" href="{escape(term["url"])}" aria-describedby="{tip}">'
            f'{match.group(0)}</a><span class="term-tip" role="tooltip" id="{tip}">'
            f"<strong>{escape(term['name'])}</strong> {escape(term['definition'])}</span></span>"
        )

    out, protected = [], 0
    for piece in _TAG.split(str(html)):
        if piece.startswith("<"):
            if _OPENING.match(piece):
                protected += 1
            elif _CLOSING.match(piece):
                protected = max(0, protected - 1)
            out.append(piece)
        elif protected or not piece:
            out.append(piece)
        else:
            out.append(matcher.sub(replace, piece))
    return mark_safe("".join(out))
