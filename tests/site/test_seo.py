"""Pages describe themselves to machines: JSON-LD, social cards, canonical links, feed, sitemap."""

import json
import re
import xml.etree.ElementTree as ET

from content.publishing import Status
from routines.models import Routine
from techniques.models import Technique

ATOM = "{http://www.w3.org/2005/Atom}"


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    items = []
    for block in blocks:
        data = json.loads(block)
        items.extend(data if isinstance(data, list) else [data])
    return {item["@type"]: item for item in items}


def test_a_routine_is_a_howto_with_its_steps_time_tool_and_breadcrumbs(client, seeded):
    legs = Routine.objects.with_total_time().get(slug="legs")
    data = json_ld(client.get("/routines/legs/").content.decode())
    howto = data["HowTo"]
    assert howto["url"] == "http://testserver/routines/legs/"
    assert howto["totalTime"] == f"PT{legs.total_seconds // 60}M" + (
        f"{legs.total_seconds % 60}S" if legs.total_seconds % 60 else ""
    )
    steps = howto["step"]
    assert [s["text"] for s in steps] == [s.instruction for s in legs.steps.all()]
    assert steps[0]["@type"] == "HowToStep" and steps[0]["url"].endswith("#step-1")
    assert steps[0]["image"].startswith("http://testserver/media/")
    assert howto["tool"][0]["@type"] == "HowToTool"
    assert howto["image"].startswith("http://testserver/media/routines/")
    trail = [item["name"] for item in data["BreadcrumbList"]["itemListElement"]]
    assert trail == ["Home", "Routines", "Legs"]


def test_a_routine_without_a_tool_names_none(client, seeded):
    assert "tool" not in json_ld(client.get("/routines/neck/").content.decode())["HowTo"]


def test_a_technique_is_a_defined_term_in_the_glossary_set(client, seeded):
    data = json_ld(client.get("/techniques/kneading/").content.decode())
    term = data["DefinedTerm"]
    assert term["name"] == "Kneading"
    assert term["description"] == Technique.objects.get(slug="kneading").definition
    assert "petrissage" in term["alternateName"]
    assert term["inDefinedTermSet"] == {
        "@type": "DefinedTermSet",
        "name": "Self-massage glossary",
        "url": "http://testserver/techniques/",
    }
    assert [i["name"] for i in data["BreadcrumbList"]["itemListElement"]] == ["Home", "Glossary", "Kneading"]


def test_the_home_page_describes_the_site_and_its_search(client, seeded):
    site = json_ld(client.get("/").content.decode())["WebSite"]
    assert site["potentialAction"]["target"]["urlTemplate"] == "http://testserver/search/?q={search_term_string}"


def test_json_ld_cannot_break_out_of_its_script(client, seeded):
    legs = Routine.objects.get(slug="legs")
    legs.summary = "</script><script>alert(1)</script>"
    legs.save()
    html = client.get("/routines/legs/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert json_ld(html)["HowTo"]["description"] == legs.summary


def test_pages_carry_canonical_social_tags_and_the_feed(client, seeded):
    html = client.get("/techniques/cupping/?utm_source=x").content.decode()
    assert '<link rel="canonical" href="http://testserver/techniques/cupping/">' in html
    assert '<meta property="og:title" content="Cupping">' in html
    assert '<meta property="og:image" content="http://testserver/techniques/cupping/card.png">' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html and 'href="/feed/"' in html


def test_the_feed_is_atom_with_published_guides_newest_first(client, seeded, make_technique):
    make_technique(name="Secret draft", status=Status.DRAFT)
    response = client.get("/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert "Routine: Legs" in titles and "Technique: Kneading" in titles
    assert not any("Secret draft" in t for t in titles)
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)


def test_the_sitemap_lists_exactly_the_published_items_and_fixed_pages(client, seeded, make_routine):
    make_routine(slug="hidden-draft", status=Status.DRAFT)
    xml = client.get("/sitemap.xml").content.decode()
    locations = set(re.findall(r"<loc>http://testserver(.*?)</loc>", xml))
    expected = {t.get_absolute_url() for t in Technique.objects.published()}
    expected |= {r.get_absolute_url() for r in Routine.objects.published()}
    expected |= {"/", "/pages/safety/", "/techniques/", "/routines/", "/plan/", "/about/"}
    expected |= {"/about/people/editorial-team/"}
    assert locations == expected
