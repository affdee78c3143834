"""Phone-sized copies of uploaded pictures, made once when a picture is saved.

django-imagekit builds each rendition when the source is saved (the Optimistic
strategy) and computes its URL from the source name alone, so pages never touch
storage or the database to show a picture. Vector pictures (the seeded SVGs) are
served as they are: they scale by themselves and need no renditions.
"""

from imagekit.cachefiles.strategies import Optimistic
from imagekit.models import ImageSpecField
from pilkit.processors import ResizeToFit, Transpose

# Widths in CSS pixels x device pixel ratio that the layouts use (step pictures ~14rem, main ~22rem).
WEBP_WIDTHS = (320, 640, 960)
FALLBACK_WIDTH = 640
VECTOR_SUFFIXES = (".svg",)


def is_vector(name):
    return (name or "").lower().endswith(VECTOR_SUFFIXES)


class RasterOnlyOptimistic(Optimistic):
    """Generate renditions when a raster source is saved; leave vector sources alone."""

    def on_source_saved(self, file):
        if not is_vector(file.generator.source.name):
            file.generate()


def add_renditions(model, source="illustration"):
    """Add WebP renditions (``<source>_webp_<width>``) and a same-format fallback to ``model``."""
    strategy = "techniques.renditions.RasterOnlyOptimistic"
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
