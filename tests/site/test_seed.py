"""The seeded guides carry the brief's facts, and re-seeding never undoes an editor."""

import datetime
import shutil

import pytest
from django.core.management import call_command

from content.models import Contributor
from massage_site.models import Page
from massage_site.seeding import SEED_DIR, SeedError, load
from routines.models import Routine, Step
from techniques.models import Technique

TECHNIQUE_SLUGS = {
    "effleurage",
    "kneading",
    "knuckling",
    "pummelling",
    "cupping",
    "tapping",
    "circular-thumb-pressure",
    "circular-finger-pressure",
    "pulling-and-stretching",
    "grab-and-release",
}
ROUTINE_SLUGS = {"lower-back", "feet", "stomach", "legs", "arms", "hands", "neck", "shoulders", "under-the-arm"}

# The techniques each routine's steps must use, from the brief's "steps, in order" column.
ROUTINE_TECHNIQUES = {
    "lower-back": {"circular-thumb-pressure", "knuckling"},
    "feet": {"effleurage", "pulling-and-stretching"},
    "stomach": {"kneading"},
    "legs": {"effleurage", "kneading", "pummelling"},
    "arms": {"effleurage", "kneading", "circular-thumb-pressure", "cupping", "tapping"},
    "hands": {"pulling-and-stretching"},
    "neck": {"circular-finger-pressure"},
    "shoulders": {"grab-and-release"},
    "under-the-arm": set(),
}


def test_seed_creates_every_technique_routine_and_page_of_the_brief(seeded):
    assert set(Technique.objects.published().values_list("slug", flat=True)) == TECHNIQUE_SLUGS
    assert set(Routine.objects.published().values_list("slug", flat=True)) == ROUTINE_SLUGS
    assert set(Page.objects.values_list("slug", flat=True)) >= {"home", "safety"}


@pytest.mark.parametrize("slug, techniques", sorted(ROUTINE_TECHNIQUES.items()))
def test_each_routine_uses_the_techniques_the_brief_names(seeded, slug, techniques):
    used = set(Step.objects.filter(routine__slug=slug).values_list("technique__slug", flat=True))
    assert techniques <= used


def test_steps_follow_the_briefs_order(seeded):
    def order(slug):
        return [s.technique.slug if s.technique else None for s in Routine.objects.get(slug=slug).steps.all()]

    legs = [slug for slug in order("legs") if slug]
    assert legs[0] == "effleurage" and legs[-1] == "effleurage"
    assert legs.index("kneading") < legs.index("pummelling")
    arms = order("arms")
    assert arms.index("effleurage") < arms.index("kneading") < arms.index("circular-thumb-pressure")
    assert arms.index("circular-thumb-pressure") < arms.index("cupping")
    feet = order("feet")
    assert feet.index("effleurage") < feet.index("pulling-and-stretching")


def test_all_routines_together_take_about_an_hour(seeded):
    total = sum(r.total_seconds for r in Routine.objects.with_total_time())
    assert 50 * 60 <= total <= 70 * 60


def test_cautions_are_where_the_brief_has_them(seeded):
    cautions = dict(Routine.objects.values_list("slug", "cautions"))
    assert "spine" in cautions["neck"].lower()
    assert "pull" in cautions["feet"].lower()
    assert not cautions["legs"] and not cautions["stomach"]


def test_positions_and_benefits_follow_the_brief(seeded):
    routines = {r.slug: r for r in Routine.objects.all()}
    assert "back" in routines["stomach"].position.lower() and "knees" in routines["stomach"].position.lower()
    assert "thigh" in routines["feet"].position.lower()
    assert "chair" in routines["neck"].position.lower()
    assert {"cramps", "relaxation"} <= set(routines["stomach"].benefits.names())
    assert "circulation" in routines["legs"].benefits.names()
    assert "circulation" in routines["arms"].benefits.names()
    assert "favourite" in routines["stomach"].intro.lower()
    assert "crack" in routines["hands"].intro.lower() or "click" in routines["hands"].intro.lower()


def test_glossary_carries_the_aliases_readers_search_by(seeded):
    aliases = {t.slug: [a.lower() for a in t.alias_list] for t in Technique.objects.all()}
    assert "petrissage" in aliases["kneading"]
    assert "pummeling" in aliases["pummelling"]
    assert "taping" in aliases["tapping"]
    for slug in ("pummelling", "cupping", "tapping"):
        assert "tapotement" in aliases[slug]
    cupping = Technique.objects.get(slug="cupping")
    assert "suction" in cupping.how_to.lower()


def test_every_seeded_item_has_an_illustration_with_a_description(seeded, media_root):
    for item in [*Technique.objects.all(), *Routine.objects.all()]:
        assert item.illustration, item
        assert (media_root / item.illustration.name).is_file()
        assert len(item.illustration_alt) > 20


def test_seeding_twice_changes_nothing(seeded):
    before = {t.slug: t.updated_at for t in Technique.objects.all()}
    steps_before = list(Step.objects.order_by("pk").values_list("pk", "instruction"))
    report = load()
    assert report.created == [] and report.updated == [] and report.kept == []
    assert {t.slug: t.updated_at for t in Technique.objects.all()} == before
    assert list(Step.objects.order_by("pk").values_list("pk", "instruction")) == steps_before


def test_seeding_again_keeps_an_editors_changes_and_deletions(seeded):
    kneading = Technique.objects.get(slug="kneading")
    kneading.definition = "An editor's better definition."
    kneading.save()
    step = Routine.objects.get(slug="legs").steps.first()
    step.duration_seconds = 999
    step.save()
    Routine.objects.get(slug="hands").delete()

    load()

    assert Technique.objects.get(slug="kneading").definition == "An editor's better definition."
    assert Routine.objects.get(slug="legs").steps.first().duration_seconds == 999
    assert not Routine.objects.filter(slug="hands").exists()


def test_updated_seed_reaches_untouched_items_but_not_edited_ones(seeded, tmp_path):
    seed_dir = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed_dir)
    techniques_toml = seed_dir / "techniques.toml"
    text = techniques_toml.read_text()
    for slug in ("cupping", "tapping"):
        old = Technique.objects.get(slug=slug).definition
        text = text.replace(old, f"Revised definition of {slug}.")
    techniques_toml.write_text(text)
    edited = Technique.objects.get(slug="tapping")
    edited.definition = "The editor's own words."
    edited.save()

    report = load(seed_dir)

    assert Technique.objects.get(slug="cupping").definition == "Revised definition of cupping."
    assert Technique.objects.get(slug="tapping").definition == "The editor's own words."
    assert report.updated == ["technique cupping"] and "technique tapping" in report.kept


def test_malformed_seed_is_refused_with_a_clear_message_and_saves_nothing(db, tmp_path):
    seed_dir = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed_dir)
    routines_toml = seed_dir / "routines.toml"
    routines_toml.write_text(routines_toml.read_text().replace('technique = "knuckling"', 'technique = "no-such"'))

    with pytest.raises(SeedError, match="no-such"):
        load(seed_dir)

    assert not Technique.objects.exists() and not Page.objects.exists()


def test_seed_command_reports_what_it_did(db, capsys):
    call_command("seed_guides")
    items = Page.objects.count() + Contributor.objects.count() + Technique.objects.count() + Routine.objects.count()
    assert f"{items} created, 0 updated, 0 unchanged" in capsys.readouterr().out
    call_command("seed_guides")
    assert f"0 created, 0 updated, {items} unchanged" in capsys.readouterr().out


def test_a_routine_recorded_before_map_areas_and_step_pictures_existed_still_follows_the_seed(seeded):
    """Databases seeded before map areas, step titles and step pictures were fingerprinted:
    their routines are untouched, not edited."""
    from massage_site.models import SeedRecord
    from massage_site.seeding import SEED_DIR, RoutineKind, fingerprint

    neck = Routine.objects.get(slug="neck")
    snapshot = RoutineKind(SEED_DIR).snapshot(neck)
    older = {key: value for key, value in snapshot.items() if key not in RoutineKind.added_keys}
    older["step"] = [
        {key: value for key, value in step.items() if key not in RoutineKind.added_step_keys} for step in older["step"]
    ]
    SeedRecord.objects.filter(kind="routine", key="neck").update(state_digest=fingerprint(older), seed_digest="old")
    report = load()
    assert "routine neck" in report.updated
    assert "routine neck" not in report.kept


@pytest.mark.parametrize(("kind", "slug"), [("technique", "kneading"), ("routine", "neck")])
def test_an_item_recorded_before_authors_reviewers_and_sources_still_follows_the_seed(seeded, kind, slug):
    """Databases seeded before items named their authors, reviewer and sources: those items
    are untouched, so the seed credits them now."""
    from massage_site.models import SeedRecord
    from massage_site.seeding import SEED_DIR, RoutineKind, TechniqueKind, fingerprint

    seed_kind = (TechniqueKind if kind == "technique" else RoutineKind)(SEED_DIR)
    item = seed_kind.get(slug)
    item.authors.clear()
    item.sources.all().delete()
    type(item).objects.filter(pk=item.pk).update(reviewer=None)
    item.refresh_from_db()
    older = seed_kind.before_added(seed_kind.snapshot(item))
    SeedRecord.objects.filter(kind=kind, key=slug).update(state_digest=fingerprint(older), seed_digest="old")
    report = load()
    assert f"{kind} {slug}" in report.updated and f"{kind} {slug}" not in report.kept
    assert item.authors.get().slug == "editorial-team" and item.sources.count() == 1


def test_an_editor_who_replaces_the_editorial_team_keeps_their_change(seeded):
    neck = Routine.objects.get(slug="neck")
    neck.authors.set([Contributor.objects.create(name="Ann Example", slug="ann", role="Physiotherapist")])
    assert "routine neck" not in load().updated
    assert [p.slug for p in neck.authors.all()] == ["ann"]


@pytest.mark.parametrize(("kind", "slug"), [("technique", "knuckling"), ("routine", "legs")])
def test_an_item_recorded_before_search_terms_gets_the_seeds_search_terms(seeded, kind, slug):
    """Databases seeded just before search terms existed: every other key was fingerprinted,
    so the item is untouched and the seed's search terms reach it."""
    from massage_site.models import SeedRecord
    from massage_site.seeding import SEED_DIR, RoutineKind, TechniqueKind, fingerprint

    seed_kind = (TechniqueKind if kind == "technique" else RoutineKind)(SEED_DIR)
    item = seed_kind.get(slug)
    type(item).objects.filter(pk=item.pk).update(search_terms="")
    item.refresh_from_db()
    before = seed_kind.recorded_before(seed_kind.snapshot(item), "search_terms")
    SeedRecord.objects.filter(kind=kind, key=slug).update(state_digest=fingerprint(before), seed_digest="old")
    report = load()
    assert f"{kind} {slug}" in report.updated
    item.refresh_from_db()
    assert item.search_terms


def test_an_editors_search_terms_are_kept_when_the_seed_changes(seeded):
    from massage_site.models import SeedRecord

    legs = Routine.objects.get(slug="legs")
    legs.search_terms = "calf, shin"
    legs.save()
    SeedRecord.objects.filter(kind="routine", key="legs").update(seed_digest="old")
    assert "routine legs" in load().kept
    assert Routine.objects.get(slug="legs").search_terms == "calf, shin"


def test_an_item_recorded_before_review_dates_gets_the_seeds_review_date(seeded):
    """Databases seeded before the seed gave a last-reviewed date: the untouched item takes it,
    with its next review a year on."""
    from massage_site.models import SeedRecord
    from massage_site.seeding import SEED_DIR, TechniqueKind, fingerprint

    seed_kind = TechniqueKind(SEED_DIR)
    Technique.objects.filter(slug="cupping").update(last_reviewed=None, next_review_due=datetime.date(2027, 6, 1))
    item = seed_kind.get("cupping")
    before = seed_kind.recorded_before(seed_kind.snapshot(item), "last_reviewed")
    SeedRecord.objects.filter(kind="technique", key="cupping").update(
        state_digest=fingerprint(before), seed_digest="old"
    )
    assert "technique cupping" in load().updated
    item.refresh_from_db()
    assert (item.last_reviewed, item.next_review_due) == (datetime.date(2026, 11, 30), datetime.date(2027, 11, 30))


def test_a_review_date_an_editor_set_stands(seeded):
    from massage_site.models import SeedRecord

    Technique.objects.filter(slug="cupping").update(last_reviewed=datetime.date(2027, 1, 5))
    SeedRecord.objects.filter(kind="technique", key="cupping").update(seed_digest="old")
    assert "technique cupping" in load().kept
    assert Technique.objects.get(slug="cupping").last_reviewed == datetime.date(2027, 1, 5)
