"""Phone-sized copies of uploaded pictures, made once when a picture is saved.

django-imagekit builds each rendition when the source is saved (the Optimistic
strategy) and computes its URL from the source name alone, so pages never touch
storage or the database to show a picture. Vector pictures (the seeded SVGs) are
served as they are: they scale by themselves and need no renditions.
"""

import json
import logging
import re
import secrets
from pathlib import PurePath

from django.core.files.storage import default_storage
from django.db import models, transaction
from imagekit.cachefiles.strategies import Optimistic
from imagekit.models import ImageSpecField
from PIL import Image
from pilkit.processors import ResizeToFit, Transpose

logger = logging.getLogger(__name__)

# Widths in CSS pixels x device pixel ratio that the layouts use (step pictures ~14rem, main ~22rem).
WEBP_WIDTHS = (320, 640, 960)
FALLBACK_WIDTH = 640
VECTOR_SUFFIXES = (".svg",)


RENDITIONS_ROOT = "CACHE/images"
_SVG_SIZE = re.compile(rb'<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"', re.S)
_SVG_VIEWBOX = re.compile(rb'viewBox="[\d.\s-]+?\s([\d.]+)\s+([\d.]+)"')


def is_vector(name):
    return (name or "").lower().endswith(VECTOR_SUFFIXES)


def illustration_upload_to(instance, filename):
    """A new name for every upload ('techniques/kneading-3f9a1c2e.png'), so a replaced
    picture never shares a URL, and thus a browser cache entry, with the old one."""
    suffix = PurePath(filename).suffix.lower()
    slug = getattr(instance, "slug", "") or "picture"
    return f"{instance._meta.model_name}s/{slug[:60]}-{secrets.token_hex(4)}{suffix}"


def measure(fieldfile):
    """(width, height) of a stored or just-uploaded picture; (0, 0) when unknown."""
    try:
        fieldfile.open("rb")
        data = fieldfile.read()
        fieldfile.seek(0)
    except (OSError, ValueError):
        return 0, 0
    if is_vector(fieldfile.name):
        match = _SVG_SIZE.search(data[:2000]) or _SVG_VIEWBOX.search(data[:2000])
        return (round(float(match.group(1))), round(float(match.group(2)))) if match else (0, 0)
    try:
        import io

        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except OSError:
        return 0, 0


def remove_renditions(name):
    """Delete the rendition folder imagekit made for a source file."""
    folder = f"{RENDITIONS_ROOT}/{PurePath(name).with_suffix('')}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError, OSError):
        return
    for file in files:
        default_storage.delete(f"{folder}/{file}")


class Illustrated(models.Model):
    """What every illustrated item knows about its picture beyond the file itself."""

    illustration_width = models.PositiveIntegerField(default=0, editable=False)
    illustration_height = models.PositiveIntegerField(default=0, editable=False)

    # A deleted guide's picture stays in storage, so "Recover deleted" brings it back whole.
    # A model that sets this False (a person's photo) takes its picture away when deleted.
    keep_picture_when_deleted = True

    class Meta:
        abstract = True

    @property
    def illustration_is_vector(self):
        return is_vector(self.illustration.name)


def remember_illustration(sender, instance, **kwargs):
    """post_init: note the picture as loaded, to notice a replacement on save."""
    instance._loaded_illustration = instance.__dict__.get("illustration") and str(instance.__dict__["illustration"])


def measure_illustration(sender, instance, raw=False, **kwargs):
    """pre_save: store the new picture's size, for width/height attributes."""
    if raw or not isinstance(instance, Illustrated):
        return
    if str(instance.illustration or "") != (getattr(instance, "_loaded_illustration", None) or ""):
        instance.illustration_width, instance.illustration_height = (
            measure(instance.illustration) if instance.illustration else (0, 0)
        )


def drop_replaced_illustration(sender, instance, raw=False, **kwargs):
    """post_save: a replaced picture's file and renditions go, unless something else still uses them."""
    if raw or not isinstance(instance, Illustrated):
        return
    old, new = getattr(instance, "_loaded_illustration", None) or "", instance.illustration.name or ""
    instance._loaded_illustration = new
    if old and old != new and not type(instance).objects.filter(illustration=old).exists():
        default_storage.delete(old)
        remove_renditions(old)


def drop_deleted_illustration(sender, instance, **kwargs):
    """post_delete: an item that does not keep its picture (``keep_picture_when_deleted``) takes it along.

    Its history forgets the picture at once, so recovering the item brings back no broken
    picture; the file and its renditions go once the delete is committed (a restore that
    replaces all content and fails must find them), and only if no row uses the name by then.
    """
    if not isinstance(instance, Illustrated) or instance.keep_picture_when_deleted or not instance.illustration:
        return
    model, name = type(instance), instance.illustration.name
    _forget_picture_in_history(model, instance.pk)

    def drop():
        if not model._default_manager.filter(illustration=name).exists():
            default_storage.delete(name)
            remove_renditions(name)

    transaction.on_commit(drop)


def _forget_picture_in_history(model, pk):
    from reversion.models import Version

    blank = {"illustration": "", "illustration_alt": "", "illustration_width": 0, "illustration_height": 0}
    for version in Version.objects.get_for_object_reference(model, pk).only("pk", "format", "serialized_data"):
        if version.format != "json":
            continue
        rows = json.loads(version.serialized_data)
        if rows[0]["fields"].get("illustration"):
            rows[0]["fields"].update(blank)
            Version.objects.filter(pk=version.pk).update(serialized_data=json.dumps(rows))


class RasterOnlyOptimistic(Optimistic):
    """Generate renditions when a raster source is saved; leave vector sources alone."""

    def on_source_saved(self, file):
        if is_vector(file.generator.source.name):
            return
        try:
            file.generate()
        except (OSError, ValueError):
            # A picture missing from storage (say, a half-finished import) must not stop a save;
            # its renditions are made when the picture is saved again.
            logger.warning("Could not make rendition of %s", file.generator.source.name, exc_info=True)


def add_renditions(model, source="illustration"):
    """Add WebP renditions (``<source>_webp_<width>``) and a same-format fallback to ``model``."""
    strategy = "content.renditions.RasterOnlyOptimistic"
    for width in WEBP_WIDTHS:
        ImageSpecField(
            source=source,
            processors=[Transpose(), ResizeToFit(width, upscale=False)],
            format="WEBP",
            options={"quality": 78, "method": 6},
            cachefile_strategy=strategy,
        ).contribute_to_class(model, f"{source}_webp_{width}")
    ImageSpecField(
        source=source,
        processors=[Transpose(), ResizeToFit(FALLBACK_WIDTH, upscale=False)],
        options={"quality": 82},
        cachefile_strategy=strategy,
    ).contribute_to_class(model, f"{source}_fallback")
