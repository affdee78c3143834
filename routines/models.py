"""Body-area routines: a Routine is an ordered list of Steps, each using a Technique."""

from typing import NamedTuple

import reversion
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Prefetch, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from content.old_slugs import OldSlugBase
from content.publishing import Publishable, PublishableQuerySet
from content.renditions import Illustrated, add_renditions, illustration_upload_to
from content.reviews import Reviewed, ReviewedQuerySet
from content.search_text import Searchable
from content.sources import SourceBase
from techniques.models import Technique


class BodyArea(models.TextChoices):
    """Regions of the body, head to toe; the routines index is grouped by these."""

    NECK_SHOULDERS = "neck-shoulders", "Neck and shoulders"
    ARMS_HANDS = "arms-hands", "Arms and hands"
    BACK = "back", "Back"
    STOMACH = "stomach", "Stomach"
    LEGS_FEET = "legs-feet", "Legs and feet"


class MapArea(models.TextChoices):
    """The areas of the home page's body map, head to toe; each links to the routine set to it."""

    NECK = "neck", "Neck"
    SHOULDERS = "shoulders", "Shoulders"
    UNDER_THE_ARM = "under_the_arm", "Under the arm"
    ARMS = "arms", "Arms"
    HANDS = "hands", "Hands"
    LOWER_BACK = "lower_back", "Lower back"
    STOMACH = "stomach", "Stomach"
    LEGS = "legs", "Legs"
    FEET = "feet", "Feet"


class Benefit(TagBase):
    """A benefit a routine may have (pain relief, relaxation, circulation…): the "Good for" filter."""

    class Meta:
        ordering = ["name"]


class Position(TagBase):
    """A position a routine is done in (chair, floor, lying down): the "Position" filter."""

    class Meta:
        ordering = ["name"]


class Equipment(TagBase):
    """Something a routine needs (hands only, massage tool): the "You need" filter."""

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "equipment"


# Each kind of tag is a vocabulary of its own, so a benefit is never offered as a position.
# The links keep taggit's shape (tag, content_object), so the managers work as before.
@reversion.register()
class TaggedBenefit(TaggedItemBase):
    """What a routine helps with."""

    tag = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="%(app_label)s_%(class)s_items")
    content_object = models.ForeignKey("Routine", on_delete=models.CASCADE)
    search_owner = "content_object"


@reversion.register()
class TaggedPosition(TaggedItemBase):
    """How the reader sits or lies."""

    tag = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="%(app_label)s_%(class)s_items")
    content_object = models.ForeignKey("Routine", on_delete=models.CASCADE)
    search_owner = "content_object"


@reversion.register()
class TaggedEquipment(TaggedItemBase):
    """What the reader needs."""

    tag = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="%(app_label)s_%(class)s_items")
    content_object = models.ForeignKey("Routine", on_delete=models.CASCADE)
    search_owner = "content_object"


class RoutineQuerySet(ReviewedQuerySet, PublishableQuerySet):
    def with_total_time(self):
        """Annotate ``total_seconds``: every step's duration, twice for steps done on both sides."""
        step_seconds = Case(
            When(steps__repeat_other_side=True, then=F("steps__duration_seconds") * 2),
            default=F("steps__duration_seconds"),
            output_field=models.PositiveIntegerField(),
        )
        return self.annotate(total_seconds=Coalesce(Sum(step_seconds), 0))

    def with_steps(self):
        """Prefetch the ordered steps with their techniques."""
        return self.prefetch_related(
            Prefetch("steps", queryset=Step.objects.select_related("technique").order_by("order", "pk"))
        )


TAG_KINDS = {"benefits": TaggedBenefit, "positions": TaggedPosition, "equipment": TaggedEquipment}


class TagRef(NamedTuple):
    """A tag as pages show it: its name (what str() and |join give) and its slug (for links)."""

    name: str
    slug: str

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("tag", kwargs={"slug": self.slug})


def attach_tag_names(routines):
    """Give each routine ``tag_names``: {"benefits": [TagRef...], "positions": [...], "equipment": [...]}.

    One UNION query for all three kinds and every routine, where three prefetches
    would cost a query each.
    """
    routines = list(routines)
    by_id = {routine.pk: routine for routine in routines}
    for routine in routines:
        routine.tag_names = {kind: [] for kind in TAG_KINDS}
    if not routines:
        return routines
    queries = [
        through.objects.filter(content_object_id__in=by_id).values_list(
            "content_object_id", "tag__name", "tag__slug", Value(kind, output_field=models.CharField())
        )
        for kind, through in TAG_KINDS.items()
    ]
    for routine_id, name, slug, kind in queries[0].union(*queries[1:], all=True):
        by_id[routine_id].tag_names[kind].append(TagRef(name, slug))
    for routine in routines:
        for refs in routine.tag_names.values():
            refs.sort(key=lambda ref: ref.name.lower())
    return routines


# History (django-reversion) keeps a routine's steps and tags with it, so restoring a
# version brings back both. A revision keeps only the rows that still exist when it is
# saved, so a tag removed in the same save is not brought back with the latest version.
@reversion.register(follow=["steps", "taggedbenefit_set", "taggedposition_set", "taggedequipment_set", "sources"])
class Routine(Publishable, Illustrated, Searchable, Reviewed):
    """A self-massage routine for one part of the body."""

    title = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, help_text="Part of the public address: /routines/<slug>/")
    body_area = models.CharField(max_length=20, choices=BodyArea.choices)
    map_area = models.CharField(
        "area on the body map",
        max_length=20,
        choices=MapArea.choices,
        blank=True,
        help_text="The area of the home page's body map that links to this routine once it is published. "
        "If two routines share an area, the one listed first gets the link.",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Position in lists; lower comes first.")
    position = models.CharField("starting position", max_length=200, help_text="How to sit or lie before you start.")
    summary = models.CharField(max_length=300, help_text="One sentence shown in lists and previews.")
    intro = models.TextField(help_text="Plain text; leave a blank line between paragraphs.")
    cautions = models.TextField(blank=True, help_text="Shown prominently before the steps. Leave empty if none.")
    benefits = TaggableManager(
        "benefits",
        through=TaggedBenefit,
        blank=True,
        related_name="benefit_routines",
        help_text="What it helps with. Type to find one; + adds a new one.",
    )
    positions = TaggableManager(
        "positions",
        through=TaggedPosition,
        blank=True,
        related_name="position_routines",
        help_text="How the reader sits or lies. Type to find one; + adds a new one.",
    )
    equipment = TaggableManager(
        "equipment",
        through=TaggedEquipment,
        blank=True,
        related_name="equipment_routines",
        help_text="What the reader needs. Type to find one; + adds a new one.",
    )
    illustration = models.FileField(
        upload_to=illustration_upload_to,
        blank=True,
        help_text="A picture of the starting position (PNG, JPEG or WebP).",
    )
    illustration_alt = models.CharField(
        "illustration description",
        max_length=250,
        blank=True,
        help_text="Describe the position and what the hands do, for readers who cannot see the picture.",
    )

    objects = RoutineQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("routines:detail", kwargs={"slug": self.slug})

    @classmethod
    def search_rows(cls, pks):
        return attach_tag_names(cls._default_manager.filter(pk__in=pks).prefetch_related("steps"))

    def search_parts(self):
        # The title names it; the broad body area ("Neck and shoulders") is shared with neighbours,
        # so it weighs as a keyword: "shoulders" finds Shoulders before Neck.
        names, keywords = [self.title], [self.get_body_area_display(), self.get_map_area_display()]
        details = [
            self.position,
            self.summary,
            self.intro,
            self.cautions,
            [step.instruction for step in self.steps.all()],
            sorted(ref.name for refs in self.tag_names.values() for ref in refs),
        ]
        return names, keywords, details

    # What linked_texts() reads besides the routine's own row, for a list of routines.
    linked_text_prefetch = ("steps",)

    def linked_texts(self):
        """The text on its page that glossary links run through (techniques/term_links.py)."""
        return [
            self.intro,
            self.cautions,
            *(text for step in self.steps.all() for text in (step.instruction, step.caution)),
        ]


add_renditions(Routine)


class Pressure(models.TextChoices):
    """How firm a step is, in the words a reader sees after "Pressure: "."""

    LIGHT = "light", "light"
    MEDIUM = "medium", "medium"
    FIRM = "firm", "firm"
    COMFORTABLE = "comfortable", "as much as is comfortable"


class Needs(models.TextChoices):
    """What a step needs, in the words a reader sees after "You need: "."""

    HANDS = "hands", "hands only"
    HANDS_OR_TOOL = "hands_or_tool", "your hands, or a massage tool"
    BALL = "ball", "a ball"
    TOOL = "tool", "a massage tool"
    OIL = "oil", "oil or lotion"


@reversion.register()
class Step(Illustrated):
    """One step of a routine: what the hands do, with which technique, for how long.

    Its own picture shows this body area doing this motion; without one, the step shows
    its technique's picture (``picture``).
    """

    search_owner = "routine"  # a step's words are part of its routine's search text

    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField(default=0, db_index=True)
    technique = models.ForeignKey(
        Technique,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="steps",
        help_text="The glossary term this step uses, if any.",
    )
    title = models.CharField(
        max_length=80,
        blank=True,
        help_text="A few words naming the step, e.g. 'Thumb strokes down the neck'. "
        "Without one, the step is named after its technique.",
    )
    instruction = models.TextField(help_text="What the hands do, in your own words.")
    duration_seconds = models.PositiveIntegerField(
        "duration (seconds)",
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(3600)],
        help_text="For one side; doubled in the total when the step is repeated on the other side.",
    )
    repeat_other_side = models.BooleanField(
        "repeat on the other side", default=False, help_text="Do this step on one side, then the other."
    )
    caution = models.TextField(
        blank=True,
        help_text="A caution for this step only, shown at the step and when guided mode reaches it, "
        "e.g. 'Light pressure only: this is close to the spine.' General cautions belong to the routine.",
    )
    pressure = models.CharField(
        max_length=12,
        choices=Pressure.choices,
        blank=True,
        help_text="How firm, where the guide says so; leave blank otherwise.",
    )
    needs = models.CharField(
        "what you need",
        max_length=15,
        choices=Needs.choices,
        blank=True,
        help_text="What this step needs besides your hands, where the guide says so; leave blank otherwise.",
    )
    illustration = models.FileField(
        "picture",
        upload_to=illustration_upload_to,
        blank=True,
        help_text="This body area doing this step (PNG, JPEG or WebP). Without one, the technique's picture shows.",
    )
    illustration_alt = models.CharField(
        "picture description",
        max_length=250,
        blank=True,
        help_text="Describe the body part, the hand shape and the direction, for readers who cannot see it.",
    )

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.routine} — step {self.order}"

    @property
    def heading(self):
        """What the step is called: its own title, else its technique's name, else ''."""
        return self.title or (self.technique.name if self.technique_id and self.technique.is_live else "")

    @property
    def slug(self):
        """Names its uploaded pictures ('steps/neck-2-3f9a1c2e.png')."""
        return f"{self.routine.slug}-{self.order}" if self.routine_id else "step"

    @property
    def picture(self):
        """What shows this step: its own picture, else its live technique's, else its routine's (None if none)."""
        if self.illustration:
            return self
        if self.technique_id and self.technique.illustration and self.technique.is_live:
            return self.technique
        return self.routine if self.routine.illustration else None

    @property
    def total_seconds(self):
        """Time this step takes in all, both sides included."""
        return self.duration_seconds * (2 if self.repeat_other_side else 1)


add_renditions(Step)


class OldSlug(OldSlugBase):
    """A slug this routine used to have; its old address redirects to the current one."""

    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="old_slugs")

    class Meta(OldSlugBase.Meta):
        verbose_name = "old address"


@reversion.register()
class Source(SourceBase):
    """A source of this routine's facts, listed under "Sources" on its page."""

    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="sources")
