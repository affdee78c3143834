"""An Atom feed of newly published and updated guides and glossary terms: /feed/."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from routines.models import Routine
from techniques.models import Technique

FEED_SIZE = 30


class GuidesFeed(Feed):
    feed_type = Atom1Feed
    title = f"{settings.SITE_NAME}: new and updated guides"
    subtitle = "Self-massage routines and glossary terms, newest changes first."

    def link(self):
        return reverse("home")

    def items(self):
        routines = list(Routine.objects.published().order_by("-updated_at")[:FEED_SIZE])
        techniques = list(Technique.objects.published().order_by("-updated_at")[:FEED_SIZE])
        return sorted(routines + techniques, key=lambda item: item.updated_at, reverse=True)[:FEED_SIZE]

    def item_title(self, item):
        kind = "Routine" if isinstance(item, Routine) else "Technique"
        return f"{kind}: {item}"

    def item_description(self, item):
        return item.summary if isinstance(item, Routine) else item.definition

    def item_updateddate(self, item):
        return item.updated_at

    def item_pubdate(self, item):
        return item.publish_at
