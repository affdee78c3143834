"""Every step is pictured with the body part it works on: its own drawing wherever its
technique's picture shows another part of the body."""

import re

import pytest
from django.urls import reverse

from routines.models import Routine

# For every seeded step, what it shows: "own" (a drawing of that step), "technique" (the
# technique's picture already shows this body part) or "routine" (no technique; the
# routine's own picture shows this very step).
SHOWN = {
    "neck": ["routine", "technique", "own"],
    "shoulders": ["technique"],
    "under-the-arm": ["own"],
    "arms": ["technique", "own", "technique", "technique", "technique"],
    "hands": ["own", "own", "own"],
    "lower-back": ["routine", "own", "own", "own"],
    "stomach": ["routine", "own", "own"],
    "legs": ["own", "own", "technique", "technique", "own"],
    "feet": ["own", "technique"],
}


def shown(step):
    picture = step.picture
    if picture is step:
        return "own"
    return "technique" if picture == step.technique else "routine"


def test_every_seeded_step_shows_the_body_part_it_works_on(seeded):
    found = {
        routine.slug: [shown(step) for step in routine.steps.order_by("order")]
        for routine in Routine.objects.prefetch_related("steps__technique")
    }
    assert found == SHOWN


@pytest.mark.parametrize("slug", sorted(SHOWN))
def test_the_routine_page_shows_each_steps_picture_with_its_description(client, seeded, slug):
    html = client.get(f"/routines/{slug}/").content.decode()
    for number, step in enumerate(Routine.objects.get(slug=slug).steps.order_by("order"), start=1):
        item = html[html.index(f'id="step-{number}"') :]
        item = item[: item.index("</li>")]
        picture = step.picture
        assert f'src="{picture.illustration.url}"' in item
        assert 'alt=""' not in item and re.search(r'alt="[^"]{20,}"', item)
        assert step.heading and step.heading in item  # and every step has a title


def test_an_editor_gives_a_step_its_own_picture_in_the_admin(editor_client, admin_form, seeded, settings):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    routine = Routine.objects.get(slug="shoulders")
    url = reverse("admin:routines_routine_change", args=[routine.pk])
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "#d9a").save(buffer, "PNG")
    alt = {"steps-0-illustration_alt": "The left hand grips the right shoulder."}
    form = admin_form(editor_client.get(url), **alt)
    form["steps-0-illustration"] = SimpleUploadedFile("shoulder.png", buffer.getvalue(), "image/png")
    assert editor_client.post(url, form).status_code == 302
    step = routine.steps.get()
    assert step.picture == step and step.illustration.name.startswith("steps/shoulders-1-")
    page = editor_client.get(routine.get_absolute_url()).content.decode()
    assert f'src="{settings.MEDIA_URL}CACHE/images/steps/' in page


def test_a_step_picture_without_a_description_is_refused(editor_client, admin_form, seeded):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    routine = Routine.objects.get(slug="shoulders")
    url = reverse("admin:routines_routine_change", args=[routine.pk])
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "#d9a").save(buffer, "PNG")
    form = admin_form(editor_client.get(url))
    form["steps-0-illustration"] = SimpleUploadedFile("shoulder.png", buffer.getvalue(), "image/png")
    response = editor_client.post(url, form)
    assert response.status_code == 200
    assert "Describe what the picture shows" in response.content.decode()
    assert not routine.steps.get().illustration
