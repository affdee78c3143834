"""Editors' admin pages load and save for a staff user."""

import pytest
from django.urls import reverse

from routines.models import Routine
from techniques.models import Technique

MODELS = [("techniques", "technique"), ("routines", "routine"), ("massage_site", "page")]


@pytest.mark.parametrize("app, model", MODELS)
def test_admin_list_and_add_pages_load(staff_client, seeded, app, model):
    assert staff_client.get(reverse(f"admin:{app}_{model}_changelist")).status_code == 200
    assert staff_client.get(reverse(f"admin:{app}_{model}_add")).status_code == 200


@pytest.mark.parametrize("app, model", MODELS)
def test_admin_change_page_loads_for_a_seeded_item(staff_client, seeded, app, model):
    from django.apps import apps

    item = apps.get_model(app, model).objects.first()
    response = staff_client.get(reverse(f"admin:{app}_{model}_change", args=[item.pk]))
    assert response.status_code == 200


def test_routine_change_page_shows_its_steps_in_order_and_a_link_to_the_site(staff_client, seeded):
    legs = Routine.objects.get(slug="legs")
    html = staff_client.get(reverse("admin:routines_routine_change", args=[legs.pk])).content.decode()
    instructions = [step.instruction for step in legs.steps.all()]
    positions = [html.index(text[:30]) for text in instructions]
    assert positions == sorted(positions)
    assert "View on site" in html


def test_admin_search_finds_a_technique_by_alias(staff_client, seeded):
    response = staff_client.get(reverse("admin:techniques_technique_changelist"), {"q": "petrissage"})
    assert list(response.context["cl"].result_list) == [Technique.objects.get(slug="kneading")]


def test_anonymous_visitors_are_sent_to_the_admin_login(client, db):
    response = client.get(reverse("admin:techniques_technique_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
