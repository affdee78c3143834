"""Load the seeded guides (pages, contributors, techniques, routines) without ever undoing an editor.

Each seed item is matched by slug. A SeedRecord remembers a fingerprint of the
seed entry applied and of the item right after. On a later run:

- a new seed item is created;
- an item whose seed entry has not changed is left alone (idempotent);
- an item whose seed entry changed is updated only if it still matches what the
  seed last wrote; if an editor changed or deleted it, their version stands.
"""

import datetime
import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.db import transaction

from content.changes import one_change
from content.models import Contributor
from content.publishing import Status
from content.reviews import REVIEW_INTERVAL
from routines.models import Routine, Step
from techniques.models import Technique

from .models import Page, SeedRecord

SEED_DIR = Path(__file__).resolve().parent / "seed"


class SeedError(Exception):
    """The seed data is not in the expected form."""


@dataclass
class Report:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    kept: list = field(default_factory=list)  # edited or deleted by an editor
    unchanged: int = 0


def fingerprint(data):
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _text(value):
    return value.strip() if isinstance(value, str) else value


def _date(value, where):
    """A seed date (TOML date, or text as YYYY-MM-DD) as ISO text, "" when none."""
    if not value:
        return ""
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError as error:
        raise SeedError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from error


def _normalise(entry, keys, required, where):
    unknown = set(entry) - set(keys)
    missing = set(required) - set(entry)
    if unknown or missing:
        raise SeedError(f"{where}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
    return {key: _text(entry.get(key, keys[key])) for key in keys}


class Kind:
    """How one kind of content is read from the seed, snapshotted and written."""

    name = ""
    model = None
    keys = {}  # key -> default
    required = ()

    def __init__(self, seed_dir):
        self.seed_dir = seed_dir

    def entries(self, data):
        return [_normalise(e, self.keys, self.required, f"{self.name} {e.get('slug')}") for e in data]

    def get(self, slug):
        return self.model.objects.filter(slug=slug).first()

    # Fields the seed gained later, oldest first: a record made before them did not fingerprint them.
    added_keys = ()
    # The releases after the first of those, oldest first, each the keys it added: a record made
    # between two releases fingerprinted every key but those of the later ones.
    later_releases = ()

    def as_recorded(self, obj, state_digest):
        """True when ``obj`` is as the seed last left it (no editor has changed it since)."""
        snapshot = self.snapshot(obj)
        earlier = [snapshot, self.before_added(snapshot)]
        earlier += [self.recorded_before(snapshot, keys[0]) for keys in self.later_releases]
        return any(fingerprint(state) == state_digest for state in earlier)

    def before_added(self, snapshot):
        """The snapshot as it was fingerprinted before ``added_keys`` existed."""
        return {key: value for key, value in snapshot.items() if key not in self.added_keys}

    def recorded_before(self, snapshot, key):
        """The snapshot as fingerprinted just before the release that added ``key`` (one of
        ``later_releases``): without its keys and those of every later release."""
        start = next(number for number, keys in enumerate(self.later_releases) if key in keys)
        later = {name for keys in self.later_releases[start:] for name in keys}
        return {name: value for name, value in snapshot.items() if name not in later}

    def _illustration(self, obj, entry, where=None):
        if not entry["illustration"]:
            return
        path = self.seed_dir / "illustrations" / entry["illustration"]
        if not path.is_file():
            raise SeedError(f"{where or self.name + ' ' + entry['slug']}: missing illustration {path}")
        if obj.illustration:
            obj.illustration.delete(save=False)
        with path.open("rb") as handle:
            obj.illustration.save(path.name, File(handle), save=False)


class PageKind(Kind):
    name = "page"
    model = Page
    keys = {"slug": "", "title": "", "summary": "", "body": ""}
    required = ("slug", "title", "body")
    added_keys = ("summary",)

    def snapshot(self, obj):
        return {"slug": obj.slug, "title": obj.title, "summary": obj.summary, "body": obj.body}

    def write(self, obj, entry):
        obj = obj or Page(slug=entry["slug"])
        obj.title, obj.summary, obj.body = entry["title"], entry["summary"], entry["body"]
        obj.save()
        return obj


class ContributorKind(Kind):
    name = "contributor"
    model = Contributor
    keys = {"slug": "", "name": "", "role": "", "note": "", "team": False}
    required = ("slug", "name", "role")

    def snapshot(self, obj):
        return {"slug": obj.slug, "name": obj.name, "role": obj.role, "note": obj.note, "team": obj.team}

    def write(self, obj, entry):
        obj = obj or Contributor(slug=entry["slug"])
        obj.name, obj.role, obj.note, obj.team = entry["name"], entry["role"], entry["note"], entry["team"]
        obj.full_clean()
        obj.save()
        return obj


class CreditedKind(Kind):
    """A kind whose items name authors, a reviewer and sources (content/reviews.py, content/sources.py).

    Entries that leave them out get the seed's defaults (``guides`` in people.toml).
    """

    guides = {}  # authors, reviewer and sources for entries that name none
    contributors = ()  # every contributor slug the seed knows
    source_keys = {"title": "", "publisher": "", "year": 0, "url": "", "when_not_to": ""}

    def entries(self, data):
        entries = super().entries([{**self.guides, **entry} for entry in data])
        for entry in entries:
            where = f"{self.name} {entry['slug']}"
            entry["sources"] = [
                _normalise(s, self.source_keys, ("title",), f"{where} source") for s in entry["sources"]
            ]
            unknown = set(entry["authors"] + [entry["reviewer"]]) - set(self.contributors) - {""}
            if unknown:
                raise SeedError(f"{where}: unknown contributors {sorted(unknown)}")
            entry["last_reviewed"] = _date(entry["last_reviewed"], f"{where} last_reviewed")
        return entries

    def credits_snapshot(self, obj):
        return {
            "authors": sorted(obj.authors.values_list("slug", flat=True)),
            "reviewer": obj.reviewer.slug if obj.reviewer else "",
            "last_reviewed": obj.last_reviewed.isoformat() if obj.last_reviewed else "",
            "next_review_due": obj.next_review_due.isoformat(),
            "sources": [
                {
                    "title": s.title,
                    "publisher": s.publisher,
                    "year": s.year or 0,
                    "url": s.url,
                    "when_not_to": s.when_not_to,
                }
                for s in obj.sources.order_by("order", "pk")
            ],
        }

    def set_reviewer(self, obj, entry):
        """Before the item is saved: its reviewer (a seeded contributor an editor has deleted is
        left out) and, when the seed gives the date it was last reviewed, the next review a year on."""
        obj.reviewer = Contributor.objects.filter(slug=entry["reviewer"]).first() if entry["reviewer"] else None
        if entry["last_reviewed"]:
            obj.last_reviewed = datetime.date.fromisoformat(entry["last_reviewed"])
            obj.next_review_due = obj.last_reviewed + REVIEW_INTERVAL

    def write_credits(self, obj, entry):
        """After the item is saved: its authors and its sources, in order."""
        obj.authors.set(Contributor.objects.filter(slug__in=entry["authors"]))
        obj.sources.all().delete()
        for number, source in enumerate(entry["sources"], start=1):
            row = obj.sources.model(**{obj.sources.field.name: obj}, order=number, **source)
            row.year = row.year or None
            row.full_clean()
            row.save()


class TechniqueKind(CreditedKind):
    name = "technique"
    model = Technique
    keys = {
        "slug": "",
        "name": "",
        "family": "",
        "definition": "",
        "how_to": "",
        "aliases": [],
        "related": [],
        "tags": [],
        "illustration": "",
        "illustration_alt": "",
        "motion": "",
        "search_terms": [],
        "authors": [],
        "reviewer": "",
        "last_reviewed": "",
        "sources": [],
    }
    required = ("slug", "name", "family", "definition", "how_to")
    added_keys = ("motion", "authors", "reviewer", "sources", "search_terms", "last_reviewed", "next_review_due")
    later_releases = (("search_terms",), ("last_reviewed", "next_review_due"))

    def snapshot(self, obj):
        return {
            "slug": obj.slug,
            "name": obj.name,
            "family": obj.family,
            "definition": obj.definition,
            "how_to": obj.how_to,
            "aliases": obj.alias_list,
            "related": sorted(obj.related.values_list("slug", flat=True)),
            "tags": sorted(tag.name for tag in obj.tags.all()),
            "illustration": obj.illustration.name,
            "illustration_alt": obj.illustration_alt,
            "motion": obj.motion,
            "search_terms": obj.search_term_list,
            "status": obj.status,
            **self.credits_snapshot(obj),
        }

    def write(self, obj, entry):
        obj = obj or Technique(slug=entry["slug"], status=Status.PUBLISHED)
        for key in ("name", "family", "definition", "how_to", "illustration_alt", "motion"):
            setattr(obj, key, entry[key])
        obj.aliases = ", ".join(entry["aliases"])
        obj.search_terms = ", ".join(entry["search_terms"])
        self._illustration(obj, entry)
        self.set_reviewer(obj, entry)
        obj.full_clean(exclude=["illustration"])
        obj.save()
        obj.tags.set(entry["tags"], clear=True)
        self.write_credits(obj, entry)
        return obj

    def link(self, obj, entry):
        """Related techniques, once every technique exists."""
        related = list(Technique.objects.filter(slug__in=entry["related"]))
        if len(related) != len(set(entry["related"])):
            raise SeedError(f"technique {entry['slug']}: unknown related slug in {entry['related']}")
        obj.related.set(related)


class RoutineKind(CreditedKind):
    name = "routine"
    model = Routine
    keys = {
        "slug": "",
        "title": "",
        "body_area": "",
        "map_area": "",
        "order": 0,
        "position": "",
        "summary": "",
        "intro": "",
        "cautions": "",
        "benefits": [],
        "positions": [],
        "equipment": [],
        "illustration": "",
        "illustration_alt": "",
        "search_terms": [],
        "step": [],
        "authors": [],
        "reviewer": "",
        "last_reviewed": "",
        "sources": [],
    }
    required = ("slug", "title", "body_area", "position", "summary", "intro", "step")
    added_keys = ("map_area", "authors", "reviewer", "sources", "search_terms", "last_reviewed", "next_review_due")
    later_releases = (("search_terms",), ("last_reviewed", "next_review_due"))
    step_keys = {
        "title": "",
        "technique": "",
        "instruction": "",
        "duration_seconds": 60,
        "repeat_other_side": False,
        "illustration": "",
        "illustration_alt": "",
        "caution": "",
        "pressure": "",
        "needs": "",
    }
    added_step_keys = ("title", "illustration", "illustration_alt", "caution", "pressure", "needs")

    def before_added(self, snapshot):
        older = super().before_added(snapshot)
        older["step"] = [
            {key: value for key, value in step.items() if key not in self.added_step_keys} for step in older["step"]
        ]
        return older

    def entries(self, data):
        entries = super().entries(data)
        for entry in entries:
            where = f"routine {entry['slug']} step"
            entry["step"] = [_normalise(s, self.step_keys, ("instruction",), where) for s in entry["step"]]
        return entries

    def snapshot(self, obj):
        steps = obj.steps.select_related("technique").order_by("order", "pk")
        return {
            "slug": obj.slug,
            "title": obj.title,
            "body_area": obj.body_area,
            "map_area": obj.map_area,
            "order": obj.order,
            "position": obj.position,
            "summary": obj.summary,
            "intro": obj.intro,
            "cautions": obj.cautions,
            "benefits": sorted(tag.name for tag in obj.benefits.all()),
            "positions": sorted(tag.name for tag in obj.positions.all()),
            "equipment": sorted(tag.name for tag in obj.equipment.all()),
            "illustration": obj.illustration.name,
            "illustration_alt": obj.illustration_alt,
            "search_terms": obj.search_term_list,
            "status": obj.status,
            **self.credits_snapshot(obj),
            "step": [
                {
                    "title": step.title,
                    "technique": step.technique.slug if step.technique else "",
                    "instruction": step.instruction,
                    "duration_seconds": step.duration_seconds,
                    "repeat_other_side": step.repeat_other_side,
                    "illustration": step.illustration.name,
                    "illustration_alt": step.illustration_alt,
                    "caution": step.caution,
                    "pressure": step.pressure,
                    "needs": step.needs,
                }
                for step in steps
            ],
        }

    def write(self, obj, entry):
        obj = obj or Routine(slug=entry["slug"], status=Status.PUBLISHED)
        for key in (
            "title",
            "body_area",
            "map_area",
            "order",
            "position",
            "summary",
            "intro",
            "cautions",
            "illustration_alt",
        ):
            setattr(obj, key, entry[key])
        obj.search_terms = ", ".join(entry["search_terms"])
        self._illustration(obj, entry)
        self.set_reviewer(obj, entry)
        obj.full_clean(exclude=["illustration"])
        obj.save()
        self.write_credits(obj, entry)
        obj.benefits.set(entry["benefits"], clear=True)
        obj.positions.set(entry["positions"], clear=True)
        obj.equipment.set(entry["equipment"], clear=True)
        techniques = {t.slug: t for t in Technique.objects.filter(slug__in=[s["technique"] for s in entry["step"]])}
        obj.steps.all().delete()
        for number, step in enumerate(entry["step"], start=1):
            if step["technique"] and step["technique"] not in techniques:
                raise SeedError(f"routine {entry['slug']}: unknown technique {step['technique']!r}")
            row = Step(
                routine=obj,
                order=number,
                title=step["title"],
                technique=techniques.get(step["technique"]),
                instruction=step["instruction"],
                duration_seconds=step["duration_seconds"],
                repeat_other_side=step["repeat_other_side"],
                illustration_alt=step["illustration_alt"],
                caution=step["caution"],
                pressure=step["pressure"],
                needs=step["needs"],
            )
            self._illustration(row, step, where=f"routine {entry['slug']} step {number}")
            row.full_clean(exclude=["illustration"])
            row.save()
        return obj


def read_seed(seed_dir):
    """Parse the three TOML files; raise SeedError on malformed data."""
    try:
        pages = tomllib.loads((seed_dir / "pages.toml").read_text("utf-8"))["page"]
        techniques = tomllib.loads((seed_dir / "techniques.toml").read_text("utf-8"))["technique"]
        routines = tomllib.loads((seed_dir / "routines.toml").read_text("utf-8"))["routine"]
    except (OSError, KeyError, tomllib.TOMLDecodeError) as error:
        raise SeedError(f"cannot read seed data in {seed_dir}: {error}") from error
    return pages, techniques, routines


def read_people(seed_dir):
    """people.toml: the contributors, and the ``guides`` defaults (authors, reviewer, last reviewed, sources) of
    every technique and routine entry that names none. Optional: without it, there are none."""
    path = seed_dir / "people.toml"
    if not path.is_file():
        return [], {}
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise SeedError(f"cannot read seed data in {path}: {error}") from error
    guides = data.get("guides", {})
    unknown = set(guides) - {"authors", "reviewer", "last_reviewed", "sources"}
    if unknown:
        raise SeedError(f"people.toml [guides]: unknown keys {sorted(unknown)}")
    return data.get("contributor", []), guides


def _sync(kind, entries, report):
    """Write each entry unless an editor has taken the item over; return what was written.

    Returns (item, entry, seed digest) for each item written, so that the caller can
    link items together before recording their state with ``_remember``.
    """
    written = []
    for entry in entries:
        seed_digest = fingerprint(entry)
        record = SeedRecord.objects.filter(kind=kind.name, key=entry["slug"]).first()
        obj = kind.get(entry["slug"])
        label = f"{kind.name} {entry['slug']}"
        if record and record.seed_digest == seed_digest:
            report.unchanged += 1
        elif record and (obj is None or not kind.as_recorded(obj, record.state_digest)):
            report.kept.append(label)
        elif record is None and obj is not None:
            # An item with this slug was made by hand before the seed ever ran: it is the editor's.
            report.kept.append(label)
            SeedRecord.objects.create(kind=kind.name, key=entry["slug"], seed_digest=seed_digest, state_digest="")
        else:
            (report.updated if obj else report.created).append(label)
            written.append((kind.write(obj, entry), entry, seed_digest))
    return written


def _remember(kind, written):
    for obj, entry, seed_digest in written:
        state = fingerprint(kind.snapshot(obj))
        SeedRecord.objects.update_or_create(
            kind=kind.name, key=entry["slug"], defaults={"seed_digest": seed_digest, "state_digest": state}
        )


def load(seed_dir=SEED_DIR):
    """Load every seed item in one transaction and return a Report."""
    pages, techniques, routines = read_seed(seed_dir)
    contributors, guides = read_people(seed_dir)
    report = Report()
    page_kind, technique_kind, routine_kind = PageKind(seed_dir), TechniqueKind(seed_dir), RoutineKind(seed_dir)
    contributor_kind = ContributorKind(seed_dir)
    contributor_entries = contributor_kind.entries(contributors)
    for kind in (technique_kind, routine_kind):
        kind.guides = guides
        kind.contributors = [entry["slug"] for entry in contributor_entries]
    # One change: each item's search text is rebuilt once, and cached pages are dropped once.
    with transaction.atomic(), one_change():
        _remember(page_kind, _sync(page_kind, page_kind.entries(pages), report))
        _remember(contributor_kind, _sync(contributor_kind, contributor_entries, report))
        written = _sync(technique_kind, technique_kind.entries(techniques), report)
        for obj, entry, _digest in written:
            technique_kind.link(obj, entry)
        _remember(technique_kind, written)
        _remember(routine_kind, _sync(routine_kind, routine_kind.entries(routines), report))
    return report
