"""Checks on pictures that editors upload as illustrations.

Only new uploads are checked: the seeded vector pictures are loaded by code, and an
existing file must never stop an editor from saving other changes. Editors upload
raster formats only, because an uploaded SVG can carry script.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

UPLOAD_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
UPLOAD_EXTENSIONS = {"png", "jpg", "jpeg", "webp"}


def validate_upload(upload):
    """Raise ValidationError unless ``upload`` is a PNG, JPEG or WebP picture of a sane size."""
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in UPLOAD_EXTENSIONS:
        raise ValidationError("Upload a PNG, JPEG or WebP picture (SVG and other files are not accepted).")
    if upload.size > settings.MAX_UPLOAD_BYTES:
        limit = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationError(f"This file is too large: pictures can be at most {limit} MB.")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError("This file is not a picture that can be read (it may be damaged).") from error
    finally:
        upload.seek(0)
    if kind not in UPLOAD_FORMATS:
        raise ValidationError("Upload a PNG, JPEG or WebP picture.")


class IllustrationForm(forms.ModelForm):
    """Admin form base for anything with an ``illustration``: checks new uploads only."""

    def clean_illustration(self):
        upload = self.cleaned_data.get("illustration")
        if isinstance(upload, UploadedFile):
            validate_upload(upload)
        return upload
