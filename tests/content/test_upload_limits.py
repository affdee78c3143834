"""Limits on uploaded pictures: stated before one tries, enforced from the header before decoding,
and no limit on the length of the name a file arrives with (it is stored under a name of ours)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from content.images import MAX_PIXELS, MAX_SIDE, reencode, validate_upload
from routines.models import Routine
from techniques.models import Technique


def picture(kind="PNG", size=(40, 30), **options):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, kind, **options)
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


def messages_for(content, name="picture.png"):
    """The errors validation and re-encoding give a file, as the admin form shows them."""
    from django.core.exceptions import ValidationError

    file = upload(name, content)
    try:
        validate_upload(file)
        reencode(file)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


@pytest.fixture
def change_page(staff_client, seeded, admin_form):
    """post(item, **changes) -> response: the item's admin change form, submitted with changes."""

    def post(item, **changes):
        url = reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk])
        return staff_client.post(url, admin_form(staff_client.get(url), **changes))

    return post


def form_errors(response):
    return str(response.context["adminform"].form.errors)


@pytest.mark.parametrize("model, slug", [(Technique, "kneading"), (Routine, "legs")])
def test_a_300_character_file_name_is_accepted_and_stored_under_a_short_name_of_ours(change_page, model, slug):
    item = model.objects.get(slug=slug)
    long_name = "hands-" + "x" * 290 + ".png"
    assert len(long_name) == 300
    response = change_page(item, illustration=upload(long_name, picture()))
    assert response.status_code == 302, form_errors(response)
    item.refresh_from_db()
    assert item.illustration.name.startswith(f"{model._meta.model_name}s/{slug[:60]}-")
    assert item.illustration.name.endswith(".png") and len(item.illustration.name) <= 100


LIMITS = "At most 10 MB (10,000,000 bytes) and 16 megapixels (e.g. 4000 × 4000 pixels)."


def test_the_picture_field_states_the_limits_before_one_tries(staff_client, seeded):
    for item in (Technique.objects.get(slug="kneading"), Routine.objects.get(slug="legs")):
        url = reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk])
        help_text = staff_client.get(url).context["adminform"].form.fields["illustration"].help_text
        assert f"(PNG, JPEG or WebP). {LIMITS}" in help_text


@pytest.mark.parametrize("url", ["/admin/techniques/technique/add/", "/admin/routines/routine/add/"])
def test_a_new_item_and_a_step_state_the_limits_on_the_page_before_any_upload(staff_client, seeded, url):
    response = staff_client.get(url)
    html = response.content.decode()
    assert LIMITS in html
    if "routine" in url:  # each step's own picture says the same, in the same unit
        step_form = response.context["inline_admin_formsets"][0].formset.empty_form
        assert LIMITS in step_form.fields["illustration"].help_text


def test_the_size_limit_is_10_mb_as_editors_count_it(settings):
    assert settings.MAX_UPLOAD_BYTES == 10_000_000
    padded = picture() + b"\x00" * (settings.MAX_UPLOAD_BYTES + 50_000 - len(picture()))
    assert messages_for(padded) == (
        "This file is too large (10.1 MB): pictures can be at most 10 MB (10,000,000 bytes)."
    )
    at_limit = picture() + b"\x00" * (settings.MAX_UPLOAD_BYTES - len(picture()))
    assert "too large" not in messages_for(at_limit)


@pytest.mark.parametrize(
    "kind, size",
    [("PNG", (6300, 6300)), ("PNG", (4001, 4000)), ("JPEG", (6000, 4000)), ("WEBP", (5000, 5000))],
    ids=["probe-png-40MP", "png-just-over", "camera-jpeg-24MP", "webp-25MP"],
)
def test_a_picture_over_the_pixel_limit_is_refused_with_the_limit_stated(kind, size):
    content = picture(kind, size, **({"optimize": True} if kind == "PNG" else {}))
    megapixels = size[0] * size[1] / 1_000_000
    assert messages_for(content, f"big.{kind.lower()}") == (
        f"This picture has too many pixels ({size[0]} × {size[1]}, {megapixels:.1f} megapixels): "
        "the limit is 16 megapixels, e.g. 4000 × 4000. Save a smaller copy and upload that."
    )


def test_the_pixel_limit_is_checked_before_the_picture_is_decoded(monkeypatch):
    """A bomb is refused from its header: decoding it would raise here."""

    def no_decoding(image):
        raise AssertionError("decoded a picture over the limit")

    content = picture("PNG", (6300, 6300), optimize=True)
    monkeypatch.setattr(Image.Image, "load", no_decoding)
    monkeypatch.setattr("PIL.ImageFile.ImageFile.load", no_decoding)
    assert "too many pixels" in messages_for(content)


def test_a_picture_at_the_pixel_limit_is_accepted_and_scaled_down(change_page):
    kneading = Technique.objects.get(slug="kneading")
    assert MAX_PIXELS == 4000 * 4000
    response = change_page(kneading, illustration=upload("square.png", picture("PNG", (4000, 4000))))
    assert response.status_code == 302, form_errors(response)
    kneading.refresh_from_db()
    assert (kneading.illustration_width, kneading.illustration_height) == (MAX_SIDE, MAX_SIDE)


def test_a_phone_photo_is_accepted_rotated_upright_and_stored_at_most_2400_pixels_long():
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was held on its side: turn the picture a quarter right
    file = upload("phone.jpg", picture("JPEG", (4032, 3024), exif=exif.tobytes()))
    validate_upload(file)
    with Image.open(reencode(file)) as stored:
        assert stored.size == (1800, 2400)
        assert not stored.getexif()


def test_a_large_jpeg_is_decoded_at_a_reduced_scale():
    """4800 x 3200 is twice the stored size each way: libjpeg decodes it straight at half scale."""
    seen = {}
    thumbnail = Image.Image.thumbnail

    def spy(image, *args, **kwargs):
        seen["decoded"] = image.size
        return thumbnail(image, *args, **kwargs)

    file = upload("wide.jpg", picture("JPEG", (4800, 3200)))
    validate_upload(file)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Image.Image, "thumbnail", spy)
        copy = reencode(file)
    assert seen["decoded"] == (2400, 1600)
    with Image.open(copy) as stored:
        assert stored.size == (2400, 1600)


def test_a_truncated_picture_is_refused_when_it_is_decoded():
    """verify() does not decode a JPEG's pixels; the one decode, in reencode, notices the cut."""
    whole = picture("JPEG", (1200, 900), quality=95)
    assert messages_for(whole[: len(whole) // 2], "cut.jpg") == (
        "This file is not a picture that can be read (it may be damaged or incomplete)."
    )
