"""The routine form fits its content: a new routine goes last, and no blank step row unless asked for."""

from django.urls import reverse

from routines.models import Routine


def test_a_new_routine_is_ordered_after_every_other_one(editor_client, make_routine):
    make_routine(order=3)
    make_routine(order=7)
    response = editor_client.get(reverse("admin:routines_routine_add"))
    assert response.context["adminform"].form["order"].value() == 8
    assert 'name="order" value="8"' in response.content.decode()


def test_the_first_routine_of_all_is_ordered_first(editor_client, db):
    assert not Routine.objects.exists()
    response = editor_client.get(reverse("admin:routines_routine_add"))
    assert response.context["adminform"].form["order"].value() == 1


def test_the_routine_form_has_no_blank_step_row_but_can_add_one(editor_client, make_routine, make_technique):
    routine = make_routine(steps=[(make_technique(), 60, False)] * 2)
    response = editor_client.get(reverse("admin:routines_routine_change", args=[routine.pk]))
    html = response.content.decode()
    assert 'name="steps-TOTAL_FORMS" value="2"' in html
    assert 'id="steps-2"' not in html
    # "Add another step" copies the empty template row, which the page still carries.
    assert 'id="steps-empty"' in html
    assert response.context["inline_admin_formsets"][0].formset.extra == 0
