"""import_content takes archives as untrusted input: each hostile archive below is refused with
one clear line, and leaves the rows, the users, every stored file and every public page as they were.

Every archive is built from a fresh export of the seeded site (with some history and a
raster picture), then changed in one way, so each follows the format in every other respect.
"""

import hashlib
import io
import json
import re
import time
import tracemalloc
import warnings
import zipfile

import pytest
import reversion
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image
from reversion.models import Revision, Version
from taggit.models import Tag

from content.registry import content_models
from massage_site import backup
from massage_site.models import Page
from routines.models import Routine
from techniques.models import Technique

SCRIPT_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
PLAIN_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="5" height="5"/></svg>'


def png(colour="seagreen", size=(600, 400)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def export(folder):
    path = folder / "export.zip"
    call_command("export_content", str(path), stdout=io.StringIO())
    return path


def import_(path, *args):
    out = io.StringIO()
    call_command("import_content", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def site(seeded, editor, client):
    """The seeded site with an editor's saved change (so history to export) and a raster picture."""
    client.get("/admin/login/")
    tapping = Technique.objects.get(slug="tapping")
    tapping.illustration.save("tapping.png", ContentFile(png()), save=False)
    tapping.save()
    with reversion.create_revision():
        reversion.set_user(editor)
        reversion.set_comment("Changed definition.")
        kneading = Technique.objects.get(slug="kneading")
        kneading.definition = "Lift, squeeze and roll the muscle, like kneading dough."
        kneading.save()
        reversion.add_to_revision(Routine.objects.get(slug="legs"))
    return client


def public_urls():
    urls = ["/", "/techniques/", "/routines/", "/search/?q=kneading", "/pages/safety/", "/sitemap.xml", "/feed/"]
    urls += [f"/techniques/{slug}/" for slug in Technique.objects.values_list("slug", flat=True)]
    urls += [f"/routines/{slug}/" for slug in Routine.objects.values_list("slug", flat=True)]
    urls += [f"/tags/{slug}/" for slug in Tag.objects.values_list("slug", flat=True)]
    return sorted(urls)


def stored_files(media_root):
    """{relative name: SHA-256} of every file under MEDIA_ROOT."""
    return {
        str(path.relative_to(media_root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in media_root.rglob("*")
        if path.is_file()
    }


def rendered_pages(client):
    """{url: (status, body)} of every public page, from a cold page cache."""
    cache.clear()
    pages = {}
    for url in public_urls():
        response = client.get(url)
        pages[url] = (response.status_code, response.content)
    assert all(status == 200 for status, _body in pages.values())
    return pages


def site_state(client, media_root, pages=True):
    """Everything an import could change: content rows, accounts and their kin, stored files, pages."""
    return {
        "rows": {backup.label(model): list(model.objects.order_by("pk").values()) for model in content_models()},
        "users": list(
            get_user_model()
            .objects.order_by("pk")
            .values_list("username", "is_superuser", "is_staff", "password", "is_active")
        ),
        "groups": list(Group.objects.values_list("name", "permissions")),
        "permissions": Permission.objects.count(),
        "sessions": Session.objects.count(),
        "log entries": LogEntry.objects.count(),
        "files": stored_files(media_root),
        "pages": rendered_pages(client) if pages else None,
    }


# Building hostile archives from an export.


def rebuild(source, target, change=None, extra=(), compression=zipfile.ZIP_DEFLATED):
    """A copy of the export ``source`` at ``target``, after ``change(manifest, files)``.

    ``files`` is {entry name: bytes} for every entry but content.json; a picture whose bytes
    change gets its manifest checksum updated, so the bytes themselves are what is wrong.
    ``change`` may return a str: written as content.json instead of the manifest.
    ``extra``: (name, bytes) entries added after the others, duplicates allowed.
    """
    with zipfile.ZipFile(source) as old:
        manifest = json.loads(old.read("content.json"))
        files = {info.filename: old.read(info) for info in old.infolist() if info.filename != "content.json"}
    original = dict(files)
    content = change(manifest, files) if change else None
    for name in manifest["media"]:
        data = files.get(backup.MEDIA_PREFIX + name)
        if data is not None and data != original.get(backup.MEDIA_PREFIX + name):
            manifest["media"][name] = hashlib.sha256(data).hexdigest()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns of a duplicate name: that is the point
        with zipfile.ZipFile(target, "w", compression=compression) as new:
            new.writestr("content.json", content if isinstance(content, str) else json.dumps(manifest))
            for name, data in [*files.items(), *extra]:
                new.writestr(name, data)
    return target


def rows_of(manifest, model):
    return [obj for obj in manifest["objects"] if obj["model"] == model]


def row(manifest, model, **fields):
    return next(obj for obj in rows_of(manifest, model) if all(obj["fields"].get(k) == v for k, v in fields.items()))


def set_fields(model, match=None, **values):
    """A change giving the first row of ``model`` (matching ``match``) these field values."""

    def change(manifest, files):
        row(manifest, model, **(match or {}))["fields"].update(values)

    return change


def picture_of(manifest, slug):
    return row(manifest, "techniques.technique", slug=slug)["fields"]["illustration"]


def stored_row(version):
    return json.loads(version["fields"]["serialized_data"])[0]


def set_stored_row(version, stored):
    version["fields"]["serialized_data"] = json.dumps([stored])


def technique_version(manifest):
    return next(
        obj for obj in rows_of(manifest, "reversion.version") if obj["fields"]["content_type"][1] == "technique"
    )


def add_version(manifest, content_type, stored, object_id=None):
    """A history version of ``stored`` (a row as reversion keeps it), in the editor's revision."""
    revision = rows_of(manifest, "reversion.revision")[0]
    versions = rows_of(manifest, "reversion.version")
    manifest["objects"].append(
        {
            "model": "reversion.version",
            "pk": max(v["pk"] for v in versions) + 1,
            "fields": {
                "revision": revision["pk"],
                "object_id": str(object_id if object_id is not None else stored["pk"]),
                "content_type": content_type,
                "db": "default",
                "format": "json",
                "serialized_data": json.dumps([stored]),
                "object_repr": "x",
            },
        }
    )


def superuser(pk=99):
    return {
        "model": "auth.user",
        "pk": pk,
        "fields": {
            "username": "mallory",
            "password": "pbkdf2_sha256$1000000$salt$hash",
            "is_superuser": True,
            "is_staff": True,
            "is_active": True,
            "email": "mallory@example.com",
        },
    }


NOT_CONTENT = {
    "auth.group": {"model": "auth.group", "pk": 90, "fields": {"name": "Owners", "permissions": [1, 2, 3]}},
    "auth.permission": {
        "model": "auth.permission",
        "pk": 1,
        "fields": {"name": "Can do anything", "content_type": 1, "codename": "add_logentry"},
    },
    "sessions.session": {
        "model": "sessions.session",
        "pk": "stolen",
        "fields": {"session_data": "e30:1:x", "expire_date": "2099-01-01T00:00:00Z"},
    },
    "admin.logentry": {
        "model": "admin.logentry",
        "pk": 90,
        "fields": {"action_time": "2020-01-01T00:00:00Z", "user": 1, "action_flag": 1, "change_message": "x"},
    },
}

CASES = {}


def case(message):
    """Register a hostile archive: ``build(source, target)``, refused with ``message`` (a regex)."""

    def register(build):
        CASES[build.__name__] = (build, message)
        return build

    return register


# Users and other things that are not content, smuggled in.


@case(r"content_type auth\.user is not content")
def superuser_in_a_version_of_a_technique_revision(source, target):
    return rebuild(source, target, lambda m, f: add_version(m, ["auth", "user"], superuser()))


@case(r"history of techniques\.technique stores a row of auth\.user")
def superuser_disguised_as_a_technique_version(source, target):
    return rebuild(source, target, lambda m, f: add_version(m, ["techniques", "technique"], superuser()))


for _label, _stored in NOT_CONTENT.items():

    def _build(source, target, stored=_stored):
        return rebuild(source, target, lambda m, f: add_version(m, stored["model"].split("."), stored))

    _build.__name__ = f"version_of_{_label.replace('.', '_')}"
    case(rf"content_type {re.escape(_label)} is not content")(_build)


@case(r"a row of 'auth\.user', which is not content")
def superuser_as_a_row(source, target):
    return rebuild(source, target, lambda m, f: m["objects"].append(superuser()))


@case(r"content_type auth\.user is not content")
def tag_on_a_user(source, target):
    def change(manifest, files):
        rows_of(manifest, "taggit.taggeditem")[0]["fields"]["content_type"] = ["auth", "user"]

    return rebuild(source, target, change)


@case(r"its stored taggit\.taggeditem points at auth\.user")
def version_of_a_tag_on_a_user(source, target):
    users = ContentType.objects.get(app_label="auth", model="user").pk
    stored = {"model": "taggit.taggeditem", "pk": 999, "fields": {"tag": 1, "content_type": users, "object_id": 1}}
    return rebuild(source, target, lambda m, f: add_version(m, ["taggit", "taggeditem"], stored))


@case(r"its author must be given as \[username\]")
def revision_author_that_is_not_a_username(source, target):
    def change(manifest, files):
        rows_of(manifest, "reversion.revision")[0]["fields"]["user"] = {"username__startswith": ""}

    return rebuild(source, target, change)


# Field values the admin would never accept.


@case(r"techniques\.technique \d+\): slug: Enter a valid “slug”")
def slug_that_leaves_the_site(source, target):
    return rebuild(source, target, set_fields("techniques.technique", {"slug": "kneading"}, slug="/evil.example"))


@case(r"reversion\.version \d+\): slug: Enter a valid “slug”")
def slug_that_leaves_the_site_in_a_version(source, target):
    def change(manifest, files):
        version = technique_version(manifest)
        stored = stored_row(version)
        stored["fields"]["slug"] = "/evil.example"
        set_stored_row(version, stored)

    return rebuild(source, target, change)


@case(r"name: Ensure this value has at most 100 characters")
def name_too_long(source, target):
    return rebuild(source, target, set_fields("techniques.technique", name="x" * 500))


@case(r"family: Value 'evil' is not a valid choice")
def family_that_does_not_exist(source, target):
    return rebuild(source, target, set_fields("techniques.technique", family="evil"))


@case(r"routines\.step \d+\) cannot be loaded: .*must be an integer")
def duration_of_the_wrong_type(source, target):
    return rebuild(source, target, set_fields("routines.step", duration_seconds="ten"))


@case(r"its id or fields are not as export_content writes them")
def fields_that_are_not_a_mapping(source, target):
    return rebuild(source, target, lambda m, f: rows_of(m, "routines.step")[0].update(fields=["instruction"]))


@case(r"its id or fields are not as export_content writes them")
def id_that_is_not_a_number(source, target):
    return rebuild(source, target, lambda m, f: rows_of(m, "taggit.tag")[0].update(pk="1 OR 1=1"))


@case(r"Technique with this Slug already exists")
def two_techniques_with_one_slug(source, target):
    def change(manifest, files):
        first, second = rows_of(manifest, "techniques.technique")[:2]
        second["fields"]["slug"] = first["fields"]["slug"]

    return rebuild(source, target, change)


@case(r"routine: routine instance with id 999 is not a valid choice")
def step_of_a_routine_that_does_not_exist(source, target):
    return rebuild(source, target, set_fields("routines.step", routine=999))


# Pictures: names that reach other files, and files that are not plain pictures.


@case(r"unsafe picture name '\.\./\.\./\.\./\.\./etc/passwd'")
def picture_path_traversal_in_a_row(source, target):
    def change(manifest, files):
        evil = "../../../../etc/passwd"
        row(manifest, "techniques.technique", slug="kneading")["fields"]["illustration"] = evil
        manifest["media"][evil] = hashlib.sha256(b"root:x:0:0").hexdigest()
        files[backup.MEDIA_PREFIX + evil] = b"root:x:0:0"

    return rebuild(source, target, change)


@case(r"reversion\.version \d+\): unsafe picture name '\.\./\.\./\.\./\.\./etc/passwd'")
def picture_path_traversal_in_a_version(source, target):
    def change(manifest, files):
        version = technique_version(manifest)
        stored = stored_row(version)
        stored["fields"]["illustration"] = "../../../../etc/passwd"
        set_stored_row(version, stored)

    return rebuild(source, target, change)


@case(r"unsafe picture name '/etc/passwd'")
def absolute_picture_path(source, target):
    return rebuild(
        source, target, set_fields("techniques.technique", {"slug": "kneading"}, illustration="/etc/passwd")
    )


@case(r"unsafe picture name 'CACHE/images/techniques/x\.png'")
def picture_among_the_renditions(source, target):
    def change(manifest, files):
        name = "CACHE/images/techniques/x.png"
        row(manifest, "techniques.technique", slug="kneading")["fields"]["illustration"] = name
        manifest["media"][name] = ""
        files[backup.MEDIA_PREFIX + name] = png()

    return rebuild(source, target, change)


@case(r"picture 'techniques/tapping-\w+\.png' This file is not a picture that can be read")
def picture_that_is_not_an_image(source, target):
    def change(manifest, files):
        files[backup.MEDIA_PREFIX + picture_of(manifest, "tapping")] = b"MZ\x90\x00 this is a program, not a picture"

    return rebuild(source, target, change)


@case(r"This file holds more than a picture")
def picture_with_a_page_inside(source, target):
    def change(manifest, files):
        files[backup.MEDIA_PREFIX + picture_of(manifest, "tapping")] = png() + b"<script>alert(1)</script>"

    return rebuild(source, target, change)


def replace_kneading_svg(data):
    def change(manifest, files):
        files[backup.MEDIA_PREFIX + picture_of(manifest, "kneading")] = data

    return change


@case(r"is an SVG that holds a <script> element; only plain drawings are accepted")
def svg_with_script(source, target):
    return rebuild(source, target, replace_kneading_svg(SCRIPT_SVG))


@case(r"is an SVG that has an event handler \(onload on <svg>\)")
def svg_with_an_event_handler(source, target):
    return rebuild(source, target, replace_kneading_svg(PLAIN_SVG.replace(b"<svg ", b'<svg onload="alert(1)" ')))


@case(r"is an SVG that holds a <foreignObject> element")
def svg_with_html_inside(source, target):
    html = (
        b'<foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></body></foreignObject>'
    )
    return rebuild(source, target, replace_kneading_svg(PLAIN_SVG.replace(b"<rect", html + b"<rect")))


@case(r"is an SVG that refers to something outside the drawing \(style on <rect>\)")
def svg_that_loads_from_elsewhere(source, target):
    return rebuild(
        source,
        target,
        replace_kneading_svg(PLAIN_SVG.replace(b"<rect", b'<rect style="fill:url(https://e.example/t)"')),
    )


@case(r"is an SVG that declares a document type or entities")
def svg_with_entities(source, target):
    bomb = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    return rebuild(source, target, replace_kneading_svg(bomb + PLAIN_SVG))


@case(r"differs from the file already stored under that name")
def picture_that_would_overwrite_a_stored_one(source, target):
    return rebuild(source, target, replace_kneading_svg(PLAIN_SVG))


@case(r"would expand [\d,]+ times, to 8\.0 MB \(at most 200 times\): refused as a zip bomb")
def picture_that_expands_a_thousand_times(source, target):
    def change(manifest, files):
        files[backup.MEDIA_PREFIX + picture_of(manifest, "tapping")] = bytes(8 * backup.MB)

    return rebuild(source, target, change)


# The archive's structure.


@case(r"object \d+ \(techniques\.technique \d+\) appears twice \(objects \d+ and \d+\)")
def the_same_technique_twice(source, target):
    def change(manifest, files):
        copy = json.loads(json.dumps(row(manifest, "techniques.technique", slug="kneading")))
        copy["fields"]["definition"] = "The second copy would win."
        manifest["objects"].append(copy)

    return rebuild(source, target, change)


@case(r"it holds 'content\.json' twice; an archive names each file once")
def content_json_twice(source, target):
    return rebuild(source, target, extra=[("content.json", b'{"format": "something else"}')])


@case(r"a row of 'techniques\.secret', which is not content")
def row_of_an_unknown_model(source, target):
    return rebuild(
        source, target, lambda m, f: m["objects"].append({"model": "techniques.secret", "pk": 1, "fields": {}})
    )


@case(r"\(techniques\.technique \d+\): techniques\.technique has no field 'is_superuser'")
def unknown_field(source, target):
    return rebuild(source, target, set_fields("techniques.technique", is_superuser=True))


@case(r"\(routines\.routine \d+\): routines\.routine has no field 'steps'")
def reverse_relation_given_as_a_field(source, target):
    return rebuild(source, target, set_fields("routines.routine", steps=[1, 2]))


@case(r"its stored techniques\.technique has an unknown field 'steps'")
def reverse_relation_in_a_version(source, target):
    def change(manifest, files):
        version = technique_version(manifest)
        stored = stored_row(version)
        stored["fields"]["steps"] = [1]
        set_stored_row(version, stored)

    return rebuild(source, target, change)


@case(r"history stored as 'xml'; this site stores it as JSON")
def version_in_another_format(source, target):
    return rebuild(source, target, lambda m, f: technique_version(m)["fields"].update(format="xml"))


@case(r"reversion\.version \d+\) cannot be read: Expecting value")
def version_whose_data_is_not_json(source, target):
    return rebuild(source, target, lambda m, f: technique_version(m)["fields"].update(serialized_data="not json"))


@case(r"content\.json is not valid JSON")
def json_nested_too_deep(source, target):
    return rebuild(source, target, lambda m, f: '{"format": "self-massage-guide-content", "objects": ' + "[" * 200_000)


@case(r"holds no content, so replacing would leave the site empty; nothing was changed \(use --allow-empty")
def empty_archive(source, target):
    def change(manifest, files):
        manifest["objects"], manifest["media"] = [], {}
        files.clear()

    return rebuild(source, target, change)


@case(r"it lists 10,0\d\d files; a content backup has at most 10,000")
def too_many_entries(source, target):
    rebuild(source, target)
    with zipfile.ZipFile(target, "a", compression=zipfile.ZIP_STORED) as archive:
        for number in range(backup.MAX_ENTRIES):
            archive.writestr(f"padding/{number}", b"")
    return target


def test_every_hostile_archive_is_refused_with_one_clear_line_and_changes_nothing(
    site, tmp_path, media_root, subtests
):
    # One site for the whole corpus: a refused archive must leave it exactly as it was, so
    # each case also starts from the state the first one found. Pages are drawn from the rows
    # and files alone (the cache is emptied first), so they are compared once, at the end.
    source = export(tmp_path)
    before = site_state(site, media_root, pages=False)
    pages_before = rendered_pages(site)
    for name, (build, message) in CASES.items():
        with subtests.test(name):
            archive = build(source, tmp_path / f"{name}.zip")
            with pytest.raises(CommandError) as refused:
                import_(archive, "--replace")
            text = str(refused.value)
            assert text.startswith(f"Import failed: {archive}") and "\n" not in text
            assert re.search(message, text), text
            assert site_state(site, media_root, pages=False) == before
            assert not get_user_model().objects.filter(username="mallory").exists()
    assert rendered_pages(site) == pages_before


def test_the_corpus_covers_at_least_twenty_hostile_archives():
    assert len(CASES) >= 20


def test_a_zip_bomb_is_refused_from_the_zip_directory_in_under_a_second_and_100_mb(site, tmp_path, media_root):
    """content.json of 256 MB of zeros in a zip of about 1 MB: refused before anything is decompressed."""
    bomb = tmp_path / "bomb.zip"
    with (
        zipfile.ZipFile(export(tmp_path)) as source,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zipped,
    ):
        with zipped.open("content.json", "w") as content:
            zeros = bytes(backup.MB)
            for _ in range(256):
                content.write(zeros)
        for info in source.infolist():
            if info.filename != "content.json":
                zipped.writestr(info, source.read(info))
    assert bomb.stat().st_size < 2 * backup.MB
    before = site_state(site, media_root)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(CommandError, match=r"'content\.json' would expand .* refused as a zip bomb|limit is 64"):
            import_(bomb, "--replace")
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 1
    assert peak < 100 * backup.MB
    assert site_state(site, media_root) == before


def test_a_picture_failing_to_store_removes_those_written_and_changes_nothing(site, tmp_path, media_root, monkeypatch):
    archive = export(tmp_path)
    # The site moves on: two techniques get new pictures, so their old ones leave storage
    # and importing the archive has to write them again.
    to_write = []
    for slug, colour in (("kneading", "tomato"), ("effleurage", "gold")):
        technique = Technique.objects.get(slug=slug)
        to_write.append(technique.illustration.name)
        technique.illustration.save(f"{slug}.png", ContentFile(png(colour)), save=False)
        technique.save()
    assert not any(default_storage.exists(name) for name in to_write)
    before = site_state(site, media_root)

    stored = []
    save = FileSystemStorage.save

    def fail_the_second(storage, name, content, *args, **kwargs):
        if stored:
            raise OSError("No space left on device")
        stored.append(save(storage, name, content, *args, **kwargs))
        return stored[-1]

    monkeypatch.setattr(FileSystemStorage, "save", fail_the_second)
    with pytest.raises(CommandError, match=r"No space left on device") as refused:
        import_(archive, "--replace")
    assert "nothing was changed" in str(refused.value)
    assert len(stored) == 1 and stored[0] in to_write  # one was written, then taken back
    monkeypatch.undo()
    assert site_state(site, media_root) == before


def test_entries_the_manifest_does_not_list_are_never_written(site, tmp_path, media_root):
    outside = tmp_path / "escaped.txt"
    extra = [("media/evil.html", b"<script>alert(1)</script>"), ("../escaped.txt", b"x"), ("/tmp/abs.txt", b"x")]
    archive = rebuild(export(tmp_path), tmp_path / "extra.zip", extra=extra)
    files_before = stored_files(media_root)
    assert "Replaced the content" in import_(archive, "--replace")
    assert not outside.exists()
    assert not any(name.endswith((".html", ".txt")) for name in stored_files(media_root))
    assert stored_files(media_root) == files_before


def test_replacing_with_an_empty_archive_needs_allow_empty(site, tmp_path):
    archive = empty_archive(export(tmp_path), tmp_path / "empty.zip")
    assert "Replaced the content with 0 rows" in import_(archive, "--replace", "--allow-empty")
    assert backup.content_counts() == {}


def test_a_stored_version_with_an_unsafe_picture_breaks_neither_export_nor_import(site, tmp_path):
    """A database filled before imports were checked may hold one: export leaves the name out
    (and says so), and importing a sound archive over it still works."""
    sound = export(tmp_path)
    version = Version.objects.get_for_model(Technique).first()
    data = json.loads(version.serialized_data)
    data[0]["fields"]["illustration"] = "../../../../etc/passwd"
    Version.objects.filter(pk=version.pk).update(serialized_data=json.dumps(data))

    out = io.StringIO()
    call_command("export_content", str(tmp_path / "again.zip"), stdout=out)
    assert "unsafe names were left out ('../../../../etc/passwd')" in out.getvalue()
    with zipfile.ZipFile(tmp_path / "again.zip") as zipped:
        assert not any("passwd" in name for name in zipped.namelist())
    with pytest.raises(CommandError, match=r"unsafe picture name"):
        import_(tmp_path / "again.zip", "--replace")
    assert "Replaced the content" in import_(sound, "--replace")


# Restoring from history in the admin.


def test_the_recover_and_revision_views_refuse_a_version_of_another_model(staff_client, seeded):
    staff_client.get("/admin/login/")
    page = Page.objects.get(slug="safety")
    with reversion.create_revision():
        page.title = "Safety first"
        page.save()
    version = Version.objects.get_for_object(page).get()
    assert staff_client.get(f"/admin/massage_site/page/{page.pk}/history/{version.pk}/").status_code == 200
    # The page's version, given a technique's id (ids are not shared on every database): another model.
    technique = Technique.objects.first()
    Version.objects.filter(pk=version.pk).update(object_id=str(technique.pk))
    assert staff_client.get(f"/admin/techniques/technique/recover/{version.pk}/").status_code == 404
    assert staff_client.get(f"/admin/techniques/technique/{technique.pk}/history/{version.pk}/").status_code == 404


def test_a_history_entry_holding_a_user_is_never_restored(staff_client, seeded, django_user_model):
    """Even if a user got into history (imports refuse it), restoring that entry writes nothing."""
    staff_client.get("/admin/login/")
    kneading = Technique.objects.get(slug="kneading")
    with reversion.create_revision():
        kneading.save()
    version = Version.objects.get_for_object(kneading).get()
    Version.objects.create(
        revision=version.revision,
        object_id="99",
        content_type=ContentType.objects.get_for_model(django_user_model),
        db="default",
        format="json",
        serialized_data=json.dumps([superuser()]),
        object_repr="mallory",
    )
    url = f"/admin/techniques/technique/{kneading.pk}/history/{version.pk}/"
    assert staff_client.get(url).status_code == 404
    assert staff_client.post(url, {"name": kneading.name, "slug": kneading.slug}).status_code == 404
    assert not django_user_model.objects.filter(username="mallory").exists()
    assert Revision.objects.count() == 1
