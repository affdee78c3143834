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

An archive is untrusted input: it may come from anywhere, and whatever it holds
reaches public pages and, through history, the admin's restore. So importing checks
it all before it can change anything:

1. The zip, from its directory alone, before anything is decompressed: how many
   entries, how much they expand to and by how much (``MAX_*`` below), each name once.
2. The rows: only content models, each once, with only the fields export writes.
   History versions may hold only rows of content models that history records, and
   what they store is checked as their rows are (so restoring one in the admin can
   never write a user, a permission or anything else that is not content).
3. The pictures the rows and versions use: safe names, intact (SHA-256), and the
   same checks as an editor's upload (raster), or a plain drawing (SVG, see
   ``_svg_problem``). Anything else in the zip is ignored.

Then, in one transaction, rows are loaded raw (as ``loaddata`` does, so timestamps and
ids are kept), each validated by its model first (``full_clean``, uniqueness
included); then the pictures not already stored are written through the default
storage (so object storage works), never over a stored file. A failure anywhere
removes what was written and rolls back the rest. Only after the commit are the
pictures nothing uses any more deleted, and the derived data rebuilt: search text,
the phone-sized renditions of raster pictures, and the page cache.
"""

import datetime
import hashlib
import io
import json
import os
import re
import struct
import tempfile
import warnings
import xml.etree.ElementTree as ElementTree
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from PIL import Image
from reversion.models import Revision, Version

from content.changes import content_changed, one_change
from content.images import validate_upload
from content.registry import content_models, illustrated_models, public_models
from content.renditions import RENDITIONS_ROOT, WEBP_WIDTHS, is_vector, remove_renditions

FORMAT = "self-massage-guide-content"
# 2: the routines' benefits, positions and equipment are vocabularies of their own
# (routines.benefit, .position, .equipment), no longer taggit tags. A version 1 archive
# names them as taggit tags, so it is refused with its version rather than half read:
# import it into a release from before the change, migrate, and export again.
VERSION = 2
CONTENT_FILE = "content.json"
MEDIA_PREFIX = "media/"

RENDITIONS = (*(f"illustration_webp_{width}" for width in WEBP_WIDTHS), "illustration_fallback")

MB = 1024 * 1024
# Limits on an archive, checked from the zip's directory before anything is decompressed.
# A backup holds content.json and one entry per picture: this site ships 19 pictures, and
# even a guide with thousands of illustrated items stays far below these.
MAX_ENTRIES = 10_000
# Bounds the disk an import can fill and the time it takes.
MAX_TOTAL_BYTES = 2 * 1024 * MB
# Parsed JSON takes a few times its size in memory: 64 MB is some 20,000 saved versions
# (the seeded guides with no history take 0.07 MB).
MAX_CONTENT_BYTES = 64 * MB
# Deflate tops out near 1,030 to 1, which is what zip bombs use. content.json compresses
# 5 to 50 times (long runs of near-identical history), pictures 1 to 10 times. Entries
# smaller than RATIO_FLOOR may compress as much as they like: they cannot hurt.
MAX_RATIO = 200
RATIO_FLOOR = 1 * MB
# The seeded drawings are about 4 KB each.
MAX_SVG_BYTES = 1 * MB
# Raster pictures: settings.MAX_UPLOAD_BYTES, as for an editor's upload (validate_upload).

PICTURE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".svg"}
_NAME_PART = re.compile(r"[\w][\w.-]*")
_END_OF_DIRECTORY = struct.Struct("<4s4H2LH")


class BackupError(Exception):
    """The archive cannot be written or read, or the database cannot take it."""


@dataclass
class Summary:
    counts: dict = field(default_factory=dict)  # model label -> rows
    pictures: int = 0
    renditions: int = 0
    unknown_users: list = field(default_factory=list)  # authors of revisions not found here
    replaced: bool = False
    skipped_pictures: list = field(default_factory=list)  # unsafe names left out of an export


@dataclass
class Archive:
    """An archive that passed every check: its rows, and the pictures to store {name: SHA-256}."""

    path: str
    objects: list
    pictures: dict


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
    """True for a picture name as storage gives them ('techniques/kneading-3f9a1c2e.png'):
    relative, plain characters, inside the media folder but not among the renditions,
    with a picture's suffix. Anything else could reach another file when stored or read."""
    if not isinstance(name, str) or not 0 < len(name) <= 100:
        return False
    parts = name.split("/")
    return (
        all(_NAME_PART.fullmatch(part) for part in parts)
        and parts[0] != RENDITIONS_ROOT.split("/")[0]
        and PurePosixPath(name).suffix.lower() in PICTURE_SUFFIXES
    )


# Export.


def _named_pictures():
    """(current, historical): picture names as the rows and the stored versions give them, unchecked."""
    current = set()
    for model in illustrated_models():
        current.update(model.objects.exclude(illustration="").values_list("illustration", flat=True))
    historical = set()
    content_types = ContentType.objects.get_for_models(*illustrated_models()).values()
    for version in Version.objects.filter(content_type__in=content_types).only("serialized_data", "format"):
        if version.format != "json":
            continue
        try:
            fields = json.loads(version.serialized_data)[0]["fields"]
        except (ValueError, LookupError, TypeError, RecursionError):
            continue
        if isinstance(fields.get("illustration"), str) and fields["illustration"]:
            historical.add(fields["illustration"])
    return current, historical - current


def referenced_pictures(unsafe=None):
    """Names of the stored pictures the content uses: current illustrations, and those of
    earlier versions still in storage (so restoring a version from history finds its picture).

    A name that could reach outside the media folder is left out (and added to ``unsafe``,
    a list, when given): only a database filled before imports were checked can hold one.
    """
    current, historical = _named_pictures()
    names = set()
    for name in sorted(current | historical):
        if not _safe_media_name(name):
            if unsafe is not None:
                unsafe.append(name)
        elif name in current or default_storage.exists(name):
            names.add(name)
    return sorted(names)


def export_archive(path):
    """Write every content row and picture to the zip file ``path``; return a Summary."""
    summary = Summary()
    objects = []
    for model in content_models():
        rows = model._default_manager.order_by("pk")
        objects += serializers.serialize("python", rows, use_natural_foreign_keys=True)
        summary.counts[label(model)] = rows.count()
    media = {}
    for name in referenced_pictures(unsafe=summary.skipped_pictures):
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


# Reading an archive: the zip.


def _size(number):
    return f"{number / MB:,.1f} MB" if number >= MB else f"{number:,} bytes"


def _check_directory_size(handle):
    """Refuse a zip that lists too many entries, from its end record, before zipfile reads
    its whole directory into memory (a small file can list millions of entries)."""
    handle.seek(0, os.SEEK_END)
    end = handle.tell()
    handle.seek(max(0, end - _END_OF_DIRECTORY.size - 0xFFFF))
    tail = handle.read()
    # Where zipfile looks for it too: at the very end, else the last one within a comment's reach.
    at = len(tail) - _END_OF_DIRECTORY.size
    if at < 0 or not tail.startswith(b"PK\x05\x06", at):
        at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _END_OF_DIRECTORY.size:
        return  # not a zip at all: zipfile says so
    entries, directory_bytes = _END_OF_DIRECTORY.unpack_from(tail, at)[4:6]
    if entries > MAX_ENTRIES:
        listed = "65,535 or more" if entries == 0xFFFF else f"{entries:,}"  # 0xFFFF: a zip64 archive
        raise BackupError(f"it lists {listed} files; a content backup has at most {MAX_ENTRIES:,}")
    if directory_bytes > MAX_ENTRIES * 1024:
        raise BackupError(f"its list of files takes {_size(directory_bytes)}, far more than a content backup's")
    handle.seek(0)


def _check_entries(archive):
    """{name: ZipInfo} of every entry, after the limits on count, size and compression."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise BackupError(f"it holds {len(infos):,} files; a content backup has at most {MAX_ENTRIES:,}")
    entries = {}
    total = 0
    for info in infos:
        name = info.filename
        if name in entries:
            raise BackupError(f"it holds {name!r} twice; an archive names each file once")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise BackupError(f"{name!r} is compressed in a way export_content never uses")
        if info.flag_bits & 0x1:
            raise BackupError(f"{name!r} is encrypted")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise BackupError(
                f"{name!r} would expand {ratio:,} times, to {_size(info.file_size)} (at most {MAX_RATIO} times): "
                "refused as a zip bomb"
            )
        total += info.file_size
        entries[name] = info
    if total > MAX_TOTAL_BYTES:
        raise BackupError(f"its files would expand to {_size(total)}; the limit is {_size(MAX_TOTAL_BYTES)}")
    return entries


def _read_entry(archive, info, limit, what):
    """The bytes of one entry, refused unread when its directory says it is larger than ``limit``."""
    if info.file_size > limit:
        raise BackupError(f"{what} would take {_size(info.file_size)}; the limit is {_size(limit)}")
    with archive.open(info) as stream:
        data = stream.read(limit + 1)  # zipfile stops at the size listed, but never trust one check
    if len(data) > limit:
        raise BackupError(f"{what} is larger than {_size(limit)}")
    return data


def _read_manifest(archive, entries):
    info = entries.get(CONTENT_FILE)
    if info is None:
        raise BackupError(f"it has no {CONTENT_FILE}: not a content backup")
    manifest = json.loads(_read_entry(archive, info, MAX_CONTENT_BYTES, CONTENT_FILE).decode("utf-8"))
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("it is not a content backup of this site")
    if manifest.get("version") != VERSION:
        raise BackupError(f"it is format version {manifest.get('version')}; this site reads {VERSION}")
    if not isinstance(manifest.get("objects"), list) or not isinstance(manifest.get("media"), dict):
        raise BackupError(f"{CONTENT_FILE} lacks its objects or media list")
    for name, digest in manifest["media"].items():
        if not isinstance(digest, str):
            raise BackupError(f"{CONTENT_FILE} gives picture {name!r} no checksum")
    return manifest


# Reading an archive: the rows.


def _where(number, obj):
    return f"object {number} ({obj.get('model')} {obj.get('pk')})"


def _one_line(error):
    """A ValidationError (or any error) as one line: 'slug: Enter a valid “slug”…'."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        parts = [
            " ".join(messages) if name == "__all__" else f"{name}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        ]
        return "; ".join(parts)
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return " ".join(str(error).split())


def _field_names(model):
    """The fields export writes for a row of ``model`` (Django's serializer): all an archive row may hold."""
    names = {f.name for f in model._meta.local_fields if f.serialize}
    names |= {
        f.name
        for f in model._meta.local_many_to_many
        if f.serialize and f.remote_field.through._meta.auto_created  # tags go as rows of their own
    }
    return names


def _type_key(model):
    return [model._meta.app_label, model._meta.model_name]


def _historied_models():
    """Content models whose versions history keeps: the only rows a version may hold."""
    return [model for model in content_models() if reversion.is_registered(model)]


def _check_content_type(where, name, value, allowed):
    """A content type (natural key, as export writes it) must name one of ``allowed``."""
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(part, str) for part in value)):
        raise BackupError(f"{where}: {name} must name a model as [app, model]")
    if value not in [_type_key(model) for model in allowed]:
        raise BackupError(f"{where}: {name} {'.'.join(value)} is not content; an archive holds only content")


def _check_picture_name(where, name, in_archive=None):
    if name in ("", None):
        return
    if not _safe_media_name(name):
        raise BackupError(f"{where}: unsafe picture name {name!r}")
    if in_archive is not None and name not in in_archive:
        raise BackupError(f"{where}: uses picture {name!r}, not in the archive")


def _check_stored_row(where, fields):
    """What a history version stores must be a row of the model it is the history of, and
    valid as one: restoring it in the admin saves it as it is (reversion saves raw)."""
    if "content_type" not in fields:
        raise BackupError(f"{where}: it does not say what it is the history of")
    models = {label(model): model for model in _historied_models()}
    model = models[".".join(fields["content_type"])]
    if fields.get("format") != "json":
        raise BackupError(f"{where}: history stored as {fields.get('format')!r}; this site stores it as JSON")
    if fields.get("db") not in settings.DATABASES:
        raise BackupError(f"{where}: history of an unknown database {fields.get('db')!r}")
    if not isinstance(fields.get("serialized_data"), str):
        raise BackupError(f"{where}: its stored row is missing")
    stored = json.loads(fields["serialized_data"])
    if not (isinstance(stored, list) and len(stored) == 1 and isinstance(stored[0], dict)):
        raise BackupError(f"{where}: its stored data is not one row")
    row = stored[0]
    if row.get("model") != label(model):
        raise BackupError(f"{where}: history of {label(model)} stores a row of {row.get('model')}")
    if str(row.get("pk")) != str(fields.get("object_id")) or not isinstance(row.get("fields"), dict):
        raise BackupError(f"{where}: its stored row is not the row {fields.get('object_id')} it is the history of")
    # Names that are no field at all reversion skips when it restores (a field since removed);
    # any other name (a reverse relation, the tags) it would act on, and must not be there.
    skipped = {f.name for f in model._meta.get_fields()}
    unknown = sorted((set(row["fields"]) & skipped) - _field_names(model))
    if unknown:
        raise BackupError(f"{where}: its stored {label(model)} has an unknown field {unknown[0]!r}")
    (deserialized,) = serializers.deserialize("python", stored, ignorenonexistent=True)
    item = deserialized.object
    for relation in model._meta.fields:
        if relation.is_relation and relation.related_model is ContentType and relation.name in row["fields"]:
            named = ContentType.objects.filter(pk=getattr(item, relation.attname)).first()
            if named is not None and named.model_class() not in content_models():
                raise BackupError(f"{where}: its stored {label(model)} points at {named.app_label}.{named.model}")
    if model in illustrated_models():
        _check_picture_name(where, row["fields"].get("illustration"))
    # Relations may point at rows deleted since (a restore brings them back), so only the
    # fields it stores are checked, each as the admin's form would.
    unchecked = [f.name for f in model._meta.fields if f.is_relation or f.primary_key or f.name not in row["fields"]]
    item.clean_fields(exclude=unchecked)


def _check_objects(manifest):
    """The rows, in loading order, after every check that needs no database writes."""
    models = {label(model): model for model in content_models()}
    order = {name: position for position, name in enumerate(models)}
    illustrated = {label(model) for model in illustrated_models()}
    seen = {}
    checked = []
    for number, obj in enumerate(manifest["objects"]):
        if not isinstance(obj, dict) or set(obj) != {"model", "pk", "fields"}:
            raise BackupError(f"object {number} is not a row as export_content writes them")
        where = _where(number, obj)
        if not isinstance(obj["model"], str) or obj["model"] not in models:
            raise BackupError(f"object {number} is a row of {obj['model']!r}, which is not content")
        if type(obj["pk"]) is not int or obj["pk"] < 1 or not isinstance(obj["fields"], dict):
            raise BackupError(f"{where}: its id or fields are not as export_content writes them")
        key = (obj["model"], obj["pk"])
        if key in seen:
            raise BackupError(f"{where} appears twice (objects {seen[key]} and {number})")
        seen[key] = number
        model, fields = models[obj["model"]], obj["fields"]
        unknown = sorted(set(fields) - _field_names(model))
        if unknown:
            raise BackupError(f"{where}: {obj['model']} has no field {unknown[0]!r}")
        try:
            for relation in model._meta.fields:
                if relation.is_relation and relation.related_model is ContentType and relation.name in fields:
                    allowed = _historied_models() if model is Version else content_models()
                    _check_content_type(where, relation.name, fields[relation.name], allowed)
            if model is Revision and fields.get("user") is not None:
                user = fields["user"]
                if not (isinstance(user, list) and len(user) == 1 and isinstance(user[0], str)):
                    raise BackupError(f"{where}: its author must be given as [username]")
            if obj["model"] in illustrated:
                _check_picture_name(where, fields.get("illustration"), manifest["media"])
            if model is Version:
                _check_stored_row(where, fields)
        except BackupError:
            raise
        except ValidationError as error:
            raise BackupError(f"{where}: {_one_line(error)}") from error
        except (DeserializationError, ObjectDoesNotExist, ValueError, TypeError, LookupError, RecursionError) as error:
            raise BackupError(f"{where} cannot be read: {_one_line(error)}") from error
        checked.append((number, obj))
    checked.sort(key=lambda item: order[item[1]["model"]])  # references first, as they load
    return checked


# Reading an archive: the pictures.

_SVG = "{http://www.w3.org/2000/svg}"
_XML = "{http://www.w3.org/XML/1998/namespace}"
# What the seeded drawings use, and a few plain shapes like them. No script, foreignObject
# (HTML), use or image (they load other documents), a (links), animate or set (they can
# turn an attribute into a javascript: link).
SVG_ELEMENTS = {
    "svg", "g", "defs", "title", "desc", "style", "path", "rect", "circle", "ellipse", "line",
    "polyline", "polygon", "marker", "clipPath", "mask", "linearGradient", "radialGradient", "stop",
    "symbol", "text", "tspan",
}  # fmt: skip
_URL = re.compile(r"url\(\s*(['\"]?)\s*([^)'\"\s]*)", re.I)
_XML_DECLARATION = re.compile(r"<\?xml\s[^>]*?encoding\s*=\s*['\"]([^'\"]+)['\"]", re.I)


# CSS that can fetch or run something without url(); a backslash could spell url( or
# @import in CSS escapes, and plain drawings need none.
_CSS_REACHING_OUT = ("@import", "image-set", "src(", "javascript:", "expression(", "behavior", "binding", "\\")


def _outside_reference(text):
    """True when CSS or an attribute value could load something from outside the drawing."""
    lowered = text.lower()
    if any(marker in lowered for marker in _CSS_REACHING_OUT):
        return True
    return any(not target.startswith("#") for _quote, target in _URL.findall(text))


def _svg_problem(data):
    """Why ``data`` is not a plain drawing, or None.

    Editors cannot upload SVGs, because an SVG can carry script; but the site ships its
    seeded drawings as SVG, so a backup holds them. An SVG is accepted only when it is
    plain drawing: UTF-8 XML with no document type (no entities to expand or fetch) and no
    processing instructions (no style sheets to fetch), SVG elements from SVG_ELEMENTS only,
    no event handlers (on...), no links (href, xlink:href) and no CSS or url() that reaches
    outside the drawing (url(#marker) is fine). Checked against the parsed XML, so spelling,
    case or namespace prefixes cannot hide anything.
    """
    if len(data) > MAX_SVG_BYTES:
        return f"is larger than {_size(MAX_SVG_BYTES)}"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "is not UTF-8 text"
    declared = _XML_DECLARATION.match(text.lstrip("\ufeff"))
    if declared and declared.group(1).lower().replace("-", "") != "utf8":
        return f"declares the encoding {declared.group(1)}"
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.I):
        return "declares a document type or entities"
    if re.search(r"<\?(?!xml\s)", text) or text.count("<?") > 1:
        return "has processing instructions"
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        return f"is not well-formed XML ({error})"
    if root.tag != f"{_SVG}svg":
        return "is not an SVG drawing"
    for element in root.iter():
        if not isinstance(element.tag, str) or not element.tag.startswith(_SVG):
            return f"holds a {element.tag!r} element, which is not SVG"
        name = element.tag.removeprefix(_SVG)
        if name not in SVG_ELEMENTS:
            return f"holds a <{name}> element"
        for attribute, value in element.attrib.items():
            if attribute.startswith("{") and not attribute.startswith(_XML):
                return f"has a {attribute} attribute (links and foreign attributes are not allowed)"
            plain = attribute.removeprefix(_XML).lower()
            if plain.startswith("on"):
                return f"has an event handler ({attribute} on <{name}>)"
            if plain == "href":
                return f"links elsewhere ({attribute} on <{name}>)"
            if _outside_reference(value):
                return f"refers to something outside the drawing ({attribute} on <{name}>)"
        if name == "style" and _outside_reference("".join(element.itertext())):
            return "has a style sheet that refers to something outside the drawing"
    return None


def _picture_problem(name, data):
    """Why ``data`` cannot be stored as picture ``name``, or None: an editor's upload's checks."""
    if is_vector(name):
        problem = _svg_problem(data)
        return problem and f"is an SVG that {problem}; only plain drawings are accepted"
    try:
        validate_upload(ContentFile(data, name=PurePosixPath(name).name))
        with warnings.catch_warnings():
            # validate_upload has bounded the pixels; Pillow's own, looser warning would only be noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # a full decode, as re-encoding an upload does: catches truncated files
    except ValidationError as error:
        return _one_line(error)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return "is not a picture that can be read (it may be damaged or incomplete)"
    return None


def _pictures_used(objects):
    """Names of the pictures the rows and the versions use."""
    illustrated = {label(model) for model in illustrated_models()}
    historied = {label(model) for model in illustrated_models() if reversion.is_registered(model)}
    names = set()
    for _number, obj in objects:
        if obj["model"] in illustrated and obj["fields"].get("illustration"):
            names.add(obj["fields"]["illustration"])
        elif obj["model"] == label(Version) and ".".join(obj["fields"]["content_type"]) in historied:
            stored = json.loads(obj["fields"]["serialized_data"])[0]["fields"].get("illustration")
            if stored:
                names.add(stored)
    return names


def _picture_limit(name):
    return MAX_SVG_BYTES if is_vector(name) else settings.MAX_UPLOAD_BYTES


def _check_pictures(archive, entries, media, used):
    """{name: SHA-256} of the pictures to store: those used that the archive carries, each checked.

    A version's picture may be missing (export carries only those still in storage); a
    row's picture was checked to be listed. Pictures nothing uses are not even read.
    """
    pictures = {}
    for name in sorted(used & set(media)):
        info = entries.get(MEDIA_PREFIX + name)
        if info is None:
            raise BackupError(f"picture {name!r} is missing")
        data = _read_entry(archive, info, _picture_limit(name), f"picture {name!r}")
        if _sha256(data) != media[name]:
            raise BackupError(f"picture {name!r} is damaged (checksum differs)")
        problem = _picture_problem(name, data)
        if problem:
            raise BackupError(f"picture {name!r} {problem}")
        pictures[name] = media[name]
    return pictures


def read_archive(path):
    """The Archive at ``path``, checked throughout (see the module's docstring); BackupError if not sound."""
    try:
        with open(path, "rb") as handle:
            _check_directory_size(handle)
            with zipfile.ZipFile(handle) as archive:
                entries = _check_entries(archive)
                manifest = _read_manifest(archive, entries)
                objects = _check_objects(manifest)
                pictures = _check_pictures(archive, entries, manifest["media"], _pictures_used(objects))
    except BackupError as error:
        raise BackupError(f"{path}: {error}") from error
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error, NotImplementedError) as error:
        raise BackupError(f"{path} is not a readable zip archive: {_one_line(error)}") from error
    except UnicodeDecodeError as error:
        raise BackupError(f"{path}: {CONTENT_FILE} is not UTF-8 text: {error}") from error
    except (json.JSONDecodeError, RecursionError) as error:
        raise BackupError(f"{path}: {CONTENT_FILE} is not valid JSON: {_one_line(error)}") from error
    except (OSError, RuntimeError) as error:
        raise BackupError(f"cannot read {path}: {_one_line(error)}") from error
    return Archive(os.fspath(path), objects, pictures)


# Importing.


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
    for _number, obj in objects:
        if obj["model"] != label(Revision) or not obj["fields"].get("user"):
            continue
        username = obj["fields"]["user"][0]
        if not users._default_manager.filter(**{users.USERNAME_FIELD: username}).exists():
            summary.unknown_users.append(username)
            obj["fields"]["user"] = None


def _load(objects):
    """Save every row raw (ids, timestamps and all), as `loaddata` does, each validated first.

    Rows come references first, so each row's relations and uniqueness are checked
    against the rows already loaded.
    """
    with connection.constraint_checks_disabled():
        for number, obj in objects:
            where = _where(number, obj)
            try:
                (deserialized,) = serializers.deserialize("python", [obj])
                item = deserialized.object
                item.full_clean(exclude=[item._meta.pk.name])  # the id was checked, and is loaded as it is
            except ValidationError as error:
                raise BackupError(f"{where}: {_one_line(error)}") from error
            except (DeserializationError, ObjectDoesNotExist, ValueError, TypeError) as error:
                raise BackupError(f"{where} cannot be loaded: {_one_line(error)}") from error
            deserialized.save()
    connection.check_constraints(table_names=[model._meta.db_table for model in content_models()])
    # PostgreSQL hands out ids from sequences, which do not know about the ids just written.
    sequence_sql = connection.ops.sequence_reset_sql(no_style(), list(content_models()))
    if sequence_sql:
        with connection.cursor() as cursor:
            for sql in sequence_sql:
                cursor.execute(sql)


def _stored_digest(name):
    with default_storage.open(name, "rb") as handle:
        return _sha256(handle.read())


def _pictures_to_write(archive):
    """The archive's pictures not in storage yet. One stored under the same name with other
    bytes is refused: a stored picture's bytes never change (browsers keep them for a year)."""
    new = []
    for name, digest in archive.pictures.items():
        try:
            if not default_storage.exists(name):
                new.append(name)
                continue
            stored = _stored_digest(name)
        except OSError as error:
            raise BackupError(f"{archive.path}: cannot read the stored picture {name!r}: {error}") from error
        if stored != digest:
            raise BackupError(
                f"{archive.path}: picture {name!r} differs from the file already stored under that name; "
                "nothing was changed (move that file away to import this archive)"
            )
    return new


def _write_pictures(archive, names, written):
    """Store each new picture under its own name, noting each in ``written`` (to undo on failure)."""
    with zipfile.ZipFile(archive.path) as zipped:
        for name in names:
            data = _read_entry(zipped, zipped.getinfo(MEDIA_PREFIX + name), _picture_limit(name), name)
            if _sha256(data) != archive.pictures[name]:
                raise BackupError(f"picture {name!r} changed while the archive was being imported")
            try:
                stored = default_storage.save(name, ContentFile(data))
            except BaseException:
                # A write cut short may leave part of the file under its name, which was free.
                written.append(name)
                raise
            written.append(stored)
            if stored != name:
                raise BackupError(f"the storage kept picture {name!r} as {stored!r}")


def _make_renditions():
    """Make the renditions of raster pictures that storage lacks; return how many.

    Those already stored are kept: a picture's bytes never change under its name, so
    neither do its renditions (and forcing them anew would store a second copy of each).
    """
    made = 0
    for model in illustrated_models():
        for item in model.objects.exclude(illustration=""):
            if is_vector(item.illustration.name):
                continue
            for attribute in RENDITIONS:
                rendition = getattr(item, attribute)
                if not default_storage.exists(rendition.name):
                    rendition.generate(force=True)
                    made += 1
    return made


def _has_content(objects):
    public = {label(model) for model in public_models()}
    return any(obj["model"] in public for _number, obj in objects)


def import_archive(path, replace=False, allow_empty=False):
    """Load an archive written by export_archive; return a Summary. BackupError leaves all as it was.

    ``allow_empty``: let ``replace`` empty the site with an archive that holds no content.
    """
    archive = read_archive(path)
    if replace and not allow_empty and not _has_content(archive.objects):
        raise BackupError(
            f"{path} holds no content, so replacing would leave the site empty; nothing was changed "
            "(use --allow-empty if that is what you want)"
        )
    new_pictures = _pictures_to_write(archive)
    summary = Summary(replaced=replace)
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
            _map_users(archive.objects, summary)
            with one_change():  # search text rebuilt once per item loaded
                _load(archive.objects)
            for model in content_models():
                summary.counts[label(model)] = model._default_manager.count()
            _write_pictures(archive, new_pictures, written)
    except BackupError as error:
        _remove(written)
        raise BackupError(f"{path}: {str(error).rstrip('.')}; nothing was changed") from error
    except (
        DeserializationError,
        DatabaseError,
        OSError,
        ValueError,
        TypeError,
        LookupError,
        zipfile.BadZipFile,
        zlib.error,
    ) as error:
        _remove(written)
        raise BackupError(f"{path}: the content could not be loaded, nothing was changed: {error}") from error
    except BaseException:
        _remove(written)
        raise
    content_changed()  # after the commit too, so no request can cache the old content again
    summary.pictures = len(archive.pictures)
    # Only now that the new content is committed: the pictures it no longer uses go.
    for name in previous_pictures - set(referenced_pictures()):
        default_storage.delete(name)
        remove_renditions(name)
    summary.renditions = _make_renditions()
    return summary


def _remove(names):
    for name in names:
        if default_storage.exists(name):
            default_storage.delete(name)
