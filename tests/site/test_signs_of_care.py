"""Signs of care on the public pages: people, review dates, sources, when not to massage."""

import datetime
import json
import re

import pytest

from content.models import Contributor
from massage_site.models import Page
from routines.models import Routine
from routines.models import Source as RoutineSource
from techniques.models import Technique


def json_ld(html):
    items = []
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(block)
        items.extend(data if isinstance(data, list) else [data])
    return {item["@type"]: item for item in items}


@pytest.fixture
def reviewed_neck(seeded):
    """The seeded neck routine, reviewed by a named person, with a second source that gives a situation."""
    neck = Routine.objects.get(slug="neck")
    neck.reviewer = Contributor.objects.create(name="Ann Example", slug="ann-example", role="Physiotherapist")
    neck.last_reviewed = datetime.date(2026, 3, 2)
    neck.next_review_due = datetime.date(2027, 3, 2)
    neck.save()
    RoutineSource.objects.create(
        routine=neck, order=5, title="A second source", year=2024, when_not_to="You have a neck injury\n\n"
    )
    return neck


def test_a_routine_page_says_who_wrote_and_reviewed_it_and_when(client, reviewed_neck):
    html = client.get("/routines/neck/").content.decode()
    assert 'Written by <a href="/about/people/editorial-team/">Editorial team</a>.' in html
    assert 'Reviewed by <a href="/about/people/ann-example/">Ann Example</a> on <time datetime="2026-03-02">' in html
    assert 'Next review due <time datetime="2027-03-02">2 March 2027</time>' in html


def test_a_seeded_guide_says_when_the_editors_checked_it_against_its_source(client, seeded):
    html = client.get("/techniques/kneading/").content.decode()
    assert (
        'Reviewed by <a href="/about/people/editorial-team/">Editorial team</a> on '
        '<time datetime="2026-11-30">30 November 2026</time>.' in html
    )
    assert 'Next review due <time datetime="2027-11-30">30 November 2027</time>' in html
    page = json_ld(html)["WebPage"]
    assert page["lastReviewed"] == "2026-11-30" and page["reviewedBy"]["name"] == "Editorial team"


def test_a_guide_not_yet_reviewed_does_not_claim_a_review(client, seeded):
    Technique.objects.filter(slug="kneading").update(last_reviewed=None)
    html = client.get("/techniques/kneading/").content.decode()
    assert "To be reviewed by" in html and "Reviewed by" not in html
    assert "WebPage" in json_ld(html) and "reviewedBy" not in json_ld(html)["WebPage"]


def test_sources_are_listed_in_order_with_the_seed_guide_first(client, reviewed_neck):
    html = client.get("/routines/neck/").content.decode()
    sources = re.findall(r'<li id="source-(\d)">(.*?)</li>', html, re.S)
    assert [number for number, _ in sources] == ["1", "2"]
    assert "Can Self Massage Help?" in sources[0][1] and "A second source, 2024." in sources[1][1]


def test_when_not_to_massage_shows_only_what_a_listed_source_says(client, reviewed_neck):
    html = client.get("/routines/neck/").content.decode()
    panel = re.search(r'<section class="when-not".*?</section>', html, re.S).group(0)
    assert re.findall(r"<li>(.*?) <a", panel) == ["You have a neck injury"]
    assert 'href="#source-2"' in panel


def test_no_panel_when_no_source_names_a_situation(client, seeded):
    # The seed guide names none, so the seeded pages show none.
    for url in ("/routines/neck/", "/techniques/kneading/"):
        assert 'class="when-not"' not in client.get(url).content.decode()


def test_structured_data_carries_author_reviewer_last_review_and_citations(client, reviewed_neck):
    page = json_ld(client.get("/routines/neck/").content.decode())["WebPage"]
    assert page["author"] == [
        {"@type": "Organization", "name": "Editorial team", "url": "http://testserver/about/people/editorial-team/"}
    ]
    assert page["reviewedBy"]["name"] == "Ann Example" and page["reviewedBy"]["@type"] == "Person"
    assert page["reviewedBy"]["jobTitle"] == "Physiotherapist"
    assert page["lastReviewed"] == "2026-03-02"
    assert [c["name"] for c in page["citation"]][1] == "A second source"


def test_the_about_page_says_who_is_behind_the_site_and_lists_the_people(client, seeded):
    html = client.get("/about/").content.decode()
    assert "based on a self-massage guide from a practitioner's blog" in html
    assert "How to get in touch" in html
    assert '<a href="/about/people/editorial-team/">Editorial team</a>, Editors of this site' in html
    assert client.get("/pages/about/")["Location"] == "/about/"


def test_the_about_page_says_how_to_get_in_touch_without_inventing_an_address(client, seeded):
    html = client.get("/about/").content.decode()
    contact = html.split("How to get in touch</h2>", 1)[1].split("</article>", 1)[0]
    assert "We have not set up a contact address yet" in contact
    assert "<strong>Was this page helpful?</strong>" in contact
    # No made-up address, and the note to editors stays out of the page.
    assert "@" not in contact and "mailto:" not in contact and "Editors: replace" not in html


def test_editors_set_the_contact_address_on_the_about_page(client, seeded):
    about = Page.objects.get(slug="about")
    about.body = about.body.replace(
        "<p>We have not set up a contact address yet; when we do, it will be given here.</p>",
        '<p>Write to <a href="mailto:guides@example.org">guides@example.org</a>.</p>',
    )
    about.save()
    html = client.get("/about/").content.decode()
    assert '<a href="mailto:guides@example.org" rel="noopener noreferrer">guides@example.org</a>' in html
    assert "We have not set up a contact address yet" not in html


def test_a_contributor_page_lists_the_published_guides_they_wrote_or_reviewed(client, reviewed_neck):
    html = client.get("/about/people/ann-example/").content.decode()
    assert "Physiotherapist" in html and 'href="/routines/neck/"' in html and "/routines/legs/" not in html
    team = client.get("/about/people/editorial-team/").content.decode()
    assert 'href="/techniques/kneading/"' in team and 'href="/routines/legs/"' in team
    assert client.get("/about/people/nobody/").status_code == 404


def test_the_sitemap_lists_the_about_page_and_the_people(client, seeded):
    xml = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/about/</loc>" in xml and "http://testserver/about/people/editorial-team/</loc>" in xml


PAGES = ["/about/", "/about/people/editorial-team/", "/routines/neck/", "/techniques/tapping/"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_with_signs_of_care_stay_within_five_queries(
    reviewed_neck, visited_site, client, django_assert_max_num_queries, url
):
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200


def test_the_seed_credits_the_editorial_team_and_the_practitioners_guide(seeded):
    for item in [*Technique.objects.all(), *Routine.objects.all()]:
        assert [p.slug for p in item.authors.all()] == ["editorial-team"]
        assert item.reviewer.slug == "editorial-team"
        assert (item.last_reviewed, item.next_review_due) == (datetime.date(2026, 11, 30), datetime.date(2027, 11, 30))
        assert [s.title for s in item.sources.all()] == ["“Can Self Massage Help?”, a self-massage guide"]
        assert not item.sources.get().url and not item.sources.get().when_not_to
