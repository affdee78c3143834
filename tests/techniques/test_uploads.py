"""Editors can save seeded items, and bad picture uploads get a clear error and save nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from techniques.models import Technique


def png_bytes(size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_with_location():
    """A photo as phones save it: EXIF with camera details and GPS position."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), "orange").save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def bomb_png():
    """Small on disk, enormous once decoded: 12,000 x 12,000 pixels of one colour."""
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def technique_form(technique, **changes):
    data = {
        "name": technique.name,
        "slug": technique.slug,
        "family": technique.family,
        "definition": technique.definition,
        "how_to": technique.how_to,
        "aliases": technique.aliases,
        "illustration_alt": technique.illustration_alt,
        "related": [t.pk for t in technique.related.all()],
        "tags": [tag.pk for tag in technique.tags.all()],
        "status": technique.status,
        "publish_at_0": technique.publish_at.strftime("%d/%m/%Y"),
        "publish_at_1": technique.publish_at.strftime("%H:%M:%S"),
        "authors": [person.pk for person in technique.authors.all()],
        "reviewer": technique.reviewer_id or "",
        "last_reviewed": technique.last_reviewed.strftime("%d/%m/%Y") if technique.last_reviewed else "",
        "next_review_due": technique.next_review_due.strftime("%d/%m/%Y"),
    }
    # The sources inline, as it stands.
    sources = list(technique.sources.all())
    for n, source in enumerate(sources):
        for field in ("order", "title", "publisher", "url", "when_not_to"):
            data[f"sources-{n}-{field}"] = getattr(source, field)
        data |= {f"sources-{n}-id": source.pk, f"sources-{n}-technique": technique.pk, f"sources-{n}-year": ""}
    data |= {"sources-TOTAL_FORMS": len(sources), "sources-INITIAL_FORMS": len(sources)}
    data.update(changes)
    return data


def test_editor_can_save_a_seeded_technique_with_its_vector_picture(staff_client, seeded):
    kneading = Technique.objects.get(slug="kneading")
    url = reverse("admin:techniques_technique_change", args=[kneading.pk])
    response = staff_client.post(url, technique_form(kneading, definition="A clearer definition."))
    assert response.status_code == 302, response.context["adminform"].form.errors
    kneading.refresh_from_db()
    assert kneading.definition == "A clearer definition."
    assert kneading.illustration.name.endswith(".svg")


def test_a_good_png_upload_replaces_the_picture(staff_client, seeded):
    kneading = Technique.objects.get(slug="kneading")
    url = reverse("admin:techniques_technique_change", args=[kneading.pk])
    upload = SimpleUploadedFile("hands.png", png_bytes(), content_type="image/png")
    response = staff_client.post(url, technique_form(kneading, illustration=upload))
    assert response.status_code == 302
    kneading.refresh_from_db()
    assert kneading.illustration.name.endswith(".png")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("evil.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG"),
        ("notes.png", b"this is plain text, not a picture", "not a picture"),
        ("cut.png", png_bytes()[:60], "not a picture"),
        ("page.html", b"<html></html>", "PNG, JPEG or WebP"),
        ("anim.png", b"GIF89a" + b"\x00" * 40, "not a picture"),
        ("bomb.png", bomb_png(), "too many pixels"),
        ("polyglot.png", png_bytes() + b"<script>alert(document.cookie)</script>", "more than a picture"),
        ("polyglot.jpg", jpeg_with_location() + b"<html><body onload=alert(1)>", "more than a picture"),
    ],
    ids=["svg", "text-as-png", "truncated", "html", "gif-as-png", "bomb", "png-polyglot", "jpeg-polyglot"],
)
def test_bad_uploads_are_refused_with_a_clear_message(staff_client, seeded, name, content, message):
    kneading = Technique.objects.get(slug="kneading")
    url = reverse("admin:techniques_technique_change", args=[kneading.pk])
    upload = SimpleUploadedFile(name, content)
    response = staff_client.post(url, technique_form(kneading, illustration=upload, definition="Not saved."))
    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors["illustration"])
    kneading.refresh_from_db()
    assert kneading.definition != "Not saved." and kneading.illustration.name.endswith(".svg")


def test_an_oversized_upload_is_refused(staff_client, seeded, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    kneading = Technique.objects.get(slug="kneading")
    url = reverse("admin:techniques_technique_change", args=[kneading.pk])
    upload = SimpleUploadedFile("big.png", png_bytes((400, 400)) + b"\x00" * 2000)
    response = staff_client.post(url, technique_form(kneading, illustration=upload))
    assert "too large" in str(response.context["adminform"].form.errors["illustration"])


def test_an_upload_is_stored_without_its_metadata(staff_client, seeded, media_root):
    kneading = Technique.objects.get(slug="kneading")
    url = reverse("admin:techniques_technique_change", args=[kneading.pk])
    upload = SimpleUploadedFile("holiday.jpg", jpeg_with_location(), content_type="image/jpeg")
    assert staff_client.post(url, technique_form(kneading, illustration=upload)).status_code == 302
    kneading.refresh_from_db()
    with Image.open(media_root / kneading.illustration.name) as stored:
        assert stored.size == (300, 200)
        assert not stored.getexif()


def test_a_picture_needs_a_description(staff_client, seeded):
    kneading = Technique.objects.get(slug="kneading")
    url = reverse("admin:techniques_technique_change", args=[kneading.pk])
    upload = SimpleUploadedFile("hands.png", png_bytes(), content_type="image/png")
    response = staff_client.post(url, technique_form(kneading, illustration=upload, illustration_alt=""))
    assert response.status_code == 200
    assert "Describe what the picture shows" in str(response.context["adminform"].form.errors["illustration_alt"])
