"""Signs of care in the models and the admin: authors, reviewer, review dates and sources."""

import datetime

import pytest
from django.utils import timezone

from content.models import Contributor
from content.reviews import attach_signs_of_care
from routines.models import Routine
from techniques.models import Source, Technique


@pytest.fixture
def person(db):
    return Contributor.objects.create(name="Ann Example", slug="ann-example", role="Massage therapist")


def test_a_new_technique_is_due_for_review_a_year_ahead(make_technique):
    technique = make_technique()
    assert technique.next_review_due == timezone.localdate() + datetime.timedelta(days=365)
    assert technique.last_reviewed is None


def test_items_due_within_thirty_days_or_overdue_are_due_for_review(make_technique):
    today = timezone.localdate()
    overdue = make_technique(next_review_due=today - datetime.timedelta(days=1))
    soon = make_technique(next_review_due=today + datetime.timedelta(days=30))
    later = make_technique(next_review_due=today + datetime.timedelta(days=31))
    assert set(Technique.objects.due_for_review()) == {overdue, soon}
    assert list(Technique.objects.overdue()) == [overdue]
    assert later not in Technique.objects.due_for_review()


def test_signs_of_care_come_in_order_in_one_query(make_technique, person, django_assert_num_queries):
    technique = make_technique()
    second = Contributor.objects.create(name="Bo Example", slug="bo", role="Physiotherapist")
    technique.authors.set([person, second])
    Source.objects.create(technique=technique, order=2, title="Second", when_not_to="Over a fresh injury")
    Source.objects.create(technique=technique, order=1, title="First", publisher="A publisher", year=2020)
    with django_assert_num_queries(1):
        attach_signs_of_care(technique)
    assert [p.name for p in technique.author_list] == ["Ann Example", "Bo Example"]
    assert [s.title for s in technique.source_list] == ["First", "Second"]
    assert technique.source_list[0].year == 2020 and technique.source_list[1].year is None
    assert technique.when_not_to == [("Over a fresh injury", 2)]


@pytest.mark.parametrize("model", ["technique", "routine"])
def test_the_admin_lists_items_due_for_review(staff_client, make_technique, make_routine, model):
    today = timezone.localdate()
    make = make_technique if model == "technique" else make_routine
    due = make(next_review_due=today + datetime.timedelta(days=10))
    later = make(next_review_due=today + datetime.timedelta(days=200))
    url = f"/admin/{model}s/{model}/"
    page = staff_client.get(url).content.decode()
    assert "Due within 30 days or overdue" in page
    listed = staff_client.get(url, {"review": "due"}).context["cl"].result_list
    assert due in listed and later not in listed


def test_the_admin_edits_authors_reviewer_dates_and_sources(staff_client, seeded):
    page = staff_client.get(f"/admin/routines/routine/{Routine.objects.get(slug='neck').pk}/change/").content.decode()
    for field in ('name="authors"', 'name="reviewer"', 'name="last_reviewed"', 'name="next_review_due"'):
        assert field in page
    assert 'name="sources-0-when_not_to"' in page
    assert staff_client.get("/admin/content/contributor/").status_code == 200


def test_a_reviewer_cannot_be_deleted_while_an_item_names_them(make_technique, person):
    from django.db.models import ProtectedError

    make_technique(reviewer=person)
    with pytest.raises(ProtectedError):
        person.delete()
