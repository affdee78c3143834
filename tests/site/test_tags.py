"""Each tag has its own page listing what carries it; technique pages group their family."""

from content.publishing import Status


def test_a_tag_page_lists_routines_and_techniques_with_that_tag(client, seeded):
    html = client.get("/tags/massage-tool/").content.decode()
    assert 'href="/routines/legs/"' in html and 'href="/routines/feet/"' in html
    assert 'href="/techniques/kneading/"' in html
    assert 'href="/routines/neck/"' not in html


def test_routine_and_technique_pages_link_their_tags(client, seeded):
    assert 'href="/tags/cramps/"' in client.get("/routines/stomach/").content.decode()
    assert 'href="/tags/massage-tool/"' in client.get("/techniques/kneading/").content.decode()


def test_unknown_tags_and_tags_only_on_drafts_are_not_found(client, seeded, make_routine):
    assert client.get("/tags/no-such-tag/").status_code == 404
    draft = make_routine(status=Status.DRAFT)
    draft.benefits.add("secret benefit")
    assert client.get("/tags/secret-benefit/").status_code == 404


def test_technique_page_groups_the_other_terms_of_its_family(client, seeded, make_technique):
    make_technique(name="Hacking", family="percussion", status=Status.DRAFT)
    html = client.get("/techniques/cupping/").content.decode()
    family = html[html.index('id="family-heading"') :]
    assert "Pummelling" in family and "Tapping" in family
    assert "Hacking" not in family and ">Cupping</a>" not in family


def test_tag_page_stays_within_five_queries(visited_site, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        client.get("/tags/relaxation/")
