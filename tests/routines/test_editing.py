"""Editing routines in the admin: steps, preview, publishing checks, old addresses, history."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from content.publishing import Status
from routines.models import Benefit, Equipment, Routine


def change_url(routine):
    return reverse("admin:routines_routine_change", args=[routine.pk])


def tag_ids(vocabulary, *names):
    """The ids of tags of one vocabulary, as the tag field submits them once picked."""
    return [str(vocabulary.objects.get_or_create(name=name)[0].pk) for name in names]


def step_texts(client, routine):
    """The step instructions on the routine's public page, in reading order."""
    html = client.get(routine.get_absolute_url()).content.decode()
    return re.findall(r'class="step-instruction"><p>(.*?)</p>', html)


def save_in_admin(client, admin_form, routine, **changes):
    """Submit the routine's change form with some fields changed; None removes a field."""
    return client.post(change_url(routine), admin_form(client.get(change_url(routine)), **changes))


@pytest.fixture
def routine(make_technique, make_routine):
    """A published routine of three steps, each with its own published technique."""
    techniques = [make_technique(name=name) for name in ("Effleurage", "Kneading", "Tapping")]
    return make_routine(title="Evening back", slug="evening-back", steps=[(t, 60, False) for t in techniques])


# The form


def test_the_steps_are_sortable_with_thumbnails_and_technique_autocomplete(editor_client, routine, settings):
    technique = routine.steps.first().technique
    technique.illustration = "techniques/effleurage.png"
    technique.save()
    html = editor_client.get(change_url(routine)).content.decode()
    assert "sortable" in re.search(r'<fieldset class="module ([^"]*)" aria-labelledby="steps-heading"', html)[1]
    assert 'class="_reorder_"' in html  # the order field is hidden and set by dragging
    assert "adminsortable2/js/adminsortable2" in html
    assert 'data-ajax--url="/admin/autocomplete/"' in html
    # The thumbnail is the picture's small WebP rendition, not the full-size original.
    assert f'src="{settings.MEDIA_URL}CACHE/images/techniques/effleurage/' in html


def test_steps_are_saved_in_the_order_they_were_dragged_to(client, editor_client, admin_form, routine):
    before = step_texts(client, routine)
    # Dragging sets the hidden order inputs to the new positions: the last step first.
    response = save_in_admin(
        editor_client, admin_form, routine, **{"steps-0-order": "2", "steps-1-order": "3", "steps-2-order": "1"}
    )
    assert response.status_code == 302
    assert step_texts(client, routine) == [before[2], before[0], before[1]]
    assert Version.objects.get_for_object(routine).first().revision.get_comment() == "Changed order of the steps."


def test_saving_untouched_text_with_browser_line_ends_changes_nothing(editor_client, admin_form, routine):
    routine.intro = "First paragraph.\n\nSecond paragraph."
    routine.save()
    # Browsers send text areas back with CRLF line ends.
    save_in_admin(editor_client, admin_form, routine, intro="First paragraph.\r\n\r\nSecond paragraph.")
    routine.refresh_from_db()
    assert routine.intro == "First paragraph.\n\nSecond paragraph."
    assert Version.objects.get_for_object(routine).first().revision.get_comment() == "No fields changed."


def test_a_published_edit_shows_on_the_next_public_page_load(client, editor_client, admin_form, routine):
    assert client.get(routine.get_absolute_url()).status_code == 200  # now in any page cache
    save_in_admin(editor_client, admin_form, routine, **{"steps-0-instruction": "Brand new words."})
    assert step_texts(client, routine)[0] == "Brand new words."


def test_a_duplicate_title_or_slug_is_a_form_error(editor_client, admin_form, routine, make_routine):
    other = make_routine(title="Morning neck", slug="morning-neck", status=Status.DRAFT)
    for field, value in (("title", "Evening back"), ("slug", "evening-back")):
        response = save_in_admin(editor_client, admin_form, other, **{field: value})
        assert response.status_code == 200 and "already exists" in response.content.decode()


# Publishing checks


def test_publishing_a_routine_without_steps_is_refused(editor_client, admin_form, make_routine):
    empty = make_routine(title="Empty", status=Status.DRAFT)
    response = save_in_admin(editor_client, admin_form, empty, status=Status.PUBLISHED)
    assert response.status_code == 200
    assert "A published routine needs at least one step" in response.content.decode()
    empty.refresh_from_db()
    assert empty.status == Status.DRAFT


def test_deleting_every_step_of_a_published_routine_is_refused(editor_client, admin_form, routine):
    changes = {f"steps-{i}-DELETE": "on" for i in range(3)}
    response = save_in_admin(editor_client, admin_form, routine, **changes)
    assert "A published routine needs at least one step" in response.content.decode()
    assert routine.steps.count() == 3


def test_publishing_a_routine_that_uses_a_draft_technique_names_it(editor_client, admin_form, routine, make_technique):
    draft = make_technique(name="Palm press", status=Status.DRAFT)
    response = save_in_admin(editor_client, admin_form, routine, **{"steps-0-technique": str(draft.pk)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "This routine cannot be published yet" in html and "Palm press (draft)" in html
    assert routine.steps.first().technique.name == "Effleurage"


def test_a_technique_scheduled_after_the_routine_is_refused_before_it_is_allowed(
    editor_client, admin_form, make_technique, make_routine
):
    soon = timezone.now() + timezone.timedelta(days=1)
    technique = make_technique(name="Palm press", publish_at=soon)
    routine = make_routine(title="Evening back", status=Status.DRAFT, steps=[(technique, 60, False)])
    response = save_in_admin(editor_client, admin_form, routine, status=Status.PUBLISHED)
    assert "Palm press (scheduled later than this routine)" in response.content.decode()

    later = timezone.localtime(soon + timezone.timedelta(days=1))
    response = save_in_admin(
        editor_client,
        admin_form,
        routine,
        status=Status.PUBLISHED,
        publish_at_0=later.strftime("%d/%m/%Y"),
        publish_at_1=later.strftime("%H:%M:%S"),
    )
    assert response.status_code == 302
    routine.refresh_from_db()
    assert routine.status == Status.PUBLISHED and not routine.is_live


def test_a_draft_routine_may_use_draft_techniques(editor_client, admin_form, make_technique, make_routine):
    routine = make_routine(status=Status.DRAFT, steps=[(make_technique(status=Status.DRAFT), 60, False)])
    assert save_in_admin(editor_client, admin_form, routine, summary="Work in progress.").status_code == 302


# Preview and the public


def test_an_editor_previews_a_draft_routine_with_its_steps(editor_client, make_technique, make_routine):
    draft = make_routine(title="Evening back", status=Status.DRAFT, steps=[(make_technique(), 60, False)])
    response = editor_client.get(reverse("admin:routines_routine_preview", args=[draft.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "routines/routine_detail.html"
    assert "Preview — not visible to the public yet" in html and 'content="noindex"' in html
    assert 'id="step-1"' in html
    assert "Preview on site" in editor_client.get(change_url(draft)).content.decode()


@pytest.mark.parametrize(
    "fields",
    [{"status": Status.DRAFT}, {"publish_at": timezone.now() + timezone.timedelta(days=1)}],
    ids=["draft", "future"],
)
def test_drafts_and_future_routines_are_404_to_the_public_and_previews_need_sign_in(client, make_routine, fields):
    hidden = make_routine(**fields)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    response = client.get(reverse("admin:routines_routine_preview", args=[hidden.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_a_changed_routine_slug_redirects_permanently(client, editor_client, admin_form, routine):
    assert save_in_admin(editor_client, admin_form, routine, slug="back-at-night").status_code == 302
    editor_client.logout()
    response = client.get("/routines/evening-back/")
    assert response.status_code == 301 and response["Location"] == "/routines/back-at-night/"
    assert client.get("/routines/back-at-night/").status_code == 200
    assert client.get("/routines/never-existed/").status_code == 404


# History


def test_editing_steps_records_a_revision_and_reverting_restores_them(
    client, editor_client, admin_form, routine, make_technique
):
    original = step_texts(client, routine)
    original_search = Routine.objects.get(pk=routine.pk).search_document

    # Change a step's words, drop another and add a new one.
    extra = make_technique(name="Palm press")
    save_in_admin(
        editor_client,
        admin_form,
        routine,
        **{
            "steps-0-instruction": "Changed words.",
            "steps-1-DELETE": "on",
            # A fourth row, as "Add another step" adds it.
            "steps-TOTAL_FORMS": "4",
            "steps-3-technique": str(extra.pk),
            "steps-3-instruction": "A brand new step.",
            "steps-3-duration_seconds": "30",
        },
    )
    assert step_texts(client, routine) == ["Changed words.", original[2], "A brand new step."]
    versions = Version.objects.get_for_object(routine)
    assert versions.count() == 2  # the state before the first edit, and the edit
    assert versions.first().revision.user.username == "editor"

    history = editor_client.get(reverse("admin:routines_routine_history", args=[routine.pk]))
    html = history.content.decode()
    assert "Changed Instruction for step" in html and "Added step" in html and "Deleted step" in html

    before = history.context["action_list"][-1]["url"]
    revert_form = editor_client.get(before)
    assert "Changed words." not in revert_form.content.decode()
    assert editor_client.post(before, admin_form(revert_form)).status_code == 302

    assert step_texts(client, routine) == original
    assert Routine.objects.get(pk=routine.pk).search_document == original_search
    assert routine.steps.count() == 3
    assert (
        "Reverted to previous version"
        in editor_client.get(reverse("admin:routines_routine_history", args=[routine.pk])).content.decode()
    )


def test_restoring_a_version_whose_slug_is_taken_now_is_refused_with_a_message(
    editor_client, admin_form, routine, make_routine
):
    save_in_admin(editor_client, admin_form, routine, slug="back-at-night")
    make_routine(title="Another evening", slug="evening-back")
    history = editor_client.get(reverse("admin:routines_routine_history", args=[routine.pk]))
    before = history.context["action_list"][-1]["url"]

    response = editor_client.get(before, follow=True)
    assert response.status_code == 200
    assert "cannot be restored: its slug “evening-back” is now used by another routine" in response.content.decode()
    routine.refresh_from_db()
    assert routine.slug == "back-at-night"


def test_restoring_a_version_whose_technique_was_deleted_since_keeps_the_step_without_it(
    client, editor_client, admin_form, routine
):
    save_in_admin(editor_client, admin_form, routine, **{"steps-0-instruction": "Changed words."})
    gone = routine.steps.first().technique
    editor_client.post(reverse("admin:techniques_technique_delete", args=[gone.pk]), {"post": "yes"})

    before = editor_client.get(reverse("admin:routines_routine_history", args=[routine.pk])).context["action_list"][
        -1
    ]["url"]
    revert_form = editor_client.get(before)
    assert revert_form.status_code == 200
    assert editor_client.post(before, admin_form(revert_form)).status_code == 302
    first = routine.steps.first()
    assert first.instruction == "Step 1 of Evening back." and first.technique is None
    assert client.get(routine.get_absolute_url()).status_code == 200


def test_restoring_a_version_brings_back_its_tags(client, editor_client, admin_form, routine):
    routine.benefits.set(["relaxation", "sleep"])
    routine.equipment.set(["hands only"])
    save_in_admin(
        editor_client,
        admin_form,
        routine,
        benefits=tag_ids(Benefit, "pain relief"),
        equipment=tag_ids(Equipment, "massage ball"),
    )
    assert sorted(routine.benefits.names()) == ["pain relief"]

    history = editor_client.get(reverse("admin:routines_routine_history", args=[routine.pk]))
    before = history.context["action_list"][-1]["url"]
    revert_form = editor_client.get(before)
    selected = re.findall(r"<option [^>]*selected>([^<]*)</option>", revert_form.content.decode())
    assert {"relaxation", "sleep"} <= set(selected)  # the form shows the old tags
    assert sorted(Routine.objects.get(pk=routine.pk).benefits.names()) == ["pain relief"]  # not yet restored
    assert editor_client.post(before, admin_form(revert_form)).status_code == 302

    assert sorted(routine.benefits.names()) == ["relaxation", "sleep"]
    assert list(routine.equipment.names()) == ["hands only"]
    html = client.get(routine.get_absolute_url()).content.decode()
    assert "relaxation" in html and "pain relief" not in html


def test_a_tag_removed_in_the_admin_stays_removed_until_an_older_version_is_restored(
    editor_client, admin_form, routine
):
    routine.benefits.set(["relaxation", "sleep"])
    save_in_admin(editor_client, admin_form, routine, benefits=tag_ids(Benefit, "sleep"))
    save_in_admin(editor_client, admin_form, routine, **{"steps-0-instruction": "Changed words."})
    history = editor_client.get(reverse("admin:routines_routine_history", args=[routine.pk]))
    # The latest version, restored, keeps the tags as they were after the removal.
    latest = history.context["action_list"][0]["url"]
    editor_client.post(latest, admin_form(editor_client.get(latest)))
    assert list(routine.benefits.names()) == ["sleep"]


def test_a_preview_shows_a_step_whose_technique_is_not_public_yet(client, editor_client, make_technique, make_routine):
    draft_technique = make_technique(name="Wringing", slug="wringing", status=Status.DRAFT)
    routine = make_routine(title="Evening back", steps=[(draft_technique, 60, False)])
    preview = editor_client.get(reverse("admin:routines_routine_preview", args=[routine.pk])).content.decode()
    technique_preview = reverse("admin:techniques_technique_preview", args=[draft_technique.pk])
    assert f'href="{technique_preview}">Wringing</a>' in preview
    assert "not public yet" in preview and 'data-technique="Wringing"' in preview
    public = client.get(routine.get_absolute_url()).content.decode()
    assert "Wringing" not in public and "not public yet" not in public
    assert 'id="step-1"' in public  # the step itself is public, without the technique's name


def test_restoring_a_version_whose_tag_was_deleted_since_restores_the_rest(editor_client, admin_form, routine):
    routine.benefits.set(["relaxation", "sleep"])
    save_in_admin(
        editor_client, admin_form, routine, summary="Changed summary.", benefits=tag_ids(Benefit, "relaxation")
    )
    Benefit.objects.filter(name="sleep").delete()

    before = editor_client.get(reverse("admin:routines_routine_history", args=[routine.pk])).context["action_list"][
        -1
    ]["url"]
    revert_form = editor_client.get(before)
    assert revert_form.status_code == 200
    assert editor_client.post(before, admin_form(revert_form)).status_code == 302
    routine.refresh_from_db()
    assert routine.summary != "Changed summary."
    assert list(routine.benefits.names()) == ["relaxation"]
    assert not Benefit.objects.filter(name="sleep").exists()
