"""Benefits, positions and equipment are three vocabularies, each picked from its own list."""

import json
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from taggit.models import Tag

from content.publish_checks import dead_addresses
from routines.models import Benefit, Equipment, Position, Routine


def options(client, name):
    """(value, label) of the routines index's filter ``name``, "Any" left out."""
    html = client.get("/routines/").content.decode()
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)[1]
    return [
        (value, label)
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
        if value
    ]


def test_each_filter_offers_only_its_own_kind(client, seeded):
    benefits = {label for _value, label in options(client, "benefit")}
    positions = {label for _value, label in options(client, "position")}
    equipment = {label for _value, label in options(client, "equipment")}
    assert {"relaxation", "circulation", "cramps"} <= benefits
    assert not benefits & {"chair", "floor", "sitting", "lying down", "hands only", "massage tool"}
    assert positions == {"chair", "floor", "sitting", "lying down"}
    assert equipment == {"hands only", "massage tool"}


def test_the_same_name_in_two_vocabularies_is_two_tags(client, seeded, make_routine):
    routine = make_routine(title="Sitting still", slug="sitting-still")
    routine.benefits.add("sitting")  # a benefit that happens to share a position's name
    assert Benefit.objects.filter(name="sitting").count() == Position.objects.filter(name="sitting").count() == 1
    assert ("sitting", "sitting") in options(client, "benefit")
    assert set(routine.positions.names()) == set()
    # Each filter keeps its own meaning under the same address as before.
    listed = client.get("/routines/", {"position": "sitting"}).context["areas"]
    assert "sitting-still" not in {r.slug for _v, _l, group in listed for r in group}
    listed = client.get("/routines/", {"benefit": "sitting"}).context["areas"]
    assert {r.slug for _v, _l, group in listed for r in group} == {"sitting-still"}


def test_a_tag_page_lists_everything_carrying_its_slug_in_any_vocabulary(client, seeded):
    """ "hands only" tags techniques (their own tags) and is equipment routines need: one page for both."""
    assert Tag.objects.filter(slug="hands-only").exists() and Equipment.objects.filter(slug="hands-only").exists()
    response = client.get("/tags/hands-only/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Hands only</h1>" in html
    assert 'href="/routines/neck/"' in html and 'href="/techniques/effleurage/"' in html


def test_a_benefit_and_a_position_pages_keep_their_addresses(client, seeded):
    assert 'href="/routines/stomach/"' in client.get("/tags/cramps/").content.decode()
    assert 'href="/routines/legs/"' in client.get("/tags/floor/").content.decode()
    assert 'href="/tags/circulation/"' in client.get("/routines/legs/").content.decode()


def test_a_link_to_a_routine_tag_page_is_not_a_dead_address(seeded):
    assert dead_addresses("See /tags/floor/ and /tags/cramps/.") == []
    assert dead_addresses("See /tags/no-such-thing/.") == [("/tags/no-such-thing/", "there is no such page")]


# The editors' side: a tag is picked from suggestions, never typed with quotes.


def change_url(routine):
    return reverse("admin:routines_routine_change", args=[routine.pk])


def suggestions(client, field, term, model="routine", app="routines"):
    response = client.get(
        reverse("admin:autocomplete"), {"app_label": app, "model_name": model, "field_name": field, "term": term}
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_an_editor_gets_suggestions_from_the_fields_own_vocabulary(editor_client, seeded):
    assert suggestions(editor_client, "benefits", "c") == ["circulation", "cramps"]
    assert suggestions(editor_client, "positions", "c") == ["chair"]
    assert suggestions(editor_client, "equipment", "tool") == ["massage tool"]
    assert "hands only" in suggestions(editor_client, "tags", "hands", model="technique", app="techniques")


def test_the_tag_fields_are_suggestion_lists_with_an_add_button(editor_client, seeded):
    legs = Routine.objects.get(slug="legs")
    html = editor_client.get(change_url(legs)).content.decode()
    for field in ("benefits", "positions", "equipment"):
        select = re.search(rf'<select name="{field}"[^>]*>', html)[0]
        assert "admin-autocomplete" in select and "multiple" in select
        assert f'id="add_id_{field}"' in html  # the + that adds a new one in a pop-up
    selected = re.findall(r"<option [^>]*selected>([^<]*)</option>", html)
    assert {"circulation", "floor", "hands only", "massage tool"} <= set(selected)
    assert "comma-separated" not in html


def test_a_picked_tag_is_saved_and_shows_on_the_page_and_in_the_filter(client, editor_client, admin_form, seeded):
    legs = Routine.objects.get(slug="legs")
    relaxation = Benefit.objects.get(name="relaxation")
    circulation = Benefit.objects.get(name="circulation")
    form = admin_form(editor_client.get(change_url(legs)), benefits=[str(circulation.pk), str(relaxation.pk)])
    assert editor_client.post(change_url(legs), form).status_code == 302
    assert sorted(legs.benefits.names()) == ["circulation", "relaxation"]
    assert 'href="/tags/relaxation/"' in client.get("/routines/legs/").content.decode()
    listed = client.get("/routines/", {"benefit": "relaxation"}).context["areas"]
    assert "legs" in {r.slug for _v, _l, group in listed for r in group}


def test_a_tag_that_is_not_in_the_list_is_refused_with_a_message(editor_client, admin_form, seeded):
    legs = Routine.objects.get(slug="legs")
    missing = str(Benefit.objects.order_by("-pk").first().pk + 1000)
    response = editor_client.post(
        change_url(legs), admin_form(editor_client.get(change_url(legs)), benefits=[missing])
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert list(legs.benefits.names()) == ["circulation"]


def test_an_editor_adds_a_new_benefit_but_not_a_second_one_differing_in_capitals(editor_client, seeded):
    add = reverse("admin:routines_benefit_add")
    response = editor_client.post(add, {"name": "Better sleep", "slug": "better-sleep"})
    assert response.status_code == 302 and Benefit.objects.filter(slug="better-sleep").exists()
    response = editor_client.post(add, {"name": "better  sleep", "slug": "better-sleep-2"})
    assert response.status_code == 200
    assert "There is already a benefit called “Better sleep”." in response.content.decode()
    assert not Position.objects.filter(name__iexact="better sleep").exists()


def test_renaming_a_benefit_renames_it_on_the_routine_pages(client, editor_client, seeded):
    cramps = Benefit.objects.get(slug="cramps")
    client.get("/routines/stomach/")  # cached
    response = editor_client.post(
        reverse("admin:routines_benefit_change", args=[cramps.pk]), {"name": "period cramps", "slug": "cramps"}
    )
    assert response.status_code == 302
    html = client.get("/routines/stomach/").content.decode()
    assert "period cramps" in html
    assert 'href="/routines/stomach/"' in client.get("/search/", {"q": "period"}).content.decode()


def test_renaming_a_techniques_tag_makes_the_technique_findable_by_the_new_name(client, editor_client, seeded):
    quick = Tag.objects.get(slug="quick")
    assert 'href="/techniques/pummelling/"' not in client.get("/search/", {"q": "zippy"}).content.decode()
    quick.name = "zippy"
    quick.save()
    assert 'href="/techniques/pummelling/"' in client.get("/search/", {"q": "zippy"}).content.decode()


# Moving the tags of an existing site into the three vocabularies.

BEFORE = [("routines", "0013_search_terms_and_keywords")]
AFTER = [("routines", "0016_vocabulary_links_required")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_each_kind_into_its_vocabulary_and_back():
    executor = MigrationExecutor(connection)
    before = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "routines"] + BEFORE
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    tag = {
        name: old.get_model("taggit", "Tag").objects.create(name=name, slug=slug)
        for name, slug in [
            ("Pain relief", "pain-relief"),
            ("chair", "chair"),
            ("hands only", "hands-only"),
            ("gone", "gone"),
        ]
    }
    routine = old.get_model("routines", "Routine").objects.create(
        title="Old back", slug="old-back", body_area="back", position="Sitting", summary="S.", intro="I."
    )
    technique = old.get_model("techniques", "Technique").objects.create(
        name="Old stroke", slug="old-stroke", family="stroking", definition="D.", how_to="H."
    )
    ContentType = old.get_model("contenttypes", "ContentType")
    technique_type, _ = ContentType.objects.get_or_create(app_label="techniques", model="technique")
    old.get_model("taggit", "TaggedItem").objects.create(
        tag=tag["hands only"], content_type=technique_type, object_id=technique.pk
    )
    for model, name in (
        ("TaggedBenefit", "Pain relief"),
        ("TaggedPosition", "chair"),
        ("TaggedEquipment", "hands only"),
    ):
        old.get_model("routines", model).objects.create(tag=tag[name], content_object=routine)
    # History: an older version of the routine had the benefit; another had a tag deleted since.
    link_type, _ = ContentType.objects.get_or_create(app_label="routines", model="taggedbenefit")
    revision = old.get_model("reversion", "Revision").objects.create(date_created="2026-01-01T00:00:00Z", comment="")
    Version = old.get_model("reversion", "Version")

    def stored(pk, tag_pk):
        row = {"model": "routines.taggedbenefit", "pk": pk, "fields": {"tag": tag_pk, "content_object": routine.pk}}
        return Version.objects.create(
            revision=revision,
            object_id=str(pk),
            content_type=link_type,
            db="default",
            format="json",
            serialized_data=json.dumps([row]),
            object_repr="x",
        )

    kept, stale = stored(501, tag["Pain relief"].pk), stored(502, 99999)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    routine = Routine.objects.get(slug="old-back")
    assert [(t.name, t.slug) for t in routine.benefits.all()] == [("Pain relief", "pain-relief")]
    assert [(t.name, t.slug) for t in routine.positions.all()] == [("chair", "chair")]
    assert [(t.name, t.slug) for t in routine.equipment.all()] == [("hands only", "hands-only")]
    # The techniques' pool keeps what techniques use and loses what only routines used.
    assert set(Tag.objects.values_list("name", flat=True)) == {"hands only", "gone"}
    from reversion.models import Version as LiveVersion

    moved = json.loads(LiveVersion.objects.get(pk=kept.pk).serialized_data)[0]["fields"]["tag"]
    assert moved == Benefit.objects.get(slug="pain-relief").pk
    assert not LiveVersion.objects.filter(pk=stale.pk).exists()

    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    links = old.get_model("routines", "TaggedBenefit").objects.all()
    assert [(link.tag.name, link.tag.slug) for link in links] == [("Pain relief", "pain-relief")]
    assert old.get_model("routines", "TaggedPosition").objects.get().tag.name == "chair"
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
