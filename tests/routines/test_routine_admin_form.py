"""The routine form fits its content: the summary and the starting position in boxes that show
the whole sentence."""

from django.urls import reverse


def change_url(routine):
    return reverse("admin:routines_routine_change", args=[routine.pk])


def test_the_summary_and_the_starting_position_are_text_areas_that_keep_their_limits(editor_client, make_routine):
    html = editor_client.get(change_url(make_routine())).content.decode()
    for name, limit in (("summary", 300), ("position", 200)):
        assert f'<textarea name="{name}"' in html
        assert f'maxlength="{limit}"' in html[html.index(f'<textarea name="{name}"') :][:200]


def test_line_breaks_typed_into_them_become_spaces(editor_client, admin_form, make_routine, make_technique):
    routine = make_routine(steps=[(make_technique(), 60, False)])
    form = admin_form(
        editor_client.get(change_url(routine)),
        summary="Loosen the calves\r\nand the thighs.",
        position="Sit on the floor,\r\n\r\nlegs out.",
    )
    assert editor_client.post(change_url(routine), form).status_code == 302
    routine.refresh_from_db()
    assert (routine.summary, routine.position) == ("Loosen the calves and the thighs.", "Sit on the floor, legs out.")
