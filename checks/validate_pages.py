"""`make validate`: every public page is valid HTML5 and passes axe-core, on a live server.

Starts a throwaway production-like site (see live_site.py), fetches each page (home,
glossary, every technique and routine from the sitemap, routines index and a filtered
list, search results, plan, site pages, tag pages, a 404), then

- runs the Nu Html Checker (`vnu-jar` from npm, on the machine's java) over the saved
  HTML and counts its errors;
- runs axe-core (axe-playwright-python) in Debian's Chromium with the WCAG 2.0, 2.1
  and 2.2 A and AA rules, in the light and the dark theme on a desktop screen, and on
  a phone, and counts its violations, and any script error the page logs (the scripts
  as served: minified and hashed by collectstatic).

Lists every error and violation, then a table per page; exits 1 if any page fails.
Usage: .venv/bin/python checks/validate_pages.py [--base URL] [--html-dir DIR]
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from live_site import CHROMIUM, CHROMIUM_ARGS, ROOT, live_site

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# WCAG 2.0, 2.1 and 2.2, levels A and AA (axe's own names for them).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# How axe sees each page: (name, viewport, colour scheme, phone).
VIEWS = [
    ("light", {"width": 1280, "height": 900}, "light", False),
    ("dark", {"width": 1280, "height": 900}, "dark", False),
    ("phone", {"width": 360, "height": 780}, "light", True),
]
# Pages that are not in the sitemap (or not only there), with the status each must answer.
EXTRA_PAGES = [
    ("/", 200),
    ("/techniques/", 200),
    ("/routines/", 200),
    ("/routines/?benefit=circulation", 200),
    ("/search/?q=kneading", 200),
    ("/search/?q=zzzz", 200),
    ("/plan/", 200),
    ("/plan/?r=neck&r=legs", 200),
    ("/pages/safety/", 200),
    ("/about/", 200),
    ("/about/people/editorial-team/", 200),
    ("/offline/", 200),
    ("/no-such-page/", 404),
]
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@dataclass
class Page:
    path: str
    expected_status: int
    status: int = 0
    file: Path | None = None
    vnu: list = field(default_factory=list)
    axe: list = field(default_factory=list)
    script_errors: list = field(default_factory=list)

    @property
    def passed(self):
        return self.status == self.expected_status and not self.vnu and not self.axe and not self.script_errors


def fetch(url):
    """Status and body of a GET, error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def page_list(base):
    """The pages to check: the fixed list, then every address in the sitemap, in order, once each."""
    status, body = fetch(base + "/sitemap.xml")
    if status != 200:
        raise SystemExit(f"/sitemap.xml answered {status}")
    paths = dict(EXTRA_PAGES)
    for loc in ET.fromstring(body).iterfind("sm:url/sm:loc", SITEMAP_NS):
        paths.setdefault(urlsplit(loc.text.strip()).path, 200)
    return [Page(path, expected) for path, expected in paths.items()]


def file_name(path):
    """A readable file name for a page address: "/techniques/kneading/" -> "techniques-kneading.html"."""
    name = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")
    return f"{name or 'home'}.html"


def save_pages(base, pages, folder):
    """Fetch and save every page; tag pages they link to join the list."""
    known = {page.path for page in pages}
    for page in pages:  # the list grows while we walk it
        page.status, body = fetch(base + page.path)
        page.file = folder / file_name(page.path)
        page.file.write_bytes(body)
        for tag_path in re.findall(rb'href="(/tags/[\w-]+/)"', body):
            tag_path = tag_path.decode()
            if tag_path not in known:
                known.add(tag_path)
                pages.append(Page(tag_path, 200))


def run_vnu(pages):
    """The Nu Html Checker's errors, added to each page as (line, message)."""
    if not VNU_JAR.exists():
        raise SystemExit(f"{VNU_JAR} is missing: run `npm ci --ignore-scripts`")
    by_name = {page.file.name: page for page in pages}
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *(str(p.file) for p in pages)],
        capture_output=True,
        text=True,
    )
    try:
        messages = json.loads(result.stderr)["messages"]
    except (ValueError, KeyError):
        raise SystemExit(f"vnu failed (exit {result.returncode}):\n{result.stdout}{result.stderr}") from None
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        page = by_name.get(Path(urlsplit(message.get("url", "")).path).name)
        if page is None:
            raise SystemExit(f"vnu reported on an unknown file: {message}")
        page.vnu.append((message.get("lastLine", "?"), message["message"], message.get("extract", "")))


def run_axe(base, pages):
    """axe-core's WCAG A/AA violations, added to each page as (view, rule, impact, help, targets)."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium is missing at {CHROMIUM}: apt-get install chromium")
    axe = Axe()
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        current = {}  # the page and view being checked, for the error listeners
        for view, viewport, scheme, phone in VIEWS:
            # CSP is bypassed so that axe's script can be injected into the page.
            context = browser.new_context(
                viewport=viewport, color_scheme=scheme, is_mobile=phone, has_touch=phone, bypass_csp=True
            )
            tab = context.new_page()
            tab.set_default_timeout(20_000)
            # The scripts as served (minified by collectstatic) must run without an error.
            tab.on("pageerror", lambda error: current["page"].script_errors.append((current["view"], str(error))))
            tab.on("console", lambda message: console_error(current["page"], current["view"], message))
            for page in pages:
                current.update(page=page, view=view)
                tab.goto(base + page.path, wait_until="load")
                results = axe.run(tab, options=options).response
                for violation in results["violations"]:
                    targets = [", ".join(map(str, node["target"])) for node in violation["nodes"]]
                    page.axe.append((view, violation["id"], violation["impact"], violation["help"], targets))
            context.close()
        browser.close()


def console_error(page, view, message):
    """Record an error the browser logged, except the page's own expected error status."""
    own_status = f"status of {page.expected_status}"
    if message.type == "error" and not (page.expected_status != 200 and own_status in message.text):
        page.script_errors.append((view, message.text))


def report(pages):
    """Every problem, then the table; the last line counts the pages that passed and failed."""
    for page in pages:
        if page.status != page.expected_status:
            print(f"{page.path}: answered {page.status}, expected {page.expected_status}")
        for line, message, extract in page.vnu:
            print(f"vnu  {page.file.name}:{line}: {message}")
            if extract:
                print(f"       {extract.strip()[:160]!r}")
        for view, rule, impact, help_text, targets in page.axe:
            print(f"axe  {page.path} ({view}): {rule} ({impact}): {help_text}")
            for target in targets:
                print(f"       {target}")
        for view, message in page.script_errors:
            print(f"js   {page.path} ({view}): {message}")
    width = max(len(page.path) for page in pages)
    print(f"\n| {'page'.ljust(width)} | status | vnu errors | axe violations | script errors | result |")
    print(f"|{'-' * (width + 2)}|--------|------------|----------------|---------------|--------|")
    for page in pages:
        result = "pass" if page.passed else "FAIL"
        counts = f"{page.status:>6} | {len(page.vnu):>10} | {len(page.axe):>14} | {len(page.script_errors):>13}"
        print(f"| {page.path.ljust(width)} | {counts} | {result:<6} |")
    failed = sum(not page.passed for page in pages)
    print(f"\n{len(pages) - failed} passed, {failed} failed")
    return failed


def check(base, folder):
    pages = page_list(base)
    save_pages(base, pages, folder)
    print(f"Checking {len(pages)} pages with the Nu Html Checker…", flush=True)
    run_vnu(pages)
    print(f"Checking {len(pages)} pages with axe-core ({', '.join(view[0] for view in VIEWS)})…", flush=True)
    run_axe(base, pages)
    return report(pages)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="check this running server instead of starting a throwaway one")
    parser.add_argument("--html-dir", type=Path, help="keep the fetched HTML here (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="massage-pages-") as tmp:
        folder = args.html_dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if args.base:
            failed = check(args.base.rstrip("/"), folder)
        else:
            with live_site() as base:
                failed = check(base, folder)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
