"""Static files as production sends them: minified, hashed and compressed.

Our own CSS and JavaScript keep their comments in the source, where they explain the
why; browsers need none of it. `collectstatic` minifies them on the way to their hashed
names (rcssmin, rjsmin), so the hash is of the bytes actually sent and the front-end
budget (docs/performance.md) measures what readers download. Files of installed apps
(the admin's) and files already minified are copied as they are.
"""

from pathlib import Path

import rcssmin
import rjsmin
from django.conf import settings
from django.core.files.base import ContentFile
from whitenoise.storage import CompressedManifestStaticFilesStorage

MINIFIERS = {".css": rcssmin.cssmin, ".js": rjsmin.jsmin}


def minify(name, text):
    """The text of a .css or .js file without comments and spare white space."""
    suffix = name[name.rfind(".") :]
    return MINIFIERS[suffix](text)


def _ours(name, storage):
    """Whether a found file is one of our own CSS or JS files (from STATICFILES_DIRS)."""
    own_folders = {Path(folder).resolve() for folder in settings.STATICFILES_DIRS}
    return (
        name.endswith(tuple(MINIFIERS))
        and not name.endswith((".min.js", ".min.css"))
        and Path(getattr(storage, "location", "")).resolve() in own_folders
    )


class MinifiedSource:
    """A finder's storage that hands out our CSS and JS minified."""

    def __init__(self, storage):
        self.storage = storage

    def open(self, path, mode="rb"):
        with self.storage.open(path, mode) as original:
            text = original.read().decode("utf-8")
        return ContentFile(minify(path, text).encode("utf-8"), name=path)

    def __getattr__(self, name):
        return getattr(self.storage, name)


class MinifiedManifestStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed, compressed storage, fed minified CSS and JS."""

    def post_process(self, paths, dry_run=False, **options):
        paths = {
            name: (MinifiedSource(storage) if _ours(name, storage) else storage, path)
            for name, (storage, path) in paths.items()
        }
        yield from super().post_process(paths, dry_run=dry_run, **options)
