"""Add realistic bulk content for load tests: `python manage.py bulk_content`.

Never run by `make run`: it is for benchmarks (`make bench` uses its own database).
Adds (by default) 1,000 techniques and 500 routines of 10–15 steps, tagged and
pictured, all with slugs starting "bulk-" so `--remove` can take them away again.
"""

import random

from django.core.management.base import BaseCommand
from django.db import transaction
from taggit.models import Tag, TaggedItem

from content.changes import content_changed, one_change
from content.publishing import Status
from routines.models import (
    Benefit,
    BodyArea,
    Equipment,
    Position,
    Routine,
    Step,
    TaggedBenefit,
    TaggedEquipment,
    TaggedPosition,
)
from techniques.models import Family, Technique

WORDS = [
    "gentle",
    "firm",
    "slow",
    "brisk",
    "warm",
    "deep",
    "light",
    "long",
    "short",
    "steady",
    "rolling",
    "gliding",
    "pressing",
    "lifting",
    "sweeping",
    "circling",
    "rocking",
    "soothing",
    "broad",
    "narrow",
    "palm",
    "thumb",
    "finger",
    "knuckle",
    "fist",
    "heel",
    "wrist",
    "forearm",
    "calf",
    "thigh",
    "shoulder",
    "neck",
    "back",
    "sole",
    "toe",
    "arch",
    "temple",
    "jaw",
    "scalp",
    "spine",
    "hip",
    "ankle",
    "knee",
    "elbow",
]
SENTENCE = (
    "Place your {a} hand on the {b} and move it in {c} strokes, keeping the pressure {d} and your breathing "
    "slow. Work from the {e} towards the {f}, then ease off and repeat. Stop if anything hurts."
)
BENEFITS = ["pain relief", "relaxation", "circulation", "movement", "cramps", "stiffness"]
POSITIONS = ["chair", "floor", "lying down", "sitting"]
EQUIPMENT = ["hands only", "massage tool"]


def prose(rng, sentences):
    return " ".join(SENTENCE.format(**{k: rng.choice(WORDS) for k in "abcdef"}) for _ in range(sentences))


class Command(BaseCommand):
    help = "Add bulk techniques and routines for load tests (slugs start with 'bulk-'); --remove deletes them."

    def add_arguments(self, parser):
        parser.add_argument("--techniques", type=int, default=1000)
        parser.add_argument("--routines", type=int, default=500)
        parser.add_argument("--remove", action="store_true", help="Delete the bulk content instead.")

    def handle(self, *args, techniques, routines, remove, **options):
        if remove:
            with transaction.atomic(), one_change():
                Routine.objects.filter(slug__startswith="bulk-").delete()
                Technique.objects.filter(slug__startswith="bulk-").delete()
            self.stdout.write("Bulk content removed.")
            return
        rng = random.Random(42)
        with transaction.atomic():
            self._add(rng, techniques, routines)
            content_changed()  # bulk_create sends no signals
        self.stdout.write(f"Added {techniques} techniques and {routines} routines (slugs 'bulk-…').")

    def _add(self, rng, technique_count, routine_count):
        pictures = [t.illustration.name for t in Technique.objects.exclude(illustration="")] or [""]
        families = [value for value, _label in Family.choices]
        new_techniques = [
            Technique(
                name=f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {n:04d}",
                slug=f"bulk-technique-{n:04d}",
                family=rng.choice(families),
                definition=prose(rng, 1)[:280],
                how_to=prose(rng, 6),
                aliases=", ".join(f"{rng.choice(WORDS)} {rng.choice(WORDS)} {n}" for _ in range(2)),
                illustration=rng.choice(pictures),
                illustration_alt="A hand shown working on the muscle, with arrows for the direction.",
                status=Status.PUBLISHED,
            )
            for n in range(technique_count)
        ]
        Technique.objects.bulk_create(new_techniques, batch_size=500)
        created = list(Technique.objects.filter(slug__startswith="bulk-technique-"))
        all_techniques = list(Technique.objects.all())
        tags = {name: Tag.objects.get_or_create(name=name)[0] for name in EQUIPMENT}
        from django.contrib.contenttypes.models import ContentType

        technique_type = ContentType.objects.get_for_model(Technique)
        TaggedItem.objects.bulk_create(
            [
                TaggedItem(content_type=technique_type, object_id=t.pk, tag=tags[rng.choice(EQUIPMENT)])
                for t in created
            ],
            batch_size=1000,
        )
        Technique.related.through.objects.bulk_create(
            [
                Technique.related.through(from_technique_id=t.pk, to_technique_id=rng.choice(all_techniques).pk)
                for t in created
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
        areas = [value for value, _label in BodyArea.choices]
        Routine.objects.bulk_create(
            [
                Routine(
                    title=f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} routine {n:04d}",
                    slug=f"bulk-routine-{n:04d}",
                    body_area=rng.choice(areas),
                    order=100 + n,
                    position=f"Sitting on the {rng.choice(['floor', 'edge of a bed', 'chair'])}",
                    summary=prose(rng, 1)[:280],
                    intro=prose(rng, 4),
                    illustration=rng.choice(pictures),
                    illustration_alt="A person sitting, hands on the area being massaged.",
                    status=Status.PUBLISHED,
                )
                for n in range(routine_count)
            ],
            batch_size=500,
        )
        new_routines = list(Routine.objects.filter(slug__startswith="bulk-routine-"))
        Step.objects.bulk_create(
            [
                Step(
                    routine=routine,
                    order=order,
                    technique=rng.choice(all_techniques),
                    instruction=prose(rng, 2),
                    duration_seconds=rng.choice([30, 45, 60, 90, 120]),
                    repeat_other_side=rng.random() < 0.4,
                )
                for routine in new_routines
                for order in range(1, rng.randint(10, 15) + 1)
            ],
            batch_size=1000,
        )
        for through, vocabulary, names in (
            (TaggedBenefit, Benefit, BENEFITS),
            (TaggedPosition, Position, POSITIONS),
            (TaggedEquipment, Equipment, EQUIPMENT),
        ):
            kind = {name: vocabulary.objects.get_or_create(name=name)[0] for name in names}
            through.objects.bulk_create(
                [through(content_object=r, tag=kind[rng.choice(names)]) for r in new_routines], batch_size=1000
            )
        # bulk_create sends no signals: build the search text directly.
        Technique.refresh_search_texts(created)
        Routine.refresh_search_texts(new_routines)
