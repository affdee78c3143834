"""Each technique can show its motion as a looping animation beside its still picture: an SVG shipped
with the site, a pause control that needs no script, and nothing in the page that the CSP would block."""

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from massage_site.models import SeedRecord
from massage_site.seeding import SEED_DIR, TechniqueKind, fingerprint, load
from techniques.models import Motion, Technique

MOTION_DIR = Path(settings.BASE_DIR) / "static" / "img" / "motion"
ANIMATIONS = sorted(MOTION_DIR.glob("*.svg"))


class _Tags(HTMLParser):
    """Every start tag as (tag, attributes), and the text of each <label>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.labels, self._label = [], {}, None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "label":
            self._label = dict(attrs).get("for")
            self.labels[self._label] = ""

    def handle_data(self, data):
        if self._label is not None:
            self.labels[self._label] += data

    def handle_endtag(self, tag):
        if tag == "label":
            self._label = None


def parse(response):
    tags = _Tags()
    tags.feed(response.content.decode())
    return tags


def images(tags):
    return {attrs["src"]: attrs for tag, attrs in tags.tags if tag == "img"}


def test_technique_with_a_motion_shows_the_animation_the_still_and_a_labelled_pause_control(client, seeded):
    technique = Technique.objects.get(slug="kneading")
    response = client.get(technique.get_absolute_url())
    tags = parse(response)
    shown = images(tags)

    animated = shown["/static/img/motion/kneading.svg"]
    assert animated["alt"] == technique.get_motion_display() and animated["alt"].startswith("Kneading: ")
    assert shown[technique.illustration.url]["alt"] == technique.illustration_alt
    checkbox = next(attrs for tag, attrs in tags.tags if tag == "input" and attrs.get("type") == "checkbox")
    assert tags.labels[checkbox["id"]].strip() == "Pause the animation"
    assert ("link", {"rel": "stylesheet", "href": "/static/css/motion.css"}) in tags.tags


def test_technique_page_with_a_motion_needs_no_inline_style_or_script(client, seeded):
    html = client.get("/techniques/tapping/").content.decode()
    assert "<style" not in html and " style=" not in html
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert all(" src=" in tag or 'type="application/ld+json"' in tag for tag in scripts), scripts


def test_technique_without_a_motion_shows_only_its_picture(client, seeded):
    Technique.objects.filter(slug="cupping").update(motion="")
    response = client.get("/techniques/cupping/")
    html = response.content.decode()
    assert f'src="{response.context["technique"].illustration.url}"' in html
    assert "/static/img/motion/" not in html and "motion.css" not in html and "Pause the animation" not in html


def test_every_seeded_technique_has_an_animation_of_its_motion(seeded):
    techniques = Technique.objects.all()
    assert techniques.count() == 10
    for technique in techniques:
        assert technique.motion, technique.slug
        assert (MOTION_DIR / f"{technique.motion}.svg").is_file()


def test_editors_choose_among_exactly_the_animations_the_site_ships():
    assert sorted(Motion.values) == [path.stem for path in ANIMATIONS]


def test_editors_choose_the_motion_beside_the_picture_in_the_admin(staff_client, seeded):
    technique = Technique.objects.get(slug="effleurage")
    html = staff_client.get(f"/admin/techniques/technique/{technique.pk}/change/").content.decode()
    assert 'name="motion"' in html
    assert html.index('name="illustration_alt"') < html.index('name="motion"')
    assert '<option value="effleurage" selected>' in html


def test_a_technique_seeded_before_motions_existed_still_follows_the_seed(seeded):
    """A seed record made before ``motion`` was fingerprinted: the technique is untouched, not edited,
    so the next seed run gives it its animation."""
    technique = Technique.objects.get(slug="knuckling")
    Technique.objects.filter(pk=technique.pk).update(motion="")  # as the migration leaves it
    technique.refresh_from_db()
    snapshot = TechniqueKind(SEED_DIR).snapshot(technique)
    older = {key: value for key, value in snapshot.items() if key not in TechniqueKind.added_keys}
    SeedRecord.objects.filter(kind="technique", key="knuckling").update(
        state_digest=fingerprint(older), seed_digest="old"
    )

    report = load()

    assert "technique knuckling" in report.updated and "technique knuckling" not in report.kept
    assert Technique.objects.get(slug="knuckling").motion == "knuckling"


def test_an_editor_who_cleared_the_motion_keeps_it_cleared(seeded):
    Technique.objects.filter(slug="tapping").update(motion="")
    SeedRecord.objects.filter(kind="technique", key="tapping").update(seed_digest="old")
    report = load()
    assert "technique tapping" in report.kept
    assert Technique.objects.get(slug="tapping").motion == ""


SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("path", ANIMATIONS, ids=[path.stem for path in ANIMATIONS])
def test_animation_is_small_safe_and_still_for_readers_who_ask_for_less_motion(path):
    raw = path.read_bytes()
    assert len(raw) <= 10 * 1024
    root = ET.fromstring(raw)  # well-formed XML
    assert root.tag == f"{SVG}svg" and root.get("viewBox") == "0 0 480 360"
    assert root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text
    for element in root.iter():
        assert element.tag not in (f"{SVG}script", f"{SVG}foreignObject", f"{SVG}image", f"{SVG}use"), element.tag
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), name
            if name.endswith("href"):
                assert value.startswith("#"), value
            assert not re.findall(r"url\((?!#)", value), value
    style = "".join(element.text or "" for element in root.iter(f"{SVG}style"))
    assert "@keyframes" in style and "@import" not in style and not re.findall(r"url\((?!#)", style)
    assert re.search(r"@media \(prefers-reduced-motion: ?reduce\)\{\*\{animation:none!important\}\}", style)
    assert "@media (prefers-color-scheme: dark)" in style
