"""Contributors' photos: optional, described, checked and cleaned like every uploaded picture,
shown small on their page and the about page, and initials when there is none."""

import io
import json
import re
import zipfile

import pytest
import reversion
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image
from reversion.models import Version

from content.models import Contributor
from content.registry import illustrated_models
from content.renditions import RENDITIONS_ROOT
from massage_site import backup

DESCRIPTION = "Ann Example, smiling, in a green jumper"


def photo_upload(name="ann.jpg", size=(600, 800), colour="olive"):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def renditions_of(name):
    folder = f"{RENDITIONS_ROOT}/{name.rsplit('.', 1)[0]}"
    try:
        return default_storage.listdir(folder)[1]
    except FileNotFoundError:
        return []


@pytest.fixture
def ann(db):
    return Contributor.objects.create(name="Ann Example", slug="ann-example", role="Physiotherapist")


def save_in_admin(client, admin_form, person, **changes):
    """Post the contributor's admin form as an editor's browser would, with ``changes``."""
    url = reverse("admin:content_contributor_change", args=[person.pk])
    data = admin_form(client.get(url))
    data.update(changes)
    return client.post(url, data)


def test_an_editor_adds_a_contributor_with_a_photo_in_the_admin(editor_client, admin_form, seeded):
    url = reverse("admin:content_contributor_add")
    data = admin_form(editor_client.get(url), name="Ann Example", slug="ann-example", role="Physiotherapist")
    response = editor_client.post(url, {**data, "illustration": photo_upload(), "illustration_alt": DESCRIPTION})
    assert response.status_code == 302, response.context["adminform"].form.errors

    ann = Contributor.objects.get(slug="ann-example")
    assert re.fullmatch(r"contributors/ann-example-[0-9a-f]{8}\.jpg", ann.illustration.name)
    assert (ann.illustration_width, ann.illustration_height) == (600, 800)
    assert default_storage.exists(ann.illustration.name) and len(renditions_of(ann.illustration.name)) == 4


def test_the_photo_shows_on_the_contributor_page_and_small_and_lazy_on_the_about_page(client, seeded, ann):
    ann.illustration, ann.illustration_alt = photo_upload(), DESCRIPTION
    ann.save()
    photo = ann.illustration_webp_320.url

    own_page = client.get("/about/people/ann-example/").content.decode()
    assert f'<img class="portrait portrait-large" src="{photo}" alt="{DESCRIPTION}" width="96" height="96"' in own_page
    assert 'loading="lazy"' not in own_page.split(photo)[1].split(">")[0]  # at the top: not held back

    about = client.get("/about/").content.decode()
    assert f'<img class="portrait" src="{photo}" alt="{DESCRIPTION}" width="48" height="48" loading="lazy"' in about


def test_without_a_photo_the_pages_show_initials(client, seeded, ann):
    own_page = client.get("/about/people/ann-example/").content.decode()
    assert '<span class="portrait portrait-initials portrait-large" aria-hidden="true">AE</span>' in own_page
    assert '<img class="portrait' not in own_page
    about = client.get("/about/").content.decode()
    assert '<span class="portrait portrait-initials" aria-hidden="true">ET</span>' in about  # the Editorial team


def test_a_photo_without_a_description_is_refused_and_nothing_is_stored(editor_client, admin_form, ann):
    response = save_in_admin(editor_client, admin_form, ann, illustration=photo_upload())
    assert response.status_code == 200
    assert "Describe what the picture shows" in response.context["adminform"].form.errors["illustration_alt"][0]
    ann.refresh_from_db()
    assert not ann.illustration
    assert not default_storage.exists("contributors")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("ann.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"), "Upload a PNG, JPEG or WebP"),
        (SimpleUploadedFile("ann.jpg", b"not a picture at all"), "not a picture that can be read"),
    ],
)
def test_a_bad_upload_is_refused_with_a_clear_message(editor_client, admin_form, ann, upload, message):
    response = save_in_admin(editor_client, admin_form, ann, illustration=upload, illustration_alt=DESCRIPTION)
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors["illustration"][0]
    assert message in response.content.decode()
    ann.refresh_from_db()
    assert not ann.illustration and ann.illustration_alt == ""


def test_a_replaced_photo_and_its_renditions_are_gone_from_storage(editor_client, admin_form, ann):
    ann.illustration, ann.illustration_alt = photo_upload(), DESCRIPTION
    ann.save()
    old = ann.illustration.name
    assert renditions_of(old)

    response = save_in_admin(editor_client, admin_form, ann, illustration=photo_upload("new.png", colour="navy"))
    assert response.status_code == 302
    ann.refresh_from_db()
    assert ann.illustration.name != old and default_storage.exists(ann.illustration.name)
    assert not default_storage.exists(old) and not renditions_of(old)


def test_a_cleared_photo_is_gone_from_storage_and_initials_show(client, editor_client, admin_form, ann):
    ann.illustration, ann.illustration_alt = photo_upload(), DESCRIPTION
    ann.save()
    old = ann.illustration.name

    response = save_in_admin(editor_client, admin_form, ann, **{"illustration-clear": "on"})
    assert response.status_code == 302
    ann.refresh_from_db()
    assert not ann.illustration and not default_storage.exists(old) and not renditions_of(old)
    assert ">AE</span>" in client.get("/about/people/ann-example/").content.decode()


def test_photos_travel_in_backups(seeded, ann, tmp_path):
    assert Contributor in illustrated_models()
    ann.illustration, ann.illustration_alt = photo_upload(), DESCRIPTION
    ann.save()
    name = ann.illustration.name
    with default_storage.open(name) as stored:
        photo = stored.read()
    archive = tmp_path / "backup.zip"
    call_command("export_content", str(archive), stdout=io.StringIO())
    with zipfile.ZipFile(archive) as zipped:
        assert zipped.read(f"media/{name}") == photo

    backup.delete_content()
    default_storage.delete(name)
    call_command("import_content", str(archive), stdout=io.StringIO())
    ann = Contributor.objects.get(slug="ann-example")
    with default_storage.open(name) as stored:
        assert ann.illustration.name == name and stored.read() == photo
    assert ann.illustration_alt == DESCRIPTION and len(renditions_of(name)) == 4


def test_a_deleted_contributors_photo_leaves_storage_and_their_history(
    editor_client, ann, django_capture_on_commit_callbacks
):
    editor_client.get("/admin/")  # loads the admin, which registers contributors with history
    with reversion.create_revision():
        ann.illustration, ann.illustration_alt = photo_upload(), DESCRIPTION
        ann.save()
    name = ann.illustration.name

    url = reverse("admin:content_contributor_delete", args=[ann.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert not Contributor.objects.filter(slug="ann-example").exists()
    assert not default_storage.exists(name) and not renditions_of(name)
    # "Recover deleted" brings Ann back with her initials, not a broken picture.
    (version,) = Version.objects.get_deleted(Contributor)
    fields = json.loads(version.serialized_data)[0]["fields"]
    assert fields["name"] == "Ann Example" and fields["illustration"] == "" and fields["illustration_alt"] == ""


def test_a_deleted_guides_picture_stays_for_recovery(make_technique, django_capture_on_commit_callbacks):
    technique = make_technique(name="Thumb press", slug="thumb-press")
    technique.illustration, technique.illustration_alt = photo_upload("thumb.jpg"), "A thumb pressing the calf."
    technique.save()
    with django_capture_on_commit_callbacks(execute=True):
        technique.delete()
    assert default_storage.exists(technique.illustration.name)


def test_restoring_a_backup_over_the_site_keeps_the_photo_it_brings(
    seeded, ann, tmp_path, django_capture_on_commit_callbacks
):
    ann.illustration, ann.illustration_alt = photo_upload(), DESCRIPTION
    ann.save()
    archive = tmp_path / "backup.zip"
    call_command("export_content", str(archive), stdout=io.StringIO())
    # --replace deletes Ann before loading her again: her photo must survive the swap.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_content", str(archive), "--replace", stdout=io.StringIO())
    assert default_storage.exists(Contributor.objects.get(slug="ann-example").illustration.name)
