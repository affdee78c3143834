"""Pictures in S3-compatible object storage, against a real S3 server process (moto's).

Each test gets a bucket of its own on one server started for the session, and the
settings of a deployment that sets AWS_STORAGE_BUCKET_NAME (massage_site/settings.py).
The requests the site makes are counted from its own S3 client's events: nothing is patched.
"""

import contextlib
import io
import itertools
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
import zipfile

import boto3
import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from content.registry import illustrated_models
from content.renditions import RENDITIONS_ROOT
from massage_site.backup import delete_content
from massage_site.seeding import load
from massage_site.social_cards import HEIGHT, WIDTH
from techniques.models import Technique

CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}
LONG_CACHE = "public, max-age=31536000, immutable"
_buckets = itertools.count(1)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """The endpoint URL of moto's S3 server, run as a process of its own for the session."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/reset", data=b"", timeout=1)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"moto's S3 server did not start on port {port}")
            time.sleep(0.1)
    yield endpoint
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()


def storage_settings(endpoint, bucket):
    """STORAGES["default"] as settings.py builds it from the AWS_* variables."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "access_key": CREDENTIALS["aws_access_key_id"],
            "secret_key": CREDENTIALS["aws_secret_access_key"],
            "region_name": CREDENTIALS["region_name"],
            "endpoint_url": endpoint,
            "addressing_style": "path",
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": LONG_CACHE},
        },
    }


class Bucket:
    """A bucket on the test server, seen from outside the site (its own boto3 client)."""

    def __init__(self, endpoint, name):
        self.endpoint, self.name = endpoint, name
        self.client = boto3.client("s3", endpoint_url=endpoint, **CREDENTIALS)
        self.client.create_bucket(Bucket=name)

    @property
    def url(self):
        return f"{self.endpoint}/{self.name}"

    def names(self, prefix=""):
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name, Prefix=prefix)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    def read(self, key):
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def head(self, key):
        return self.client.head_object(Bucket=self.name, Key=key)


def use_bucket(settings, s3_server, name=None):
    bucket = Bucket(s3_server, name or f"pictures-{next(_buckets)}-{uuid.uuid4().hex[:8]}")
    settings.STORAGES = {**settings.STORAGES, "default": storage_settings(s3_server, bucket.name)}
    return bucket


@pytest.fixture
def bucket(settings, s3_server):
    """A new, empty bucket that is the site's default storage for this test."""
    return use_bucket(settings, s3_server)


@contextlib.contextmanager
def s3_requests():
    """Yields the list of S3 operations ('PutObject', ...) the site's storage sends meanwhile."""
    sent = []
    events = storages["default"].connection.meta.client.meta.events

    def record(model, **kwargs):
        sent.append(model.name)

    events.register("before-call.s3", record, unique_id="count-s3-requests")
    try:
        yield sent
    finally:
        events.unregister("before-call.s3", unique_id="count-s3-requests")


def png(colour="teal", size=(800, 600)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def give_picture(technique, colour="teal"):
    technique.illustration = SimpleUploadedFile("hands.png", png(colour), content_type="image/png")
    technique.illustration_alt = "Both hands on the calf."
    technique.save()
    return technique.illustration.name


def renditions_of(bucket, name):
    return bucket.names(f"{RENDITIONS_ROOT}/{name.rsplit('.', 1)[0]}/")


def test_an_upload_in_the_admin_lands_in_the_bucket_and_the_page_shows_it_from_there(
    editor_client, admin_form, make_technique, bucket
):
    technique = make_technique(name="Calf squeeze", slug="calf-squeeze")
    url = reverse("admin:techniques_technique_change", args=[technique.pk])
    form = admin_form(editor_client.get(url), illustration_alt="Both hands squeeze the calf.")
    form["illustration"] = SimpleUploadedFile("calf.png", png(), content_type="image/png")
    assert editor_client.post(url, form).status_code == 302
    technique.refresh_from_db()
    name = technique.illustration.name
    assert name.startswith("techniques/calf-squeeze-") and name in bucket.names()
    assert Image.open(io.BytesIO(bucket.read(name))).size == (800, 600)
    page = editor_client.get(technique.get_absolute_url()).content.decode()
    assert f'src="{bucket.url}/{RENDITIONS_ROOT}/techniques/calf-squeeze-' in page
    assert "X-Amz-Signature" not in page and "AWSAccessKeyId" not in page


def test_renditions_are_written_to_the_bucket_once_and_pages_never_ask_the_bucket(client, make_technique, bucket):
    technique = make_technique(name="Calf squeeze", slug="calf-squeeze")
    with s3_requests() as sent:
        name = give_picture(technique)
    assert sent.count("PutObject") == 1 + 4  # the picture, then three WebP sizes and a fallback
    assert len(renditions_of(bucket, name)) == 4
    with s3_requests() as sent:
        technique.definition = "A firmer squeeze."
        technique.save()
        for _ in range(2):
            assert client.get(technique.get_absolute_url()).status_code == 200
        client.get(reverse("techniques:list"))
    assert "PutObject" not in sent and "HeadObject" not in sent
    assert len(renditions_of(bucket, name)) == 4


def test_replacing_a_picture_deletes_the_old_object_and_its_renditions_from_the_bucket(make_technique, bucket):
    technique = make_technique(name="Calf squeeze", slug="calf-squeeze")
    old = give_picture(technique, "teal")
    assert old in bucket.names() and renditions_of(bucket, old)
    new = give_picture(Technique.objects.get(pk=technique.pk), "orange")
    keys = bucket.names()
    assert new != old and new in keys and len(renditions_of(bucket, new)) == 4
    assert old not in keys and not renditions_of(bucket, old)


def test_seeding_writes_the_seed_pictures_to_the_bucket(db, bucket):
    load()
    names = {
        item.illustration.name
        for model in illustrated_models()
        for item in model._default_manager.exclude(illustration="")
    }
    assert len(names) > 20 and names <= bucket.names()
    assert all(bucket.read(name).lstrip().startswith((b"<svg", b"<?xml")) for name in sorted(names)[:3])


def test_export_then_import_round_trips_pictures_through_the_bucket(
    make_technique, bucket, settings, s3_server, tmp_path
):
    name = give_picture(make_technique(name="Calf squeeze", slug="calf-squeeze"), "orange")
    original = bucket.read(name)
    archive = tmp_path / "content.zip"
    call_command("export_content", str(archive), stdout=io.StringIO())
    assert zipfile.ZipFile(archive).read(f"media/{name}") == original

    # Restore on another deployment: an empty database and an empty bucket.
    delete_content()
    restored = use_bucket(settings, s3_server)
    call_command("import_content", str(archive), stdout=io.StringIO())
    assert Technique.objects.get(slug="calf-squeeze").illustration.name == name
    assert restored.read(name) == original
    assert len(renditions_of(restored, name)) == 4


def test_a_share_card_reads_its_picture_from_the_bucket(client, make_technique, bucket):
    red = (200, 30, 30)
    technique = make_technique(name="Thumb press", slug="thumb-press")
    technique.illustration = SimpleUploadedFile("thumb.png", png(red, (600, 600)), content_type="image/png")
    technique.illustration_alt = "A thumb pressing the calf."
    technique.save()
    with s3_requests() as sent:
        response = client.get("/techniques/thumb-press/card.png")
    assert "GetObject" in sent
    card = Image.open(io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content])))
    assert card.convert("RGB").getpixel((WIDTH - 280, HEIGHT // 2)) == red


def test_pictures_and_renditions_carry_a_year_long_cache_header(make_technique, bucket):
    name = give_picture(make_technique(name="Calf squeeze", slug="calf-squeeze"))
    for key in {name, *renditions_of(bucket, name)}:
        assert bucket.head(key)["CacheControl"] == LONG_CACHE


def test_healthz_checks_the_bucket(client, db, bucket, settings, s3_server):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["storage"] == "ok"
    missing = storage_settings(s3_server, "no-such-bucket")
    settings.STORAGES = {**settings.STORAGES, "default": missing}
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["storage"] == "error"


def test_healthz_leaves_storage_alone_on_a_local_folder(client, db):
    assert "storage" not in client.get("/healthz").json()
