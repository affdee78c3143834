"""Pictures fit for phones: WebP renditions with srcset, sizes on every <img>, cleanup on replace."""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image, ImageDraw

from massage_site.media import serve_media
from routines.models import Routine
from techniques.models import Technique

from .test_uploads import jpeg_with_location, technique_form


def photo(size=(1600, 1200)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "seagreen").save(buffer, "PNG")
    return SimpleUploadedFile("hands.png", buffer.getvalue(), content_type="image/png")


def upload(staff_client, technique, file):
    url = reverse("admin:techniques_technique_change", args=[technique.pk])
    response = staff_client.post(url, technique_form(technique, illustration=file))
    assert response.status_code == 302, response.context["adminform"].form.errors
    technique.refresh_from_db()
    return technique


def image_urls(html):
    urls = re.findall(r'(?:src|srcset)="([^"]+)"', html)
    return {part.split()[0] for url in urls for part in url.split(",") if part.strip().startswith("/media/")}


def test_an_uploaded_picture_gets_webp_renditions_without_metadata(staff_client, seeded, media_root):
    kneading = upload(staff_client, Technique.objects.get(slug="kneading"), photo())
    assert (kneading.illustration_width, kneading.illustration_height) == (1600, 1200)
    for width in (320, 640, 960):
        rendition = getattr(kneading, f"illustration_webp_{width}")
        with Image.open(media_root / rendition.name) as image:
            assert image.format == "WEBP" and image.width == width
            assert not image.getexif()


def test_the_page_offers_webp_in_several_widths_with_explicit_size(client, staff_client, seeded):
    upload(staff_client, Technique.objects.get(slug="kneading"), photo())
    html = client.get("/techniques/kneading/").content.decode()
    picture = html[html.index("<picture>") : html.index("</picture>")]
    assert 'type="image/webp"' in picture and "320w" in picture and "960w" in picture and "sizes=" in picture
    assert 'width="1600" height="1200"' in picture


def test_a_photo_from_a_phone_loses_its_location_in_every_copy(staff_client, seeded, media_root):
    kneading = upload(
        staff_client, Technique.objects.get(slug="kneading"), SimpleUploadedFile("trip.jpg", jpeg_with_location())
    )
    for name in (kneading.illustration.name, kneading.illustration_webp_320.name, kneading.illustration_fallback.name):
        with Image.open(media_root / name) as image:
            assert not image.getexif(), name


def test_replacing_a_picture_removes_the_old_file_and_its_renditions(staff_client, seeded, media_root):
    kneading = upload(staff_client, Technique.objects.get(slug="kneading"), photo())
    old_files = [kneading.illustration.name, kneading.illustration_webp_640.name]
    assert all((media_root / name).exists() for name in old_files)
    kneading = upload(staff_client, kneading, photo((800, 600)))
    assert not any((media_root / name).exists() for name in old_files)
    assert (media_root / kneading.illustration_webp_640.name).exists()
    assert kneading.illustration.name != old_files[0]


def test_every_picture_on_a_routine_page_answers_with_an_image(client, staff_client, seeded):
    upload(staff_client, Technique.objects.get(slug="kneading"), photo())
    html = client.get("/routines/legs/").content.decode()
    urls = image_urls(html)
    assert len(urls) >= 4
    factory = RequestFactory()
    for url in urls:
        response = serve_media(factory.get(url), url.removeprefix("/media/"))
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("image/"), url


def test_seeded_pictures_have_sizes_and_stay_small_for_phones(client, seeded, media_root):
    for item in [*Technique.objects.all(), *Routine.objects.all()]:
        assert (item.illustration_width, item.illustration_height) == (480, 360), item
        assert (media_root / item.illustration.name).stat().st_size < 80_000
    html = client.get("/routines/arms/").content.decode()
    assert 'width="480" height="360"' in html and 'loading="lazy"' in html


def test_the_largest_picture_a_phone_gets_for_an_upload_is_under_80_kb(staff_client, seeded, media_root):
    # A photo-like picture: smooth gradients, shapes and fine grain, at full camera size.
    base = Image.linear_gradient("L").resize((2400, 1800)).convert("RGB")
    grain = Image.effect_noise((2400, 1800), 12).convert("RGB")
    picture = Image.blend(base, grain, 0.25)
    ImageDraw.Draw(picture).ellipse((600, 400, 1800, 1400), fill=(230, 180, 150), outline=(40, 40, 40), width=12)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=92)
    kneading = upload(
        staff_client, Technique.objects.get(slug="kneading"), SimpleUploadedFile("p.jpg", buffer.getvalue())
    )
    # A 360 px phone at 3x picks the 960 px rendition for the full-width picture: the biggest it fetches.
    assert (media_root / kneading.illustration_webp_960.name).stat().st_size < 80_000
