"""The glossary: A–Z list and technique pages, drafts hidden from the public."""

import pytest
from django.utils import timezone

from content.publishing import Status


def test_glossary_lists_every_term_a_to_z_with_its_definition(client, seeded):
    response = client.get("/techniques/")
    html = response.content.decode()
    names = [t.name for t in response.context["object_list"]]
    assert names == sorted(names) and len(names) == 10
    assert "Effleurage" in html and 'href="/techniques/effleurage/"' in html
    assert response.context["object_list"][0].definition in html
    assert "petrissage" in html  # aliases are listed beside the term


def test_glossary_letter_navigation_disables_letters_without_terms(client, seeded):
    html = client.get("/techniques/").content.decode()
    assert '<a href="#letter-K">K</a>' in html
    assert '<span aria-disabled="true">Z</span>' in html


def test_technique_page_shows_how_to_aliases_related_terms_and_routines(client, seeded):
    response = client.get("/techniques/kneading/")
    html = response.content.decode()
    technique = response.context["technique"]
    assert "<h1>Kneading</h1>" in html
    assert "petrissage" in html
    assert technique.how_to.split("\n\n")[0].strip()[:40] in html
    for routine in ("legs", "arms"):
        assert f'href="/routines/{routine}/"' in html
    for related in technique.related.all():
        assert f'href="{related.get_absolute_url()}"' in html


def test_technique_page_shows_its_illustration_with_alt_text(client, seeded):
    response = client.get("/techniques/cupping/")
    technique = response.context["technique"]
    assert f'src="{technique.illustration.url}"' in response.content.decode()
    assert f'alt="{technique.illustration_alt}"' in response.content.decode()


@pytest.mark.parametrize(
    "fields",
    [{"status": Status.DRAFT}, {"publish_at": timezone.now() + timezone.timedelta(hours=1)}],
    ids=["draft", "scheduled"],
)
def test_unpublished_technique_is_hidden_from_the_public(client, make_technique, make_routine, fields):
    hidden = make_technique(name="Secret stroke", slug="secret-stroke", **fields)
    shown = make_technique(name="Open stroke", slug="open-stroke")
    shown.related.add(hidden)
    make_routine(slug="uses-secret", steps=[(hidden, 60, False)])

    assert client.get("/techniques/secret-stroke/").status_code == 404
    assert "Secret stroke" not in client.get("/techniques/").content.decode()
    assert "Secret stroke" not in client.get("/techniques/open-stroke/").content.decode()
    assert 'href="/techniques/secret-stroke/"' not in client.get("/routines/uses-secret/").content.decode()


def test_scheduled_technique_appears_when_its_time_comes(client, make_technique):
    technique = make_technique(slug="soon", publish_at=timezone.now() + timezone.timedelta(seconds=30))
    assert client.get("/techniques/soon/").status_code == 404
    technique.publish_at = timezone.now() - timezone.timedelta(seconds=1)
    technique.save()
    assert client.get("/techniques/soon/").status_code == 200


def test_used_in_lists_only_published_routines(client, make_technique, make_routine):
    technique = make_technique(slug="shared")
    make_routine(title="Public routine", steps=[(technique, 60, False)])
    make_routine(title="Draft routine", status=Status.DRAFT, steps=[(technique, 60, False)])
    html = client.get("/techniques/shared/").content.decode()
    assert "Public routine" in html and "Draft routine" not in html


def test_a_large_glossary_is_served_one_letter_at_a_time(client, make_technique, settings, monkeypatch):
    from techniques.views import TechniqueListView

    monkeypatch.setattr(TechniqueListView, "LETTER_PAGES_FROM", 5)
    for name in ("Apple press", "Arch glide", "Back rub", "Calf roll", "Cupped pat", "Zigzag"):
        make_technique(name=name)
    response = client.get("/techniques/")
    names = [t.name for t in response.context["object_list"]]
    assert names == ["Apple press", "Arch glide"]
    html = response.content.decode()
    assert '<a href="?letter=C">C</a>' in html and 'aria-current="page">A</a>' in html
    assert [t.name for t in client.get("/techniques/", {"letter": "c"}).context["object_list"]] == [
        "Calf roll",
        "Cupped pat",
    ]
    # A letter with no terms, or nonsense, shows the first letter rather than an error.
    assert client.get("/techniques/", {"letter": "Q"}).context["letter"] == "A"
    assert client.get("/techniques/", {"letter": "%%"}).status_code == 200


def test_a_name_with_an_accent_is_listed_and_paged_under_its_plain_letter(client, make_technique, monkeypatch):
    monkeypatch.setattr("techniques.views.TechniqueListView.LETTER_PAGES_FROM", 2)
    make_technique(name="Étirement", slug="etirement")
    make_technique(name="Effleurage", slug="effleurage")
    make_technique(name="Kneading", slug="kneading")
    response = client.get("/techniques/", {"letter": "E"})
    html = response.content.decode()
    assert [t.name for t in response.context["object_list"]] == ["Effleurage", "Étirement"]
    assert '<h2 id="letter-E">E</h2>' in html and "letter-É" not in html
    assert client.get("/techniques/", {"letter": "#"}).context["letter"] == "E"  # nothing under "#"


def test_the_first_letter_page_is_the_first_letter_with_terms_not_the_symbols(client, make_technique, monkeypatch):
    monkeypatch.setattr("techniques.views.TechniqueListView.LETTER_PAGES_FROM", 2)
    for name in ("3-finger press", "Kneading", "Tapping"):
        make_technique(name=name)
    response = client.get("/techniques/")
    assert response.context["letter"] == "K"
    assert '<a href="?letter=%23">#</a>' in response.content.decode()
    assert [t.name for t in client.get("/techniques/", {"letter": "#"}).context["object_list"]] == ["3-finger press"]
