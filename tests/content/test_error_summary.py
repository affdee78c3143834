"""A form with errors lists them all at its top, each linking to its field, steps included."""

import re

from django.urls import reverse

from content.publishing import Status


def summary(response):
    """(link, text) for each entry of the error summary, in order; [] when there is none."""
    html = response.content.decode()
    found = re.search(r'<div class="error-summary" id="error-summary".*?</ul>', html, re.S)
    if not found:
        return []
    return [
        (href, re.sub(r"<[^>]+>", "", text))
        for href, text in re.findall(r'<li><a href="([^"]+)">(.*?)</li>', found[0])
    ]


def test_a_form_without_errors_has_no_summary(editor_client, make_technique):
    technique = make_technique()
    response = editor_client.get(reverse("admin:techniques_technique_change", args=[technique.pk]))
    assert 'class="error-summary"' not in response.content.decode()


def test_field_errors_are_listed_at_the_top_with_links_and_still_shown_at_the_field(
    editor_client, admin_form, make_technique
):
    technique = make_technique(name="Kneading")
    url = reverse("admin:techniques_technique_change", args=[technique.pk])
    response = editor_client.post(url, admin_form(editor_client.get(url), name=None, definition=None))
    assert response.status_code == 200
    assert summary(response) == [
        ("#id_name", "Name: This field is required."),
        ("#id_definition", "Definition: This field is required."),
    ]
    html = response.content.decode()
    assert "There are 2 problems to fix before saving" in html
    assert html.index('class="error-summary"') < html.index('name="name"')
    # The field's own message stays beside it.
    assert html.count("This field is required.") == 4
    assert 'id="id_name"' in html


def test_a_steps_error_far_down_the_page_is_listed_with_the_steps_number(
    editor_client, admin_form, make_routine, make_technique
):
    routine = make_routine(status=Status.DRAFT, steps=[(make_technique(), 60, False)] * 3)
    url = reverse("admin:routines_routine_change", args=[routine.pk])
    response = editor_client.post(
        url, admin_form(editor_client.get(url), **{"steps-1-instruction": None, "steps-2-duration_seconds": "2"})
    )
    assert response.status_code == 200
    assert summary(response) == [
        ("#id_steps-1-instruction", "Step 2: Instruction: This field is required."),
        (
            "#id_steps-2-duration_seconds",
            "Step 3: Duration (seconds): Ensure this value is greater than or equal to 5.",
        ),
    ]
    assert routine.steps.get(order=2).instruction  # nothing saved


def test_an_error_about_all_the_steps_links_to_the_steps_section(editor_client, admin_form, make_routine):
    empty = make_routine(status=Status.DRAFT)
    url = reverse("admin:routines_routine_change", args=[empty.pk])
    response = editor_client.post(url, admin_form(editor_client.get(url), status=Status.PUBLISHED))
    assert summary(response) == [
        (
            "#steps-group",
            "Steps: A published routine needs at least one step. Add a step, or keep the routine as a Draft.",
        )
    ]
    assert 'id="steps-group"' in response.content.decode()
