"""Site-wide content: editable pages (home introduction, safety), seed bookkeeping and readers' feedback."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator

from content.search_text import Searchable, fold


class PageQuerySet(models.QuerySet):
    def published(self):
        """Pages have no drafts: every page is public."""
        return self.all()


class Page(Searchable):
    """A page of prose that editors maintain, such as the home page introduction.

    Search finds pages too, so that what the site says about safety or about itself answers
    readers' words (content/search_text.py).
    """

    slug = models.SlugField(
        unique=True, help_text="'home' is the home page introduction; 'about' is the about page, at /about/."
    )
    title = models.CharField(max_length=200)
    summary = models.CharField(
        max_length=300,
        blank=True,
        help_text="One or two sentences shown first, in large type: on the home page, what the site is.",
    )
    body = models.TextField(help_text="Simple HTML: paragraphs, lists, bold, italics and links.")
    updated_at = models.DateTimeField(auto_now=True)

    objects = PageQuerySet.as_manager()
    summary_field = "search_summary"

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    @property
    def text(self):
        """The body as plain text."""
        return " ".join(strip_tags(self.body).split())

    @property
    def search_summary(self):
        """What a search result says under the title: the summary, else the start of the body."""
        return self.summary or Truncator(self.text).words(30)

    def search_parts(self):
        # The address word ("safety") is how many readers name a page.
        return [self.title], [self.slug.replace("-", " ")], [self.summary, self.text]

    def get_absolute_url(self):
        if self.slug == "home":
            return reverse("home")
        if self.slug == "about":
            return reverse("about")
        return reverse("page", kwargs={"slug": self.slug})


class SeedRecord(models.Model):
    """What the seed command last wrote for one item, so that re-seeding never undoes an editor.

    ``seed_digest`` fingerprints the seed entry that was applied; ``state_digest``
    fingerprints the item as it stood right after. If the item no longer matches
    ``state_digest`` an editor has changed (or deleted) it, and the seed leaves it alone.
    """

    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=100)
    seed_digest = models.CharField(max_length=64)
    state_digest = models.CharField(max_length=64)
    applied_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="unique_seed_record")]

    def __str__(self):
        return f"{self.kind} {self.key}"


class Feedback(models.Model):
    """A reader's answer to "Was this page helpful?" on a technique or routine page.

    Which guide, yes or no, an optional comment and the day it came: nothing about the
    reader (no address, no browser, not even the time of day), so it cannot be linked to a
    person or to the server's logs.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    helpful = models.BooleanField()
    comment = models.TextField(max_length=500, blank=True)
    created_on = models.DateField(auto_now_add=True)

    class Meta:
        ordering = ["-created_on", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="feedback_item")]
        verbose_name_plural = "feedback"

    def __str__(self):
        return f"{'Helpful' if self.helpful else 'Not helpful'}: {self.item or 'a deleted guide'}"


class SearchCount(models.Model):
    """How often a search was made on one day (massage_site/search_record.py).

    The query folded (case, accents and spelling variants as search sees them) and the day:
    nothing about who searched, nor when in the day.
    """

    day = models.DateField()
    query = models.CharField(max_length=60)
    count = models.PositiveIntegerField(default=0)
    found_nothing = models.BooleanField(default=False, help_text="The search found no result.")

    class Meta:
        ordering = ["-day", "-count", "query"]
        constraints = [models.UniqueConstraint(fields=["day", "query"], name="one_search_count_a_day")]
        verbose_name = "search made"
        verbose_name_plural = "searches made"

    def __str__(self):
        return f"{self.query} ({self.day}: {self.count})"


class SearchPick(models.Model):
    """An editor's pick: a technique, routine or page shown first for a search.

    Matched on the search as search folds it: "Calf" and "calf" are one search, and so are
    "pummeling" and "pummelling". Several picks for one search pin several results, in "order".
    """

    query = models.CharField(
        "search",
        max_length=60,
        help_text="What readers type. Case, accents and UK/US spellings do not matter: 'Pétrissage' "
        "and 'petrissage' are one search.",
    )
    folded = models.CharField(max_length=60, editable=False, db_index=True)
    technique = models.ForeignKey(
        "techniques.Technique", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    routine = models.ForeignKey("routines.Routine", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    page = models.ForeignKey(Page, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first among this search's picks.")

    TARGETS = ("technique", "routine", "page")

    class Meta:
        ordering = ["folded", "order", "pk"]
        verbose_name = "editors' pick"
        verbose_name_plural = "editors' picks"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(technique__isnull=False, routine__isnull=True, page__isnull=True)
                    | models.Q(technique__isnull=True, routine__isnull=False, page__isnull=True)
                    | models.Q(technique__isnull=True, routine__isnull=True, page__isnull=False)
                ),
                name="search_pick_one_result",
                violation_error_message="Choose exactly one result: a technique, a routine or a page.",
            )
        ]

    def __str__(self):
        return f"“{self.query}” → {self.item}"

    def save(self, *args, **kwargs):
        self.folded = fold(self.query)
        super().save(*args, **kwargs)

    @property
    def item(self):
        return self.technique or self.routine or self.page

    def clean(self):
        self.folded = fold(self.query)
        if not self.folded:
            raise ValidationError({"query": "Type the words readers search for (letters or numbers)."})
        chosen = [name for name in self.TARGETS if getattr(self, f"{name}_id")]
        if len(chosen) != 1:
            raise ValidationError("Choose exactly one result: a technique, a routine or a page.")
        same = SearchPick.objects.filter(folded=self.folded, **{chosen[0]: getattr(self, chosen[0])})
        if same.exclude(pk=self.pk).exists():
            raise ValidationError(f"{self.item} is already picked for this search.")
