"""Tag pages: everything published that carries one tag, techniques and routines alike."""

from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from taggit.models import Tag

from routines.models import TAG_KINDS, Routine, attach_tag_names
from techniques.models import Technique


@require_safe
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    techniques = Technique.objects.published().filter(tags=tag).order_by("name")
    tagged = Q()
    for through in TAG_KINDS.values():
        tagged |= Q(pk__in=through.objects.filter(tag=tag).values("content_object_id"))
    routines = attach_tag_names(Routine.objects.published().with_total_time().filter(tagged))
    if not techniques and not routines:
        # A tag left over on drafts only: nothing public to show.
        return render(request, "404.html", status=404)
    return render(request, "site/tag_detail.html", {"tag": tag, "techniques": techniques, "routines": routines})
