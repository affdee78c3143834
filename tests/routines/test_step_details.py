"""A step's own caution, pressure and needs: set by editors, seeded where the guide says so,
shown at the step on the page and in print, and handed to guided mode."""

import pytest

from massage_site import seeding
from massage_site.models import SeedRecord
from routines.models import Routine, Step


def neck_steps():
    return list(Routine.objects.get(slug="neck").steps.order_by("order"))


def test_the_neck_caution_sits_on_its_squeeze_step(seeded):
    first, _circles, squeeze = neck_steps()
    assert "spine" in squeeze.caution and "light" in squeeze.caution.lower()
    assert squeeze.pressure == "light" and first.pressure == "firm"
    assert "spine" not in squeeze.instruction  # said once, in the caution
    assert squeeze.caution not in Routine.objects.get(slug="neck").cautions


def test_seed_fills_pressure_and_needs_only_where_the_guide_says_so(seeded):
    pressures = dict(Step.objects.exclude(pressure="").values_list("title", "pressure"))
    assert pressures["Grab and release the top of the shoulder"] == "comfortable"
    assert pressures["Thumb circles in the palm"] == "comfortable"
    assert pressures["A gentle squeeze up the neck"] == "light"
    needs = dict(Step.objects.exclude(needs="").values_list("title", "needs"))
    assert needs == {"Knead the thigh": "hands_or_tool", "Pull and stretch each toe": "hands_or_tool"}
    assert Step.objects.filter(pressure="", needs="", caution="").count() > Step.objects.count() / 2


def test_the_routine_page_shows_the_caution_at_its_step_with_pressure_and_needs(client, seeded):
    html = client.get("/routines/neck/").content.decode()
    step3 = html[html.index('id="step-3"') :]
    assert '<span class="step-pressure">Pressure: light</span>' in step3
    assert 'class="caution step-caution"' in step3 and "very close to the spine" in step3
    assert html.count("step-caution-label") == 1  # only the step that has one
    legs = client.get("/routines/legs/").content.decode()
    assert '<span class="step-needs">You need: your hands, or a massage tool</span>' in legs


def test_the_player_has_places_for_the_switch_the_details_and_the_caution(client, seeded):
    html = client.get("/routines/shoulders/").content.decode()
    assert '<p class="player-switch" id="player-switch" hidden>Now the other side</p>' in html
    assert 'id="player-meta"' in html and 'id="player-caution" hidden' in html


def test_a_database_seeded_before_step_details_still_counts_as_untouched(seeded):
    """Old records fingerprinted steps without caution, pressure and needs: they still update."""
    kind = seeding.RoutineKind(seeding.SEED_DIR)
    neck = Routine.objects.get(slug="neck")
    Step.objects.filter(routine=neck).update(caution="", pressure="", needs="")
    older = kind.before_added(kind.snapshot(neck))
    SeedRecord.objects.filter(kind="routine", key="neck").update(
        seed_digest="old", state_digest=seeding.fingerprint(older)
    )
    report = seeding.load()
    assert "routine neck" in report.updated
    assert neck_steps()[2].pressure == "light"


@pytest.mark.parametrize("field, value", [("pressure", "crushing"), ("needs", "a hammer")])
def test_pressure_and_needs_accept_only_their_choices(seeded, field, value):
    from django.core.exceptions import ValidationError

    step = neck_steps()[0]
    setattr(step, field, value)
    with pytest.raises(ValidationError):
        step.full_clean(exclude=["illustration"])
