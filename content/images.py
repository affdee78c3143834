"""Checks on pictures that editors upload as illustrations, and their clean re-encoding.

Only new uploads are checked: the seeded vector pictures are loaded by code, and an
existing file must never stop an editor from saving other changes. Editors upload
raster formats only, because an uploaded SVG can carry script.

An accepted upload is decoded and encoded again before it is stored: that applies
the camera's rotation, drops EXIF/GPS and any other metadata, and leaves behind
anything smuggled after or inside the picture's bytes.
"""

import io
import math
import re
import warnings
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from .editing import SentenceField

UPLOAD_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
UPLOAD_EXTENSIONS = {"png", "jpg", "jpeg", "webp"}
# Room for a 12 MP phone photo or a 4000 x 4000 drawing. Checked from the file's header
# before any decoding, so the work and memory an upload can cost stay bounded: one decode
# of at most this many pixels at 4 bytes each (64 MB), plus the scaled-down copy.
MAX_PIXELS = 16_000_000
# Stored originals are scaled down to this many pixels on the longer side.
MAX_SIDE = 2400
# Markup that has no business inside a picture: a file carrying it is a polyglot.
_SMUGGLED = re.compile(rb"<\s*(script|html|body|iframe|object|embed|svg\s|!doctype)|<\?php|javascript:", re.I)


def _megabytes(size):
    """Bytes as editors' file browsers show them (10 MB is 10,000,000 bytes), rounded up so
    that a file just over the limit never reads as the limit itself."""
    if size < 100_000:
        return f"{math.ceil(size / 1000)} KB"
    return f"{math.ceil(size / 100_000) / 10:.1f}".removesuffix(".0") + " MB"


def _size_limit():
    """The size limit in the unit the check uses, spelt out: '10 MB (10,000,000 bytes)'.

    Some file browsers count a megabyte as 1,048,576 bytes: the exact number leaves no doubt.
    """
    return f"{_megabytes(settings.MAX_UPLOAD_BYTES)} ({settings.MAX_UPLOAD_BYTES:,} bytes)"


def upload_limits():
    """The limits in words, for the help text: 'at most 10 MB (10,000,000 bytes) and 16 megapixels (...)'."""
    return f"at most {_size_limit()} and {_megapixels()} (e.g. 4000 × 4000 pixels)"


def _megapixels():
    return f"{MAX_PIXELS // 1_000_000} megapixels"


def _fail(message):
    raise ValidationError(message, code="invalid_image")


def _too_many_pixels(size=None):
    shown = f" ({size[0]} × {size[1]}, {size[0] * size[1] / 1_000_000:.1f} megapixels)" if size else ""
    return (
        f"This picture has too many pixels{shown}: the limit is {_megapixels()}, e.g. 4000 × 4000. "
        "Save a smaller copy and upload that."
    )


def _unreadable():
    return "This file is not a picture that can be read (it may be damaged or incomplete)."


def validate_upload(upload):
    """Raise ValidationError unless ``upload`` is a sound PNG, JPEG or WebP picture of a sane size.

    Reads only the file's bytes and the picture's header: the pixels are decoded once,
    by reencode().
    """
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in UPLOAD_EXTENSIONS:
        _fail("Upload a PNG, JPEG or WebP picture (SVG and other files are not accepted).")
    if upload.size > settings.MAX_UPLOAD_BYTES:
        _fail(f"This file is too large ({_megabytes(upload.size)}): pictures can be at most {_size_limit()}.")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if _SMUGGLED.search(data):
        _fail("This file holds more than a picture (it contains web page code), so it cannot be used.")
    try:
        with warnings.catch_warnings():
            # Our own limit, checked below, is far stricter than Pillow's bomb warning.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in UPLOAD_FORMATS:
                    _fail("Upload a PNG, JPEG or WebP picture.")
                if image.width * image.height > MAX_PIXELS:
                    _fail(_too_many_pixels(image.size))
                image.verify()
    except ValidationError:
        raise
    except Image.DecompressionBombError as error:
        raise ValidationError(_too_many_pixels(), code="invalid_image") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(_unreadable(), code="invalid_image") from error


def reencode(upload):
    """A clean copy of a validated upload: rotated upright, no metadata, at most MAX_SIDE pixels.

    The one full decode of the upload: it also catches truncated files that verify() lets
    through (ValidationError). A JPEG at least twice the stored size each way is decoded
    straight at 1/2, 1/4 or 1/8 scale (Image.draft), never holding all its pixels.
    """
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            kind = image.format
            image.draft(None, _stored_size(image.size))
            image.load()
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            # After scaling, so the rotation works on the small copy.
            ImageOps.exif_transpose(image, in_place=True)
            if kind == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            buffer = io.BytesIO()
            options = {"PNG": {"optimize": True}, "JPEG": {"quality": 88, "optimize": True}, "WEBP": {"quality": 88}}
            image.save(buffer, kind, **options[kind])
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(_unreadable(), code="invalid_image") from error
    upload.seek(0)
    stem = PurePath(upload.name).stem[:80] or "illustration"
    return ContentFile(buffer.getvalue(), name=f"{stem}.{UPLOAD_FORMATS[kind]}")


def _stored_size(size):
    """``size`` scaled down to fit MAX_SIDE x MAX_SIDE, keeping its shape."""
    scale = min(1, MAX_SIDE / max(size))
    return max(1, int(size[0] * scale)), max(1, int(size[1] * scale))


class IllustrationForm(forms.ModelForm):
    """Admin form base for anything with an ``illustration``: checks and cleans new uploads only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        alt = self.fields.get("illustration_alt")
        if alt is not None:  # a description of up to 250 characters: a box that shows all of it
            self.fields["illustration_alt"] = SentenceField(
                max_length=alt.max_length, required=alt.required, label=alt.label, help_text=alt.help_text
            )
        field = self.fields.get("illustration")
        if field is not None:
            # Every upload is stored under a new name of ours (illustration_upload_to), so
            # the length of the name it came with does not matter.
            field.max_length = None
            limits = upload_limits()
            field.help_text = f"{field.help_text} {limits[0].upper()}{limits[1:]}.".strip()

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
