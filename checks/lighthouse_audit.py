"""`make audit`: Lighthouse scores for the home page, a technique and a routine.

Starts a throwaway production-like site (see live_site.py) and runs Lighthouse
(`lighthouse` from npm, mobile form factor, its default) in Debian's Chromium over
each page, LIGHTHOUSE_RUNS times (default 3), and prints the median score of each
category. Scores vary from run to run and with the machine's load: a report, not a test.
Usage: .venv/bin/python checks/lighthouse_audit.py [--base URL] [--runs N] [--json-dir DIR]
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from live_site import CHROMIUM, CHROMIUM_ARGS, NODE_BIN, live_site

PAGES = {"home": "/", "technique": "/techniques/kneading/", "routine": "/routines/legs/"}
CATEGORIES = {
    "performance": "Performance",
    "accessibility": "Accessibility",
    "best-practices": "Best practices",
    "seo": "SEO",
}


def lighthouse(url, out):
    """One Lighthouse run; its JSON report."""
    lighthouse_bin = NODE_BIN / "lighthouse"
    if not lighthouse_bin.exists():
        raise SystemExit(f"{lighthouse_bin} is missing: run `npm ci --ignore-scripts`")
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    subprocess.run(
        [str(lighthouse_bin), url, "--output", "json", "--output-path", str(out), "--quiet"]
        + [f"--chrome-flags={flags}", f"--only-categories={','.join(CATEGORIES)}"],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        check=True,
    )
    return json.loads(out.read_text())


def failing_audits(report):
    """Audits that cost points in a category other than performance (whose metrics are in the score)."""
    failing = []
    for category_id, category in report["categories"].items():
        if category_id == "performance":
            continue
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                failing.append(f"{category['title']}: {audit['title']}")
    return failing


def audit(base, runs, folder):
    rows = []
    for name, path in PAGES.items():
        scores = {category: [] for category in CATEGORIES}
        notes = set()
        for run in range(1, runs + 1):
            print(f"Lighthouse: {path} (run {run} of {runs})…", flush=True)
            report = lighthouse(base + path, folder / f"{name}-{run}.json")
            for category in CATEGORIES:
                scores[category].append(round(report["categories"][category]["score"] * 100))
            notes.update(failing_audits(report))
        rows.append((name, path, {c: statistics.median_low(s) for c, s in scores.items()}, scores, sorted(notes)))

    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    version = subprocess.run([NODE_BIN / "lighthouse", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"\nLighthouse {version}, mobile, {chromium}, {datetime.date.today():%Y-%m-%d}; median of {runs} run(s)\n")
    print("| page | " + " | ".join(CATEGORIES.values()) + " |")
    print("|---|" + "---|" * len(CATEGORIES))
    for name, path, median, _, _ in rows:
        print(f"| {name} `{path}` | " + " | ".join(str(median[c]) for c in CATEGORIES) + " |")
    if runs > 1:
        print("\nEvery run:")
        for name, _, _, scores, _ in rows:
            print(f"  {name}: " + "; ".join(f"{CATEGORIES[c]} {scores[c]}" for c in CATEGORIES))
    for name, _, _, _, notes in rows:
        for note in notes:
            print(f"  {name}: {note}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="audit this running server instead of starting a throwaway one")
    parser.add_argument("--runs", type=int, default=int(os.environ.get("LIGHTHOUSE_RUNS", "3")))
    parser.add_argument("--json-dir", type=Path, help="keep Lighthouse's JSON reports here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="massage-lighthouse-") as tmp:
        folder = args.json_dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if args.base:
            audit(args.base.rstrip("/"), args.runs, folder)
        else:
            with live_site() as base:
                audit(base, args.runs, folder)


if __name__ == "__main__":
    main()
