"""Time and peak memory of checking and re-encoding one uploaded picture, per size and format.

`make bench-uploads` writes a few PNG, JPEG and WebP files to a temporary folder, then for
each one starts a fresh Python process that does what the admin does with an upload
(content.images.validate_upload, then reencode) and reports: accepted or refused, seconds
taken, and the process's peak resident memory, in all and above what it held before the
upload was touched (VmHWM in /proc/self/status: Pillow's pixel buffers are C memory, which
tracemalloc does not see). Prints a Markdown table; figures vary from machine to machine.
"""

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (file name, format, width, height): ordinary pictures, pictures at the pixel limit, and
# small files that decode to enormous pictures (a 6300 x 6300 PNG is about 150 KB).
CASES = [
    ("drawing-1600x1200.png", "PNG", 1600, 1200),
    ("phone-4032x3024.jpg", "JPEG", 4032, 3024),
    ("square-4000x4000.jpg", "JPEG", 4000, 4000),
    ("wide-4800x3200.jpg", "JPEG", 4800, 3200),  # twice the stored size: decoded at half scale
    ("square-4000x4000.png", "PNG", 4000, 4000),
    ("square-4000x4000.webp", "WEBP", 4000, 4000),
    ("camera-6000x4000.jpg", "JPEG", 6000, 4000),
    ("flat-6300x6300.png", "PNG", 6300, 6300),
    ("flat-12000x12000.png", "PNG", 12000, 12000),
]


def make_picture(path, kind, width, height):
    """A picture that compresses like a drawing: smooth gradients, or one flat colour for the big PNGs."""
    from PIL import Image

    if path.name.startswith("flat-"):
        image = Image.new("RGB", (width, height), "teal")
    else:
        red = Image.linear_gradient("L").resize((width, height))
        green = Image.radial_gradient("L").resize((width, height))
        blue = red.transpose(Image.Transpose.ROTATE_90).resize((width, height))
        image = Image.merge("RGB", (red, green, blue))
    options = {"PNG": {"optimize": True}, "JPEG": {"quality": 90}, "WEBP": {"quality": 85}}[kind]
    image.save(path, kind, **options)


def peak_rss_mb():
    """This process's peak resident memory. Linux's VmHWM starts afresh at exec; getrusage's
    ru_maxrss would include the parent's, which made the pictures."""
    try:
        status = Path("/proc/self/status").read_text()
        return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.M).group(1)) / 1024
    except (OSError, AttributeError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_one(path):
    """In this (fresh) process: check and re-encode one file as the admin form does."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "massage_site.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from content.images import reencode, validate_upload

    upload = SimpleUploadedFile(path.name, path.read_bytes())
    before = peak_rss_mb()
    started = time.perf_counter()
    try:
        validate_upload(upload)
        copy = reencode(upload)
        outcome = f"accepted ({len(copy.read()) // 1024} KB stored)"
    except ValidationError as error:
        outcome = "refused: " + " ".join(error.messages)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {"seconds": seconds, "peak_mb": peak_rss_mb(), "extra_mb": peak_rss_mb() - before, "outcome": outcome}
        )
    )


def main():
    with tempfile.TemporaryDirectory() as folder:
        print("| picture | file size | time | peak RSS | above baseline | outcome |")
        print("|---|---:|---:|---:|---:|---|")
        for name, kind, width, height in CASES:
            path = Path(folder) / name
            make_picture(path, kind, width, height)
            result = subprocess.run(
                [sys.executable, __file__, "--one", str(path)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            figures = json.loads(result.stdout.strip().splitlines()[-1])
            size = path.stat().st_size
            print(
                f"| {name} ({width * height / 1e6:.1f} MP) | {size / 1024:,.0f} KB | {figures['seconds']:.2f} s "
                f"| {figures['peak_mb']:.0f} MB | {figures['extra_mb']:.0f} MB | {figures['outcome']} |"
            )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        measure_one(Path(sys.argv[2]))
    else:
        main()
