"""Back up and restore all content: `manage.py export_content FILE` and `import_content FILE`.

An archive is one zip file:

- ``content.json``: a manifest (format, version, time of export, the pictures with
  their SHA-256) and ``objects``, the rows of every content model as Django's
  serializers write them, with natural keys for content types, tags and users.
  Timestamps keep their microseconds (Django's JSON encoder would cut them to
  milliseconds, and the Atom feed and sitemap show them in full).
- ``media/<name>``: every picture an illustration uses, read through the default storage.

Users are not content: a revision records its author by username only, and on
import the username is matched to an existing user or dropped (the revision is kept).
No password hash ever leaves the database this way.

Importing goes into a database without content (``replace=True`` deletes the content
first, in the same transaction). Everything is checked before anything is written;
rows are loaded raw (as ``loaddata`` does, so timestamps and ids are kept) in one
transaction; pictures are written through the default storage, so object storage
works; then the derived data is rebuilt: search text, the phone-sized renditions of
raster pictures, and the page cache.
"""

import datetime
import hashlib
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from reversion.models import Revision, Version

from content.changes import content_changed, one_change
from content.registry import content_models, illustrated_models
from content.renditions import WEBP_WIDTHS, is_vector, remove_renditions

FORMAT = "self-massage-guide-content"
VERSION = 1
CONTENT_FILE = "content.json"
MEDIA_PREFIX = "media/"

RENDITIONS = (*(f"illustration_webp_{width}" for width in WEBP_WIDTHS), "illustration_fallback")


class BackupError(Exception):
    """The archive cannot be written or read, or the database cannot take it."""


@dataclass
class Summary:
    counts: dict = field(default_factory=dict)  # model label -> rows
    pictures: int = 0
    renditions: int = 0
    unknown_users: list = field(default_factory=list)  # authors of revisions not found here
    replaced: bool = False


def label(model):
    return model._meta.label_lower


class _Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but with timestamps to the microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def _safe_media_name(name):
    """True for a relative storage name that stays inside the media folder."""
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def _version_pictures():
    """Pictures named by stored versions of illustrated items (restorable from history)."""
    names = set()
    content_types = ContentType.objects.get_for_models(*illustrated_models()).values()
    for version in Version.objects.filter(content_type__in=content_types).only("serialized_data", "format"):
        if version.format != "json":
            continue
        try:
            fields = json.loads(version.serialized_data)[0]["fields"]
        except (ValueError, LookupError, TypeError):
            continue
        if isinstance(fields.get("illustration"), str):
            names.add(fields["illustration"])
    return names


def referenced_pictures():
    """Names of the stored pictures the content uses: current illustrations, and those of
    earlier versions still in storage (so restoring a version from history finds its picture)."""
    current = set()
    for model in illustrated_models():
        current.update(model.objects.exclude(illustration="").values_list("illustration", flat=True))
    historical = {name for name in _version_pictures() - current if name and default_storage.exists(name)}
    return sorted(current | historical)


def export_archive(path):
    """Write every content row and picture to the zip file ``path``; return a Summary."""
    summary = Summary()
    objects = []
    for model in content_models():
        rows = model._default_manager.order_by("pk")
        objects += serializers.serialize("python", rows, use_natural_foreign_keys=True)
        summary.counts[label(model)] = rows.count()
    media = {}
    for name in referenced_pictures():
        try:
            with default_storage.open(name, "rb") as handle:
                media[name] = handle.read()
        except OSError as error:
            raise BackupError(f"cannot read picture {name!r} from storage: {error}") from error
    summary.pictures = len(media)
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.datetime.now(datetime.UTC),
        "counts": summary.counts,
        "media": {name: _sha256(data) for name, data in media.items()},
        "objects": objects,
    }
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    # Write beside the target and rename, so an interrupted export never leaves half an archive.
    handle, temporary = tempfile.mkstemp(prefix=".export-", suffix=".zip", dir=folder)
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(CONTENT_FILE, json.dumps(manifest, cls=_Encoder, ensure_ascii=False, indent=1))
            for name, data in media.items():
                archive.writestr(MEDIA_PREFIX + name, data)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    return summary


def read_archive(path):
    """(manifest, {picture name: bytes}) from an archive, checked throughout; BackupError if not sound."""
    try:
        with zipfile.ZipFile(path) as archive:
            try:
                manifest = json.loads(archive.read(CONTENT_FILE).decode("utf-8"))
            except KeyError as error:
                raise BackupError(f"{path} has no {CONTENT_FILE}: not a content backup") from error
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise BackupError(f"{path} is not a content backup of this site")
            if manifest.get("version") != VERSION:
                raise BackupError(f"{path} is format version {manifest.get('version')}; this site reads {VERSION}")
            if not isinstance(manifest.get("objects"), list) or not isinstance(manifest.get("media"), dict):
                raise BackupError(f"{path}: {CONTENT_FILE} lacks its objects or media list")
            media = {}
            for name, digest in manifest["media"].items():
                if not _safe_media_name(name):
                    raise BackupError(f"{path}: unsafe picture name {name!r}")
                try:
                    data = archive.read(MEDIA_PREFIX + name)
                except KeyError as error:
                    raise BackupError(f"{path}: picture {name!r} is missing") from error
                if _sha256(data) != digest:
                    raise BackupError(f"{path}: picture {name!r} is damaged (checksum differs)")
                media[name] = data
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as error:
        raise BackupError(f"{path} is not a readable zip archive: {error}") from error
    except UnicodeDecodeError as error:
        raise BackupError(f"{path}: {CONTENT_FILE} is not UTF-8 text: {error}") from error
    except json.JSONDecodeError as error:
        raise BackupError(f"{path}: {CONTENT_FILE} is not valid JSON: {error}") from error
    except OSError as error:
        raise BackupError(f"cannot read {path}: {error}") from error
    known = {label(model) for model in content_models()}
    for number, obj in enumerate(manifest["objects"]):
        if not isinstance(obj, dict) or obj.get("model") not in known or not isinstance(obj.get("fields"), dict):
            raise BackupError(f"{path}: object {number} is not a row of a content model")
        if obj["model"] in {label(m) for m in illustrated_models()}:
            picture = obj["fields"].get("illustration") or ""
            if picture and picture not in media:
                raise BackupError(
                    f"{path}: {obj['model']} {obj.get('pk')} uses picture {picture!r}, not in the archive"
                )
    return manifest, media


def content_counts():
    """{model label: rows} for every content model that has rows."""
    counts = {label(model): model._default_manager.count() for model in content_models()}
    return {name: count for name, count in counts.items() if count}


def delete_content():
    """Delete every content row (not users, not the pictures themselves)."""
    for model in reversed(content_models()):
        model._default_manager.all().delete()


def _map_users(objects, summary):
    """Point each revision at the local user with its author's username, or at nobody."""
    users = get_user_model()
    for obj in objects:
        if obj["model"] != label(Revision) or not obj["fields"].get("user"):
            continue
        key = obj["fields"]["user"]
        username = key[0] if isinstance(key, list) and key else key
        if not users._default_manager.filter(**{users.USERNAME_FIELD: username}).exists():
            summary.unknown_users.append(str(username))
            obj["fields"]["user"] = None


def _load(objects):
    """Save every row raw (ids, timestamps and all), as `loaddata` does."""
    models = set(content_models())
    with connection.constraint_checks_disabled():
        for deserialized in serializers.deserialize("python", objects):
            if type(deserialized.object) not in models:
                raise BackupError(f"unexpected row of {label(type(deserialized.object))}")
            deserialized.save()
    connection.check_constraints(table_names=[model._meta.db_table for model in content_models()])
    # PostgreSQL hands out ids from sequences, which do not know about the ids just written.
    sequence_sql = connection.ops.sequence_reset_sql(no_style(), list(content_models()))
    if sequence_sql:
        with connection.cursor() as cursor:
            for sql in sequence_sql:
                cursor.execute(sql)


def _write_pictures(media):
    """Store each picture under its own name; return the names newly written (to undo on failure)."""
    written = []
    for name, data in media.items():
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as handle:
                if handle.read() == data:
                    continue
            default_storage.delete(name)
        stored = default_storage.save(name, ContentFile(data))
        written.append(stored)
        if stored != name:
            raise BackupError(f"the storage kept picture {name!r} as {stored!r}")
    return written


def _make_renditions():
    made = 0
    for model in illustrated_models():
        for item in model.objects.exclude(illustration=""):
            if is_vector(item.illustration.name):
                continue
            for attribute in RENDITIONS:
                getattr(item, attribute).generate(force=True)
                made += 1
    return made


def import_archive(path, replace=False):
    """Load an archive written by export_archive; return a Summary. BackupError leaves all as it was."""
    manifest, media = read_archive(path)
    summary = Summary(replaced=replace)
    objects = manifest["objects"]
    previous_pictures = set()
    written = []
    try:
        with transaction.atomic():
            existing = content_counts()
            if existing and not replace:
                listed = ", ".join(f"{count} {name}" for name, count in sorted(existing.items()))
                raise BackupError(f"the database already has content ({listed}); use --replace to overwrite it")
            if replace:
                previous_pictures = set(referenced_pictures())
                delete_content()
            _map_users(objects, summary)
            with one_change():  # search text rebuilt once per item loaded
                _load(objects)
            for model in content_models():
                summary.counts[label(model)] = model._default_manager.count()
            written = _write_pictures(media)
    except (DeserializationError, DatabaseError, OSError, ValueError, TypeError, LookupError) as error:
        _remove(written)
        raise BackupError(f"{path}: the content could not be loaded, nothing was changed: {error}") from error
    except BaseException:
        _remove(written)
        raise
    content_changed()  # after the commit too, so no request can cache the old content again
    summary.pictures = len(media)
    # Pictures the replaced content used and the new content does not: gone with it.
    for name in previous_pictures - set(media):
        default_storage.delete(name)
        remove_renditions(name)
    summary.renditions = _make_renditions()
    return summary


def _remove(names):
    for name in names:
        default_storage.delete(name)
