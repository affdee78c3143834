"""Steps are ordered with buttons as well as by dragging: each card has "Move up" and "Move down",
its number shows, and the heading says both ways."""

import re

from django.urls import reverse


def test_every_step_has_move_buttons_named_for_its_step_and_a_visible_number(
    editor_client, make_routine, make_technique
):
    routine = make_routine(steps=[(make_technique(), 60, False)] * 3)
    html = editor_client.get(reverse("admin:routines_routine_change", args=[routine.pk])).content.decode()
    for number in (1, 2, 3):
        card = html[html.index(f'id="steps-{number - 1}"') :]
        card = card[: card.index('id="steps-', 10)]
        assert f'<span class="step-number">Step {number}</span>' in card
        buttons = re.findall(r'<button type="button" class="step-move" data-move="(up|down)">(.*?)</button>', card)
        texts = [(move, re.sub(r"<[^>]+>", "", label)) for move, label in buttons]
        assert texts == [("up", f"↑ Move up (step {number})"), ("down", f"↓ Move down (step {number})")]
    # The template row that "Add another step" copies has them too.
    assert html.count('class="step-move"') == 2 * 4
    assert "use a step’s “Move up” and “Move down” buttons, or drag the step by its title bar" in html
    assert 'role="status"' in html
    assert "js/step_order.js" in html


def test_the_steps_are_cards_not_a_table_that_scrolls_sideways(editor_client, make_routine, make_technique):
    routine = make_routine(steps=[(make_technique(), 60, False)])
    html = editor_client.get(reverse("admin:routines_routine_change", args=[routine.pk])).content.decode()
    steps = html[html.index('id="steps-group"') : html.index('id="sources-group"')]
    assert "<table" not in steps and 'class="inline-related step-card has_original"' in steps
