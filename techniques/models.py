"""The glossary: one Technique per massage term."""

import unicodedata
from string import ascii_uppercase

import reversion
from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast
from django.urls import reverse
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from content.old_slugs import OldSlugBase
from content.publishing import Publishable, PublishableQuerySet, published_q
from content.renditions import Illustrated, add_renditions, illustration_upload_to
from content.reviews import Reviewed, ReviewedQuerySet
from content.search_text import Searchable
from content.sources import SourceBase


def first_letter(name):
    """The A–Z heading a name is listed under, accents folded (É -> E); '#' for anything else."""
    first = unicodedata.normalize("NFKD", name[:1]).encode("ascii", "ignore").decode().upper()
    return first if first in ascii_uppercase and first else "#"


class Family(models.TextChoices):
    """Broad groups of techniques, used to group related terms."""

    STROKING = "stroking", "Stroking"
    PRESSING = "pressing", "Pressing"
    KNEADING = "kneading", "Kneading"
    PERCUSSION = "percussion", "Percussion (tapotement)"
    STRETCHING = "stretching", "Stretching"


class Motion(models.TextChoices):
    """The looping animations of the hands at work, static/img/motion/<value>.svg.

    They are drawn with the site, not uploaded; each label describes the movement,
    for editors choosing one and as the animation's text alternative.
    """

    EFFLEURAGE = "effleurage", "Effleurage: a flat hand glides along the forearm and back, over and over"
    KNEADING = "kneading", "Kneading: two hands squeeze the calf and lift it a little, then let go, over and over"
    KNUCKLING = "knuckling", "Knuckling: a loose fist rolls its knuckles along the thigh and back, over and over"
    PUMMELLING = "pummelling", "Pummelling: the side of a loose fist comes down lightly on the thigh and bounces up"
    CUPPING = "cupping", "Cupping: a hand shaped like a cup pats the arm gently and lifts, over and over"
    TAPPING = "tapping", "Tapping: fingertips tap along the forearm from the wrist towards the shoulder"
    CIRCULAR_THUMB = (
        "circular-thumb-pressure",
        "Circular thumb pressure: a thumb presses into the forearm and moves round in small circles",
    )
    CIRCULAR_FINGER = (
        "circular-finger-pressure",
        "Circular finger pressure: fingertips press at the base of the skull and move round in small circles",
    )
    PULLING = (
        "pulling-and-stretching",
        "Pulling and stretching: a hand gently draws the big toe outward, then eases it back",
    )
    GRAB_AND_RELEASE = (
        "grab-and-release",
        "Grab and release: a hand squeezes the opposite shoulder towards the palm, then lets go, over and over",
    )


class TechniqueQuerySet(ReviewedQuerySet, PublishableQuerySet):
    def for_detail(self):
        """Everything a technique page shows, in a constant number of queries (with
        ``attach_signs_of_care``, which also brings its tags)."""
        return self.select_related("reviewer").prefetch_related(
            models.Prefetch("related", queryset=Technique.objects.published().order_by("name")),
        )


def split_aliases(text):
    """The names in a comma-separated list of aliases."""
    return [alias.strip() for alias in text.split(",") if alias.strip()]


# History (django-reversion) keeps a technique's tags with it: see Routine.
@reversion.register(follow=["tag_links", "sources"])
class Technique(Publishable, Illustrated, Searchable, Reviewed):
    """A massage technique: what the hands do, how to do it, and the names people use for it."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, help_text="Part of the public address: /techniques/<slug>/")
    family = models.CharField(max_length=20, choices=Family.choices)
    definition = models.CharField(
        max_length=300, help_text="One sentence saying what the hands do. Shown in lists and previews."
    )
    how_to = models.TextField("how to do it", help_text="Plain text; leave a blank line between paragraphs.")
    aliases = models.CharField(
        max_length=300,
        blank=True,
        help_text="Other names readers search by, separated by commas (e.g. petrissage, tapotement).",
    )
    related = models.ManyToManyField("self", blank=True, help_text="Techniques to suggest alongside this one.")
    tags = TaggableManager(blank=True, help_text="Type to find a tag; + adds a new one.")
    illustration = models.FileField(
        upload_to=illustration_upload_to,
        blank=True,
        help_text="A picture of the hands doing the technique (PNG, JPEG or WebP).",
    )
    illustration_alt = models.CharField(
        "illustration description",
        max_length=250,
        blank=True,
        help_text="Describe the action shown (hand shape, direction), for readers who cannot see the picture.",
    )
    motion = models.CharField(
        max_length=40,
        choices=Motion.choices,
        blank=True,
        help_text="Choose the animation that shows this technique's motion; it plays beside the picture, which "
        "readers see instead when they pause it, print or ask for less motion. Leave empty for none.",
    )

    objects = TechniqueQuerySet.as_manager()
    title_field, summary_field = "name", "definition"

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("techniques:detail", kwargs={"slug": self.slug})

    @property
    def alias_list(self):
        return split_aliases(self.aliases)

    @property
    def letter(self):
        """The A–Z heading this term is listed under."""
        return first_letter(self.name)

    @property
    def tag_links(self):
        """The rows tying this technique to its tags, for its history (taggit's generic table)."""
        return TaggedItem.objects.filter(
            content_type__app_label="techniques", content_type__model="technique", object_id=self.pk
        )

    def tag_rows(self):
        """This technique's tags as rows for ``attach_signs_of_care`` (kind "tag": name, slug), so the
        page fetches them in the same query as its authors and sources."""
        no_number = Cast(Value(None), output_field=models.IntegerField())
        return self.tag_links.order_by().values_list(
            Value("tag"), Value(0), "pk", "tag__name", "tag__slug", Value(""), no_number, Value("")
        )

    @classmethod
    def search_rows(cls, pks):
        return cls._default_manager.filter(pk__in=pks).prefetch_related("tags")

    def search_parts(self):
        names = [self.name, self.alias_list]
        details = [self.get_family_display(), self.definition, self.how_to, sorted(t.name for t in self.tags.all())]
        return names, [], details

    def linked_texts(self):
        """The text on its page that glossary links run through (techniques/term_links.py)."""
        return [self.how_to]

    def used_in(self):
        """Published routines with a step that uses this technique, in reading order.

        Goes through the reverse relation so that this app never imports routines.
        """
        steps = (
            self.steps.filter(published_q("routine__"))
            .select_related("routine")
            .order_by("routine__order", "routine__title")
        )
        routines = {}
        for step in steps:
            routines.setdefault(step.routine_id, step.routine)
        return list(routines.values())


add_renditions(Technique)


class OldSlug(OldSlugBase):
    """A slug this technique used to have; its old address redirects to the current one."""

    technique = models.ForeignKey(Technique, on_delete=models.CASCADE, related_name="old_slugs")

    class Meta(OldSlugBase.Meta):
        verbose_name = "old address"


@reversion.register()
class Source(SourceBase):
    """A source of this technique's facts, listed under "Sources" on its page."""

    technique = models.ForeignKey(Technique, on_delete=models.CASCADE, related_name="sources")


reversion.register(TaggedItem)
