"""Checks on pictures that editors upload as illustrations, and their clean re-encoding.

Only new uploads are checked: the seeded vector pictures are loaded by code, and an
existing file must never stop an editor from saving other changes. Editors upload
raster formats only, because an uploaded SVG can carry script.

An accepted upload is decoded and encoded again before it is stored: that applies
the camera's rotation, drops EXIF/GPS and any other metadata, and leaves behind
anything smuggled after or inside the picture's bytes.
"""

import io
import re
import warnings
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

UPLOAD_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
UPLOAD_EXTENSIONS = {"png", "jpg", "jpeg", "webp"}
# Far beyond any illustration; refuses decompression bombs before they are decoded.
MAX_PIXELS = 40_000_000
# Stored originals are scaled down to this many pixels on the longer side.
MAX_SIDE = 2400
# Markup that has no business inside a picture: a file carrying it is a polyglot.
_SMUGGLED = re.compile(rb"<\s*(script|html|body|iframe|object|embed|svg\s|!doctype)|<\?php|javascript:", re.I)


def _fail(message):
    raise ValidationError(message, code="invalid_image")


def validate_upload(upload):
    """Raise ValidationError unless ``upload`` is a sound PNG, JPEG or WebP picture of a sane size."""
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in UPLOAD_EXTENSIONS:
        _fail("Upload a PNG, JPEG or WebP picture (SVG and other files are not accepted).")
    if upload.size > settings.MAX_UPLOAD_BYTES:
        _fail(f"This file is too large: pictures can be at most {settings.MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if _SMUGGLED.search(data):
        _fail("This file holds more than a picture (it contains web page code), so it cannot be used.")
    too_big = "This picture has too many pixels: the limit is 40 megapixels."
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb warning comes on open, before our check could run.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = image.format
                width, height = image.size
                if width * height > MAX_PIXELS:
                    _fail(too_big)
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # a full decode catches truncated files that verify() lets through
    except ValidationError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise ValidationError(too_big, code="invalid_image") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            "This file is not a picture that can be read (it may be damaged or incomplete).", code="invalid_image"
        ) from error
    if kind not in UPLOAD_FORMATS:
        _fail("Upload a PNG, JPEG or WebP picture.")


def reencode(upload):
    """A clean copy of a validated upload: rotated upright, no metadata, at most MAX_SIDE pixels."""
    upload.seek(0)
    with Image.open(upload) as source:
        kind = source.format
        image = ImageOps.exif_transpose(source)
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        if kind == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        buffer = io.BytesIO()
        options = {"PNG": {"optimize": True}, "JPEG": {"quality": 88, "optimize": True}, "WEBP": {"quality": 88}}
        image.save(buffer, kind, **options[kind])
    stem = PurePath(upload.name).stem[:80] or "illustration"
    return ContentFile(buffer.getvalue(), name=f"{stem}.{UPLOAD_FORMATS[kind]}")


class IllustrationForm(forms.ModelForm):
    """Admin form base for anything with an ``illustration``: checks and cleans new uploads only."""

    def clean_illustration(self):
        upload = self.cleaned_data.get("illustration")
        if isinstance(upload, UploadedFile):
            validate_upload(upload)
            return reencode(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("illustration") and not (cleaned.get("illustration_alt") or "").strip():
            self.add_error(
                "illustration_alt",
                "Describe what the picture shows (for readers who cannot see it) before adding a picture.",
            )
        return cleaned
