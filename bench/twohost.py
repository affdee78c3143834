"""`make twohost`: two app servers that share PostgreSQL, Redis and an S3 bucket, as two machines would.

Builds its own PostgreSQL database (massage_twohost, dropped and created afresh), uses
Redis database TWOHOST_REDIS_DB (default 13) of REDIS_URL (default redis://127.0.0.1:6379),
flushed first, and starts moto's S3 server (requirements-dev.txt) on a free port with a
bucket. Then it unpacks the committed code twice (.bench/twohost/a and b), each with its
own media and cache folders, seeds from A, and runs gunicorn in each folder. Through A's
admin, as an editor would, it:

1. uploads a picture: B's page must show it from the bucket (original and renditions there);
2. edits the definition: B's very next request must show the new text;
3. replaces the picture: the old object and its renditions must be gone from the bucket,
   and B must show the new one;
4. adds a technique scheduled to go live SCHEDULE_SECONDS from now: until then neither host
   shows it (both have the glossary cached), and once its time has passed both show it on
   their next request, with no save in between;

and last checks that neither folder holds a picture (everything went to the bucket).
Prints a table and exits non-zero when any check failed. TWOHOST_DATABASE names the
PostgreSQL database (default massage_twohost), for two people running it on one server.
"""

import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import traceback
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from server import PY, ROOT, WORK, free_port, fresh_postgres_database, stop, wait_until_up

sys.path.insert(0, str(ROOT))
from checks.admin_form import AdminForm  # noqa: E402

GUNICORN = str(Path(PY).parent / "gunicorn")
FOLDER = WORK / "twohost"
BUCKET = "twohost-pictures"
PASSWORD = "a-long-twohost-password"
# Long enough for the save and the checks before it (a few seconds), short enough to wait for.
SCHEDULE_SECONDS = 20
CREDENTIALS = {"aws_access_key_id": "twohost", "aws_secret_access_key": "twohost", "region_name": "us-east-1"}


class Host:
    """One app server: its folder, its gunicorn, and a browser session signed in to its admin."""

    def __init__(self, name, env):
        self.name, self.folder = name, FOLDER / name
        self.env = {**env, "MEDIA_ROOT": str(self.folder / "media"), "CACHE_DIR": str(self.folder / "cache")}
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.process = None

    def unpack(self):
        self.folder.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(self.folder)], input=archive, check=True)

    def manage(self, *args):
        done = subprocess.run([PY, "manage.py", *args], cwd=self.folder, env=self.env, check=True, capture_output=True)
        return done.stdout.decode()

    def start(self):
        log = open(self.folder / "gunicorn.log", "ab")  # noqa: SIM115 (closed with the process)
        self.process = subprocess.Popen(
            [GUNICORN, "massage_site.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", "2"],
            cwd=self.folder,
            env=self.env,
            stdout=log,
            stderr=log,
        )
        wait_until_up(self.base)

    def get(self, path):
        with self.browser.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def read(self, path):
        """(status, page) as an anonymous reader sees ``path`` (no session cookie)."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, ""

    def sign_in(self):
        page = self.get("/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        data = urlencode({"csrfmiddlewaretoken": token, "username": "admin", "password": PASSWORD, "next": "/admin/"})
        with self.browser.open(self.base + "/admin/login/", data.encode(), timeout=30) as response:
            if "/admin/login/" in response.url:
                raise RuntimeError(f"could not sign in to {self.name}'s admin")

    def save_in_admin(self, path, changes, picture=None):
        """Submit the admin add or change form at ``path`` with ``changes`` and perhaps a new picture."""
        form = AdminForm(re.search(r'<form [^>]*id="(\w+_form)"', self.get(path))[1])
        form.feed(self.get(path))
        data = [(name, value) for name, values in form.data.items() if name not in changes for value in values]
        data += list(changes.items())
        boundary = uuid.uuid4().hex
        body = io.BytesIO()
        for name, value in data:
            body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        if picture:
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="illustration"; filename="hands.png"\r\n'
                "Content-Type: image/png\r\n\r\n".encode()
            )
            body.write(picture + b"\r\n")
        body.write(f"--{boundary}--\r\n".encode())
        request = urllib.request.Request(
            self.base + path,
            body.getvalue(),
            {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        with self.browser.open(request, timeout=60) as response:
            if response.url.rstrip("/").endswith(path.rstrip("/")):  # the form again: it did not save
                errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.read().decode(), re.S)
                raise RuntimeError(f"the admin did not save {path}: {errors}")


def png(colour):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), colour).save(buffer, "PNG")
    return buffer.getvalue()


def start_s3():
    port = free_port()
    process = subprocess.Popen(
        [PY, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/reset", data=b"", timeout=1).read()
            return process, endpoint
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise SystemExit("moto's S3 server did not start") from None
            time.sleep(0.1)


def fetch_status(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Cache-Control", "")
    except urllib.error.HTTPError as error:
        return error.code, ""


def main():
    import boto3
    import redis

    if FOLDER.exists():
        shutil.rmtree(FOLDER)
    redis_url = urlunsplit(
        urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379")._replace(
            path=f"/{os.environ.get('TWOHOST_REDIS_DB', '13')}"
        )
    )
    redis.Redis.from_url(redis_url).flushdb()
    database = fresh_postgres_database(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        os.environ.get("TWOHOST_DATABASE", "massage_twohost"),
    )
    s3, endpoint = start_s3()
    bucket = boto3.client("s3", endpoint_url=endpoint, **CREDENTIALS)
    bucket.create_bucket(Bucket=BUCKET)
    # Readers fetch pictures straight from the bucket, as they would from a public bucket or its CDN.
    public = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}
    bucket.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": [public]}))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DJANGO_"))},
        "DATABASE_URL": database,
        "REDIS_URL": redis_url,
        "DEBUG": "0",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": CREDENTIALS["region_name"],
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
    }
    a, b = Host("a", env), Host("b", env)
    rows = []

    def check(name, ok, detail):
        rows.append((name, "ok" if ok else "FAILED", detail))

    def names(prefix):
        pages = bucket.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    def shown_on_b(slug):
        """The rendition URL B's page shows for technique ``slug``, or ''."""
        found = re.search(rf'<img src="({re.escape(endpoint)}/{BUCKET}/CACHE/images/techniques/[^"]+)"', b.get(slug))
        return found[1] if found else ""

    try:
        for host in (a, b):
            host.unpack()
        a.manage("migrate", "--noinput")
        a.manage("seed_guides")
        a.manage("createsuperuser", "--noinput", "--username", "admin", "--email", "admin@example.org")
        a.start()
        b.start()
        a.sign_in()
        page = "/techniques/kneading/"
        pk = a.manage(
            "shell", "-c", "from techniques.models import Technique as T; print(T.objects.get(slug='kneading').pk)"
        )
        change = f"/admin/techniques/technique/{pk.split()[-1]}/change/"
        b.get(page)  # B has the page cached before A changes anything

        a.save_in_admin(change, {"illustration_alt": "Both hands knead the calf."}, png("teal"))
        first = [key for key in names("techniques/kneading-") if key.endswith(".png")]
        src = shown_on_b(page)
        status, cache_control = fetch_status(src) if src else (0, "")
        stem = first[0].rsplit(".", 1)[0] if first else "?"
        renditions = names(f"CACHE/images/{stem}/")
        check(
            "upload on A shows on B",
            len(first) == 1 and src and status == 200 and len(renditions) == 4,
            f"{first[0] if first else 'no upload in bucket'}; B shows {src.rsplit('/', 2)[-1] or 'nothing'} "
            f"({status}, {cache_control or 'no Cache-Control'}); {len(renditions)} renditions",
        )

        definition = f"Kneading, as edited on host A at {time.strftime('%H:%M:%S')}."
        a.save_in_admin(change, {"definition": definition})
        check("edit on A shows on B's next request", definition in b.get(page), definition)

        a.save_in_admin(change, {}, png("orange"))
        now = [key for key in names("techniques/kneading-") if key.endswith(".png")]
        left = names(f"CACHE/images/{stem}/")
        new_src = shown_on_b(page)
        old_status = fetch_status(src)[0] if src else 0
        check(
            "replaced picture gone from storage",
            first and first[0] not in now and len(now) == 1 and not left and new_src and old_status != 200,
            f"old {stem}: {'still there' if first and first[0] in now else 'gone'}, {len(left)} renditions left, "
            f"its URL answers {old_status}; "
            f"B shows {new_src.rsplit('/', 2)[-1] or 'nothing'}",
        )

        # A technique scheduled through A's admin: on neither host before its time, on both after.
        scheduled = "/techniques/twohost-scheduled/"
        london = ZoneInfo(a.env.get("TIME_ZONE") or "Europe/London")
        goes_live = (datetime.now(london) + timedelta(seconds=SCHEDULE_SECONDS)).replace(microsecond=0)
        for host in (a, b):
            host.read("/techniques/")  # both have the glossary cached
        a.save_in_admin(
            "/admin/techniques/technique/add/",
            {
                "name": "Twohost scheduled",
                "slug": "twohost-scheduled",
                "family": "stroking",
                "definition": "A technique scheduled on host A.",
                "how_to": "Wait for its time.",
                "status": "published",
                "publish_at_0": goes_live.strftime("%Y-%m-%d"),
                "publish_at_1": goes_live.strftime("%H:%M:%S"),
            },
        )
        before = {
            host.name: (host.read(scheduled)[0], "Twohost scheduled" in host.read("/techniques/")[1])
            for host in (a, b)
        }
        early = datetime.now(london) < goes_live
        time.sleep(max(0.0, (goes_live - datetime.now(london)).total_seconds()) + 1)
        after = {
            host.name: (host.read(scheduled)[0], "Twohost scheduled" in host.read("/techniques/")[1])
            for host in (a, b)
        }
        check(
            "scheduled item goes live on both",
            early
            and all(v == (404, False) for v in before.values())
            and all(v == (200, True) for v in after.values()),
            f"due {goes_live:%H:%M:%S}; before: "
            + ", ".join(f"{name} {status}{' listed' if listed else ''}" for name, (status, listed) in before.items())
            + "; after: "
            + ", ".join(f"{name} {status}{' listed' if listed else ''}" for name, (status, listed) in after.items()),
        )

        local = [
            str(p)
            for host in (a, b)
            for p in (host.folder / "media").rglob("*")
            if p.is_file() and p.name != ".gitkeep"
        ]
        check("no picture on either host's disk", not local, ", ".join(local[:3]) or "media folders empty")
    except Exception as error:  # noqa: BLE001 (reported in the table, then exit 1)
        check("run", False, f"{type(error).__name__}: {error}")
        traceback.print_exc()
    finally:
        for host in (a, b):
            if host.process:
                stop(host.process)
        stop(s3)

    width = max(len(name) for name, _, _ in rows)
    print(f"{'check':<{width}}  result  detail")
    for name, result, detail in rows:
        print(f"{name:<{width}}  {result:<6}  {detail}")
    if any(result != "ok" for _, result, _ in rows):
        print(f"logs: {FOLDER}/a/gunicorn.log, {FOLDER}/b/gunicorn.log")
        sys.exit(1)


if __name__ == "__main__":
    main()
