"""The daily plan: the routines a reader picks, their total time, and when in the day to fit them in.

The plan lives in the address (/plan/?r=neck&r=legs), so it can be bookmarked and shared
without an account, and nothing is stored.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from routines.models import Routine, attach_tag_names

# More choices than there are routines is never a real plan; beyond this the rest are ignored.
MAX_CHOICES = 50
MAX_SLUG_LENGTH = 100

# Position tags (see the seeded routines): floor and lying-down routines need space at home;
# the others are done sitting, which fits in front of the television or with music on.
FLOOR_POSITIONS = {"floor", "lying down"}

# A seated session longer than this is split between lunchtime and the television.
SEATED_SESSION_SECONDS = 20 * 60


@dataclass
class Slot:
    """A moment of the day in the suggested plan, with the routines that fit it."""

    key: str
    label: str
    hint: str
    routines: list = field(default_factory=list)

    @property
    def total_seconds(self):
        return sum(routine.total_seconds for routine in self.routines)


def _slots():
    """The day's moments, in the order they come."""
    return {
        "morning": Slot("morning", "Morning", "At home before the day gets going: these need the floor or a bed."),
        "lunchtime": Slot("lunchtime", "Lunchtime or a break", "On any chair, at home or at work."),
        "tv": Slot(
            "tv",
            "While you watch television or listen to music",
            "Sitting comfortably, on the sofa or in an armchair.",
        ),
        "evening": Slot("evening", "Evening", "At home on the floor or lying down, when there is time to unwind."),
    }


def _is_floor_routine(routine):
    return any(str(tag).lower() in FLOOR_POSITIONS for tag in routine.tag_names["positions"])


def _share(routines, main, extra):
    """Spread routines over two slots, longest first: ``extra`` takes one only while it stays no longer than ``main``.

    So the main slot (the evening, the television) keeps the longer share, and a single routine always lands there.
    """
    for routine in sorted(routines, key=lambda routine: -routine.total_seconds):
        if extra.total_seconds + routine.total_seconds <= main.total_seconds:
            extra.routines.append(routine)
        else:
            main.routines.append(routine)


def suggest_slots(chosen):
    """When in the day to do each chosen routine; returns the slots that got any, in the order of the day.

    Floor and lying-down routines go to the evening, sharing with the morning when there are
    several; seated ones go in front of the television, sharing with lunchtime when together
    they would make a long session. Within a slot, routines keep the reader's order.
    """
    slots = _slots()
    floor = [routine for routine in chosen if _is_floor_routine(routine)]
    seated = [routine for routine in chosen if not _is_floor_routine(routine)]
    _share(floor, slots["evening"], slots["morning"])
    if sum(routine.total_seconds for routine in seated) > SEATED_SESSION_SECONDS:
        _share(seated, slots["tv"], slots["lunchtime"])
    else:
        slots["tv"].routines.extend(seated)
    position = {routine.pk: n for n, routine in enumerate(chosen)}
    for slot in slots.values():
        slot.routines.sort(key=lambda routine: position[routine.pk])
    return [slot for slot in slots.values() if slot.routines]


def read_choices(values, known):
    """The chosen slugs from ``?r=``, in the reader's order without repeats, and how many were not recognised.

    ``known`` maps slug to routine. Empty values are skipped silently; anything else that is
    not a published routine's slug (a typo, a routine since removed) is counted, never echoed.
    """
    chosen, unknown = {}, set()
    for value in values[:MAX_CHOICES]:
        value = value.strip()[: MAX_SLUG_LENGTH + 1]
        if not value:
            continue
        if value in known:
            chosen.setdefault(value, known[value])
        else:
            unknown.add(value)
    return list(chosen.values()), len(unknown)


def plan_url(slugs):
    """The shareable address of a plan of these routines."""
    url = reverse("plan")
    return f"{url}?{urlencode([('r', slug) for slug in slugs])}" if slugs else url


@require_safe
def plan(request):
    """Pick routines (a GET form of checkboxes); see the total time and a suggested day."""
    routines = attach_tag_names(Routine.objects.published().with_total_time())
    chosen, unknown_count = read_choices(request.GET.getlist("r"), {routine.slug: routine for routine in routines})
    context = {
        "routines": routines,
        "chosen": chosen,
        "chosen_slugs": {routine.slug for routine in chosen},
        "unknown_count": unknown_count,
        "total_seconds": sum(routine.total_seconds for routine in chosen),
        "slots": suggest_slots(chosen),
        "plan_url": plan_url([routine.slug for routine in chosen]),
        "select_all_url": plan_url([routine.slug for routine in routines]),
    }
    return render(request, "site/plan.html", context)
