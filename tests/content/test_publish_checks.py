"""Checks before publishing: the checklist on the form, what blocks publishing, and a rename that keeps links."""

import datetime

import pytest
import reversion
from django.urls import reverse
from django.utils import timezone

from content.publishing import Status
from routines.models import Step


def change_url(item):
    return reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk])


def checklist(client, item):
    html = client.get(change_url(item)).content.decode()
    start = html.index("Checks before publishing")
    return html[start : html.index("</fieldset>", start)]


def test_a_clean_item_reads_ready_to_publish(editor_client, make_technique):
    assert "Nothing to fix: ready to publish." in checklist(editor_client, make_technique(name="Kneading"))


def test_a_picture_without_description_and_a_dead_address_block_publishing(
    editor_client, make_routine, make_technique
):
    routine = make_routine(
        title="Evening back",
        status=Status.DRAFT,
        intro="See /techniques/no-such-term/ and /routines/quiet-draft/ first.",
        steps=[(make_technique(), 60, False)],
    )
    make_routine(title="Quiet draft", slug="quiet-draft", status=Status.DRAFT)
    routine.illustration = "routines/evening.png"
    routine.save()
    Step.objects.filter(routine=routine).update(illustration="steps/one.png", illustration_alt="")
    found = checklist(editor_client, routine)
    assert found.count("Fix before publishing") == 4
    assert "The picture has no description" in found
    assert "Step 1: the picture has no description" in found
    assert "Intro links to /techniques/no-such-term/, but there is no such page." in found
    assert "/routines/quiet-draft/, but that page is not published" in found


def test_publishing_is_refused_while_the_text_links_to_a_page_readers_cannot_see(
    editor_client, admin_form, make_technique
):
    make_technique(name="Palm press", slug="palm-press", status=Status.DRAFT)
    item = make_technique(name="Kneading", status=Status.DRAFT)
    form = admin_form(
        editor_client.get(change_url(item)),
        how_to="Then try palm press: http://testserver/techniques/palm-press/.",
        status=Status.PUBLISHED,
    )
    response = editor_client.post(change_url(item), form)
    assert response.status_code == 200
    assert "This links to /techniques/palm-press/, but that page is not published" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.DRAFT
    # As a draft it saves, and the checklist keeps it in view.
    form["status"] = [Status.DRAFT]
    assert editor_client.post(change_url(item), form).status_code == 302
    assert "Fix before publishing" in checklist(editor_client, item)


def test_a_step_linking_to_a_missing_page_keeps_the_routine_from_being_published(
    editor_client, admin_form, make_routine, make_technique
):
    routine = make_routine(title="Evening back", status=Status.DRAFT, steps=[(make_technique(), 60, False)])
    form = admin_form(
        editor_client.get(change_url(routine)),
        **{"steps-0-instruction": "As in /routines/gone-away/, stroke the back."},
        status=Status.PUBLISHED,
    )
    response = editor_client.post(change_url(routine), form)
    assert response.status_code == 200
    assert "step 1 links to /routines/gone-away/, but there is no such page" in response.content.decode()
    routine.refresh_from_db()
    assert routine.status == Status.DRAFT


def test_a_live_address_and_an_old_address_that_redirects_are_fine(editor_client, admin_form, make_technique):
    moved = make_technique(name="Effleurage", slug="stroking")
    moved.slug = "effleurage"
    moved.save()
    item = make_technique(name="Kneading", how_to="Start with /techniques/stroking/ then /techniques/effleurage/.")
    assert "Nothing to fix" in checklist(editor_client, item)


def test_warnings_name_an_overdue_review_unlinked_terms_and_steps_without_a_side(
    editor_client, make_routine, make_technique
):
    cupping = make_technique(name="Cupping", slug="hand-cupping")
    with reversion.create_revision():  # its name as it was, in its history
        cupping.save()
    cupping.name = "Hand cupping"
    cupping.save()
    make_technique(name="Palm press", slug="palm-press", status=Status.DRAFT)
    routine = make_routine(
        title="Arms",
        intro="Finish with cupping, then a palm press.",
        next_review_due=timezone.localdate() - datetime.timedelta(days=3),
        steps=[(None, 60, True), (None, 60, False)],
    )
    Step.objects.filter(routine=routine, order=1).update(duration_seconds=0)
    found = checklist(editor_client, routine)
    assert "Fix before publishing" not in found
    assert "Its review was due on" in found
    assert "“cupping” in the text was a name of Hand cupping and no longer links" in found
    assert "“Palm press” is named in the text, but it is not published" in found
    assert "Step 2 does not say which side" in found and "Step 1 does not say which side" not in found
    assert "Step 1 has no time" in found


@pytest.fixture
def cupping_in_use(make_technique, make_routine):
    cupping = make_technique(name="Cupping", slug="cupping")
    arms = make_routine(title="Arms", slug="arms", intro="Cupping wakes the arm up.", steps=[(cupping, 60, True)])
    Step.objects.filter(routine=arms).update(instruction="Use cupping along the arm.")
    return cupping, arms


def test_a_rename_keeps_the_glossary_links_when_the_offer_is_accepted(
    client, editor_client, admin_form, cupping_in_use
):
    cupping, arms = cupping_in_use
    assert (
        client.get(arms.get_absolute_url()).content.decode().count('class="term-link" href="/techniques/cupping/"')
        >= 2
    )
    form = admin_form(editor_client.get(change_url(cupping)), name="Hand cupping")
    assert form["keep_old_name"] == ["on"]  # ticked by default
    response = editor_client.post(change_url(cupping), form, follow=True)
    assert "“Cupping” is kept as another name, so its 2 glossary link(s) in published text stay (Arms)" in (
        response.content.decode()
    )
    cupping.refresh_from_db()
    assert cupping.name == "Hand cupping" and cupping.alias_list == ["Cupping"]
    editor_client.logout()
    assert (
        client.get(arms.get_absolute_url()).content.decode().count('class="term-link" href="/techniques/cupping/"')
        >= 2
    )


def test_a_rename_without_the_alias_says_which_links_it_dropped(client, editor_client, admin_form, cupping_in_use):
    cupping, arms = cupping_in_use
    form = admin_form(editor_client.get(change_url(cupping)), name="Hand cupping", keep_old_name=None)
    response = editor_client.post(change_url(cupping), form, follow=True)
    assert "The rename took 2 glossary link(s) to it out of published text (Arms)" in response.content.decode()
    cupping.refresh_from_db()
    assert cupping.alias_list == []
    editor_client.logout()
    assert 'class="term-link" href="/techniques/cupping/"' not in client.get(arms.get_absolute_url()).content.decode()
