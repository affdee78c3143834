"""Tag pages: everything published that carries one tag, techniques and routines alike.

Techniques have tags of their own (taggit's pool); routines have three vocabularies
(benefits, positions, equipment). A tag page is an address, /tags/<slug>/, not a row:
when the same slug is in more than one vocabulary ("hands only" tags techniques and is
equipment routines need), the page lists everything carrying it in any of them, as it did
when all tags shared one pool. Its heading is the name of the first vocabulary that has
it, in the order of TAG_VOCABULARIES.
"""

from django.db.models import CharField, Q, Value
from django.shortcuts import render
from django.views.decorators.http import require_safe
from taggit.models import Tag

from routines.models import TAG_KINDS, Benefit, Equipment, Position, Routine, TagRef, attach_tag_names
from techniques.models import Technique

TAG_VOCABULARIES = (Benefit, Position, Equipment, Tag)


def tag_name(slug):
    """The name a slug has in the first vocabulary that has it, or None (one UNION query)."""
    queries = [
        model.objects.filter(slug=slug).order_by().values_list(Value(rank, output_field=CharField()), "name")
        for rank, model in enumerate(TAG_VOCABULARIES)
    ]
    found = sorted(queries[0].union(*queries[1:], all=True))
    return found[0][1] if found else None


@require_safe
def tag_detail(request, slug):
    name = tag_name(slug)
    if name is None:
        return render(request, "404.html", status=404)
    techniques = Technique.objects.published().filter(tags__slug=slug).order_by("name")
    tagged = Q()
    for through in TAG_KINDS.values():
        tagged |= Q(pk__in=through.objects.filter(tag__slug=slug).values("content_object_id"))
    routines = attach_tag_names(Routine.objects.published().with_total_time().filter(tagged))
    if not techniques and not routines:
        # A tag left over on drafts only: nothing public to show.
        return render(request, "404.html", status=404)
    tag = TagRef(name, slug)
    return render(request, "site/tag_detail.html", {"tag": tag, "techniques": techniques, "routines": routines})
