"""The release: one tag for this exact code, templates and static files.

Cached pages and derived data are filed under it as well as under the content generation,
so that a deployment never serves a page rendered by the code before it (naming static
files that no longer exist, or a service worker for the last release). The generation
itself stays shared by all releases: during a rolling deployment, an edit still reaches
hosts on either release at once.

Set RELEASE (a commit id, say) to name it; otherwise it is a digest of the project's own
files, read once when a worker starts (a few milliseconds).
"""

import functools
import hashlib
import os
from pathlib import Path

from django.conf import settings

SUFFIXES = {".py", ".html", ".txt", ".js", ".css", ".svg", ".json", ".xml"}
SKIPPED_FOLDERS = {"node_modules", "media", "staticfiles", "var", "tests", "docs", "artifacts", "__pycache__"}


@functools.cache
def release():
    """The tag of the code this worker runs."""
    named = os.environ.get("RELEASE", "").strip()
    if named:
        return named[:40]
    root = Path(settings.BASE_DIR)
    paths = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if name not in SKIPPED_FOLDERS and not name.startswith(".")]
        paths += [Path(folder, name) for name in files if Path(name).suffix in SUFFIXES]
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
