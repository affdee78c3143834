"""Every public page's bytes, saved or compared: proof that a change kept the pages as they were.

    python checks/page_snapshot.py save DIR      # fetch every public page, write DIR/pages.json
    python checks/page_snapshot.py compare DIR   # fetch again, list the pages whose bytes differ

Pages are fetched through Django's test client, as an anonymous reader, from the database
and media the environment names (DATABASE_URL, MEDIA_ROOT), so a copy of a real database
can be checked before and after a migration. The addresses come from the sitemap, plus the
pages a sitemap does not list (letters, tags, search, plan, feed, cards, a 404).
"""

import hashlib
import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "massage_site.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

EXTRA = [
    "/",
    "/robots.txt",
    "/sitemap.xml",
    "/feed/",
    "/card.png",
    "/techniques/?letter=k",
    "/routines/?area=back",
    "/routines/?equipment=massage-tool",
    "/search/?q=kneading",
    "/search/?q=kneeding",
    "/search/?q=neck+ache",
    "/search/?q=zzzz",
    "/plan/",
    "/plan/?r=neck&r=feet",
    "/no-such-page/",
]


def addresses(client):
    found = list(EXTRA)
    sitemap = client.get("/sitemap.xml").content.decode()
    for url in re.findall(r"<loc>https?://[^/]+(/[^<]*)</loc>", sitemap):
        found.append(url)
        if url.startswith(("/techniques/", "/routines/")) and url.count("/") == 3:
            found.append(url + "card.png")
    for page in (client.get(u).content.decode() for u in ("/techniques/", "/routines/")):
        found += re.findall(r'href="(/tags/[^"/]+/)"', page)
        found += re.findall(r'href="(/techniques/\?letter=[^"]+)"', page)
    return sorted(set(found))


def snapshot():
    cache.clear()
    client = Client(HTTP_HOST="127.0.0.1")
    pages = {}
    for url in addresses(client):
        response = client.get(url)
        pages[url] = {"status": response.status_code, "sha256": hashlib.sha256(response.content).hexdigest()}
        pages[url]["body"] = response.content.decode("utf-8", "replace") if b"\0" not in response.content else ""
    return pages


def main(action, folder):
    folder = Path(folder)
    pages = snapshot()
    if action == "save":
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "pages.json").write_text(json.dumps(pages, indent=1))
        print(f"Saved {len(pages)} pages to {folder / 'pages.json'}")
        return 0
    before = json.loads((folder / "pages.json").read_text())
    differ = 0
    for url in sorted(set(before) | set(pages)):
        old, new = before.get(url), pages.get(url)
        if old is None or new is None:
            print(f"{'only before' if new is None else 'only after'}: {url}")
            differ += 1
        elif (old["status"], old["sha256"]) != (new["status"], new["sha256"]):
            print(f"differs: {url} ({old['status']} -> {new['status']})")
            (folder / "after").mkdir(exist_ok=True)
            name = re.sub(r"[^a-z0-9]+", "_", url.lower()).strip("_") or "home"
            (folder / "after" / f"{name}.before").write_text(old["body"])
            (folder / "after" / f"{name}.after").write_text(new["body"])
            differ += 1
    print(f"{len(pages)} pages, {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("save", "compare"):
        raise SystemExit(__doc__)
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
