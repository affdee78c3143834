"""Backups: export_content and import_content carry everything, and a restore is exact."""

import io
import json
import zipfile

import pytest
import reversion
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image
from reversion.models import Revision, Version
from taggit.models import Tag

from content.registry import content_models
from massage_site import backup
from massage_site.models import Page
from routines.models import Benefit, Equipment, Position, Routine
from techniques.models import Technique


def png(size=(1200, 900)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "seagreen").save(buffer, "PNG")
    return buffer.getvalue()


def public_urls():
    urls = ["/", "/techniques/", "/routines/", "/search/?q=kneading", "/plan/?r=neck&r=legs"]
    urls += ["/pages/safety/", "/sitemap.xml", "/feed/", "/robots.txt"]
    urls += [f"/techniques/{slug}/" for slug in Technique.objects.values_list("slug", flat=True)]
    urls += [f"/routines/{slug}/" for slug in Routine.objects.values_list("slug", flat=True)]
    for vocabulary in (Tag, Benefit, Position, Equipment):
        urls += [f"/tags/{slug}/" for slug in vocabulary.objects.values_list("slug", flat=True)]
    return sorted(set(urls))


def render_all(client, urls):
    """{url: (status, Location, body bytes)} for every page, from a cold page cache."""
    cache.clear()
    pages = {}
    for url in urls:
        response = client.get(url)
        pages[url] = (response.status_code, response.get("Location"), response.content)
    return pages


def media_files(media_root):
    """{relative name: bytes} of every stored file."""
    return {str(p.relative_to(media_root)): p.read_bytes() for p in media_root.rglob("*") if p.is_file()}


def history():
    return sorted(
        (r.pk, r.date_created, r.comment, r.user.username if r.user else None, v.object_id, v.serialized_data)
        for r in Revision.objects.all()
        for v in Version.objects.filter(revision=r)
    )


def export(path):
    call_command("export_content", str(path), stdout=io.StringIO())


def import_(path, *args):
    out = io.StringIO()
    call_command("import_content", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def edited_site(seeded, editor, django_user_model, client):
    """The seeded site after an editor's changes: a new picture, tags, a moved slug, history."""
    client.get("/admin/login/")  # loads the admin, which registers the content with reversion
    kneading = Technique.objects.get(slug="kneading")
    kneading.illustration.save("hands.png", ContentFile(png()), save=False)
    kneading.save()
    kneading.tags.add("warming up")
    legs = Routine.objects.get(slug="legs")
    legs.benefits.add("after running")
    with reversion.create_revision():
        reversion.set_user(editor)
        reversion.set_comment("Changed definition.")
        kneading.definition = "Lift, squeeze and roll the muscle, like kneading dough."
        kneading.save()
    visitor = django_user_model.objects.create_user("visiting-editor", password="a-long-visiting-password")
    with reversion.create_revision():
        reversion.set_user(visitor)
        reversion.set_comment("Moved it.")
        tapping = Technique.objects.get(slug="tapping")
        tapping.slug = "tapping-with-fingertips"
        tapping.save()
        reversion.add_to_revision(legs)
    page = Page.objects.get(slug="safety")
    page.body += "<p>Stop if anything hurts.</p>"
    page.save()
    return kneading


def test_export_then_import_into_an_empty_database_reproduces_every_public_page(
    client, edited_site, media_root, tmp_path, django_user_model
):
    urls = public_urls() + ["/techniques/tapping/"]  # the old address redirects
    before = render_all(client, urls)
    assert all(status in (200, 301) for status, _location, _body in before.values())
    assert before["/techniques/tapping/"][:2] == (301, "/techniques/tapping-with-fingertips/")
    assert b"<picture>" in before["/techniques/kneading/"][2]
    files_before = media_files(media_root)
    renditions_before = {name for name in files_before if name.startswith("CACHE/")}
    assert renditions_before, "the uploaded PNG has renditions"
    history_before = history()
    related_before = sorted(Technique.related.through.objects.values_list("from_technique_id", "to_technique_id"))
    rows_before = {backup.label(model): list(model.objects.order_by("pk").values()) for model in content_models()}

    archive = tmp_path / "backup.zip"
    export(archive)
    with zipfile.ZipFile(archive) as zipped:
        assert "hashed" not in zipped.read("content.json").decode()  # no password hashes
        assert f"media/{edited_site.illustration.name}" in zipped.namelist()

    # Lose everything: content rows, pictures, cache; and the visiting editor's account.
    backup.delete_content()
    assert backup.content_counts() == {}
    for path in sorted(media_root.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    django_user_model.objects.filter(username="visiting-editor").delete()
    cache.clear()
    assert client.get("/techniques/kneading/").status_code == 404

    output = import_(archive)
    assert "Imported" in output and "visiting-editor" in output

    after = render_all(client, urls)
    for url in urls:
        assert after[url] == before[url], f"{url} differs after the round trip"
    assert media_files(media_root) == files_before  # pictures and their regenerated renditions
    assert sorted(Technique.related.through.objects.values_list("from_technique_id", "to_technique_id")) == (
        related_before
    )
    # History is back; the revision by a user this site no longer has is kept without an author.
    expected_history = [
        (*row[:3], None if row[3] == "visiting-editor" else row[3], *row[4:]) for row in history_before
    ]
    assert history() == expected_history
    assert Revision.objects.filter(user__username="editor").count() == 1
    for model in content_models():  # every row, timestamps to the microsecond, search text included
        rows = list(model.objects.order_by("pk").values())
        if model is Revision:  # authors compared above
            rows, rows_before[backup.label(model)] = (
                [{k: v for k, v in row.items() if k != "user_id"} for row in table]
                for table in (rows, rows_before[backup.label(model)])
            )
        assert rows == rows_before[backup.label(model)], backup.label(model)


def test_import_refuses_a_database_that_has_content(seeded, tmp_path):
    archive = tmp_path / "backup.zip"
    export(archive)
    with pytest.raises(CommandError, match="already has content.*--replace"):
        import_(archive)


def test_import_replace_swaps_the_content_in_one_go(client, seeded, tmp_path):
    archive = tmp_path / "backup.zip"
    export(archive)
    kneading = Technique.objects.get(slug="kneading")
    kneading.definition = "Changed after the backup."
    kneading.save()
    Technique.objects.create(name="Wringing", slug="wringing", family="kneading", definition="W.", how_to="W.")
    assert "Replaced the content" in import_(archive, "--replace")
    assert Technique.objects.get(slug="kneading").definition != "Changed after the backup."
    assert not Technique.objects.filter(slug="wringing").exists()
    assert "Changed after the backup." not in client.get("/techniques/kneading/").content.decode()


def rewrite(source, target, change):
    """Copy an archive, passing content.json (as text) through ``change``; None drops a member."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "content.json":
                data = change(data.decode())
                if data is None:
                    continue
                data = data.encode()
            new.writestr(item, data)
    return target


def drop_first_picture(source, target):
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        dropped = False
        for item in old.infolist():
            if item.filename.startswith("media/") and not dropped:
                dropped = True
                continue
            new.writestr(item, old.read(item))
    return target


def break_a_step(text):
    """A step of a routine that does not exist: caught only once loading has begun."""
    content = json.loads(text)
    step = next(obj for obj in content["objects"] if obj["model"] == "routines.step")
    step["fields"]["routine"] = 999
    return json.dumps(content)


def as_version_1(text):
    """An archive from before the routines' tags had vocabularies of their own."""
    content = json.loads(text)
    content["version"] = 1
    return json.dumps(content)


BAD_ARCHIVES = {
    "not a zip": lambda source, target: target.write_bytes(b"this is not a zip file") and target,
    "truncated": lambda source, target: target.write_bytes(source.read_bytes()[:2000]) and target,
    "no content.json": lambda source, target: rewrite(source, target, lambda text: None),
    "bad JSON": lambda source, target: rewrite(source, target, lambda text: text[: len(text) // 2]),
    "another format": lambda source, target: rewrite(source, target, lambda text: text.replace("self-massage", "x")),
    "picture missing": drop_first_picture,
    "bad reference": lambda source, target: rewrite(source, target, break_a_step),
    "older version": lambda source, target: rewrite(source, target, as_version_1),
}


@pytest.mark.parametrize("damage", BAD_ARCHIVES)
def test_a_bad_archive_is_refused_and_nothing_changes(client, seeded, tmp_path, media_root, damage):
    archive = tmp_path / "backup.zip"
    export(archive)
    bad = BAD_ARCHIVES[damage](archive, tmp_path / "bad.zip")
    rows_before = {backup.label(model): list(model.objects.order_by("pk").values()) for model in content_models()}
    files_before = media_files(media_root)
    page_before = client.get("/routines/legs/").content
    with pytest.raises(CommandError, match="Import failed") as refused:
        import_(bad, "--replace")
    if damage == "older version":
        assert "it is format version 1; this site reads 2" in str(refused.value)
    assert {backup.label(m): list(m.objects.order_by("pk").values()) for m in content_models()} == rows_before
    assert media_files(media_root) == files_before
    assert client.get("/routines/legs/").content == page_before
