"""Link glossary terms wherever they appear in guide text.

Any published technique's name or alias, including common inflections ("knead",
"kneads", "kneaded" for Kneading; "pummel", "pummeling" for Pummelling), becomes a
link to its glossary entry with its definition as a preview. Only the first mention
of each term in a block is linked; nothing inside an existing link or a heading is
touched; a term never links to the page it is on.

The term list comes from the cache (one query after an editor's change, none
otherwise), filed under the content generation (content/changes.py), so edits show
on the next page load. Publish times are checked at render time, so a scheduled
technique starts being linked the moment it goes live.
"""

import hashlib
import re
from functools import lru_cache

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from content.changes import derived
from content.publishing import Status

from .models import Technique, split_aliases

TERMS = "techniques:term-index:v3"
_TAG = re.compile(r"(<[^>]*>)")
_OPENING = re.compile(r"<\s*(a|h[1-6])\b", re.IGNORECASE)
_CLOSING = re.compile(r"<\s*/\s*(a|h[1-6])\s*>", re.IGNORECASE)
_VOWELS = set("aeiou")
_WORD = re.compile(r"[^\W\d_]+")
# A term glued to these is part of another word ("self-massage", "tap2"), not a term.
# "&" too: a word right after it is an HTML entity (&quot;), never a term.
_JOINERS = set("-_&0123456789")


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


def _load_terms():
    """Every technique that is or will be published, as plain data for the cache."""
    # Each address from one worked out once (a slug is plain ASCII, so it goes in as it is):
    # a reverse() per technique was half the cost of the list at a thousand techniques.
    marker = "term-slug-marker"
    address = Technique(slug=marker).get_absolute_url()
    rows = Technique.objects.filter(status=Status.PUBLISHED).values_list(
        "slug", "name", "aliases", "definition", "publish_at", "family"
    )
    return [
        {
            "slug": slug,
            "name": name,
            "url": address.replace(marker, slug),
            "definition": definition,
            "publish_at": publish_at,
            "family": family,
            "phrases": [name, *split_aliases(aliases)],
        }
        for slug, name, aliases, definition, publish_at, family in rows
    ]


def terms():
    """Every technique that is or will be published, cached under the content generation."""
    return derived(TERMS, _load_terms)


def live_terms(exclude_slug=None):
    """The cached terms that are live right now, optionally without one of them."""
    now = timezone.now()
    return [t for t in terms() if t["publish_at"] <= now and t["slug"] != exclude_slug]


FAMILY_SHOWN = 8


def family_terms(technique):
    """Up to FAMILY_SHOWN other live techniques of the same family, A to Z, from the cached term list."""
    members = [t for t in live_terms(technique.slug) if t["family"] == technique.family]
    return sorted(members, key=lambda t: t["name"].lower())[:FAMILY_SHOWN]


@lru_cache(maxsize=64)
def _index(entries):
    """First word form -> [(forms of the following words, term position)], longest phrases first.

    Matching walks the words of a text once and looks each up in this dict, so it
    costs the same with ten terms or ten thousand (one giant regex did not).
    """
    index = {}
    for position, (_slug, phrases) in enumerate(entries):
        for phrase in phrases:
            words = phrase.split()
            if not words:
                continue
            rest = tuple(frozenset(word_forms(w)) for w in words[1:])
            for form in word_forms(words[0]):
                index.setdefault(form, []).append((rest, position))
    for candidates in index.values():
        candidates.sort(key=lambda candidate: len(candidate[0]), reverse=True)
    return index


def _matches(text, index):
    """(start, end, term position) of each phrase found in plain text, left to right."""
    words = [(m.start(), m.end(), m.group(0).lower()) for m in _WORD.finditer(text)]
    found, i = [], 0
    while i < len(words):
        start, end, word = words[i]
        matched = False
        if (start == 0 or text[start - 1] not in _JOINERS) and word in index:
            for rest, position in index[word]:
                last = i + len(rest)
                if last >= len(words):
                    continue
                if all(
                    words[i + k + 1][2] in forms and not text[words[i + k][1] : words[i + k + 1][0]].strip()
                    for k, forms in enumerate(rest)
                ) and (words[last][1] == len(text) or text[words[last][1]] not in _JOINERS):
                    found.append((start, words[last][1], position))
                    i, matched = last + 1, True
                    break
        if not matched:
            i += 1
    return found


def linked_slugs(text, entries):
    """Slugs of the terms that plain ``text`` links, given ``entries`` (as ``live_terms()`` gives them)."""
    index = _index(tuple((t["slug"], tuple(t["phrases"])) for t in entries))
    return {entries[position]["slug"] for _, _, position in _matches(text or "", index)} if index else set()


def link_terms(html, exclude_slug=None):
    """Return ``html`` (already-safe HTML) with the first mention of each live term linked."""
    live = live_terms(exclude_slug)
    index = _index(tuple((t["slug"], tuple(t["phrases"])) for t in live))
    if not index or not html:
        return mark_safe(html)
    linked = set()
    # Ids derive from the block's text, so a page renders the same bytes every time.
    block_id = hashlib.blake2s(str(html).encode(), digest_size=4).hexdigest()

    def link(text):
        out, done = [], 0
        for start, end, position in _matches(text, index):
            term = live[position]
            if term["slug"] in linked:
                continue
            linked.add(term["slug"])
            tip = f"tip-{block_id}-{term['slug']}"
            out.append(text[done:start])
            out.append(
                f'<span class="term-ref"><a class="term-link" href="{escape(term["url"])}" aria-describedby="{tip}">'
                f'{text[start:end]}</a><span class="term-tip" role="tooltip" id="{tip}">'
                f"<strong>{escape(term['name'])}</strong> {escape(term['definition'])}</span></span>"
            )
            done = end
        out.append(text[done:])
        return "".join(out)

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
            out.append(link(piece))
    return mark_safe("".join(out))
