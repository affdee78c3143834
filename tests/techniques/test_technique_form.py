"""The technique form fits its content: a definition box that shows the whole sentence, and
related terms that can only be other terms."""

from django.urls import reverse

from techniques.models import Technique


def change_url(technique):
    return reverse("admin:techniques_technique_change", args=[technique.pk])


def test_the_definition_is_a_text_area_that_keeps_the_length_limit(editor_client, make_technique):
    html = editor_client.get(change_url(make_technique())).content.decode()
    assert '<textarea name="definition"' in html
    assert 'maxlength="300"' in html[html.index('<textarea name="definition"') :][:200]


def test_a_line_break_typed_into_the_definition_becomes_a_space(editor_client, admin_form, make_technique):
    technique = make_technique()
    form = admin_form(editor_client.get(change_url(technique)), definition="You press the palm\r\ninto the muscle.")
    assert editor_client.post(change_url(technique), form).status_code == 302
    technique.refresh_from_db()
    assert technique.definition == "You press the palm into the muscle."


def test_related_terms_offer_every_other_technique_but_not_the_one_being_edited(editor_client, make_technique):
    kneading, tapping = make_technique(name="Kneading"), make_technique(name="Tapping")
    response = editor_client.get(change_url(kneading))
    offered = list(response.context["adminform"].form.fields["related"].queryset)
    assert tapping in offered and kneading not in offered
    html = response.content.decode()
    choices = html[html.index('name="related"') : html.index("</select>", html.index('name="related"'))]
    assert ">Tapping</option>" in choices and ">Kneading</option>" not in choices


def test_saving_a_technique_as_related_to_itself_is_refused_clearly(editor_client, admin_form, make_technique):
    kneading, tapping = make_technique(name="Kneading"), make_technique(name="Tapping")
    form = admin_form(editor_client.get(change_url(kneading)), definition="Not saved.")
    form["related"] = [str(tapping.pk), str(kneading.pk)]
    response = editor_client.post(change_url(kneading), form)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["related"]
    assert errors == ["“Kneading” cannot be related to itself: take it out of the chosen techniques."]
    kneading.refresh_from_db()
    assert kneading.definition != "Not saved." and not kneading.related.exists()


def test_related_terms_still_save_both_ways(editor_client, admin_form, make_technique):
    kneading, tapping = make_technique(name="Kneading"), make_technique(name="Tapping")
    form = admin_form(editor_client.get(change_url(kneading)), related=str(tapping.pk))
    assert editor_client.post(change_url(kneading), form).status_code == 302
    assert list(Technique.objects.get(pk=tapping.pk).related.all()) == [kneading]


def test_a_new_technique_offers_every_technique_as_related(editor_client, make_technique):
    existing = make_technique(name="Kneading")
    response = editor_client.get(reverse("admin:techniques_technique_add"))
    assert existing in response.context["adminform"].form.fields["related"].queryset


def test_the_picture_description_is_a_text_area_that_keeps_its_length_limit(editor_client, make_technique):
    html = editor_client.get(change_url(make_technique())).content.decode()
    assert '<textarea name="illustration_alt"' in html
    assert 'maxlength="250"' in html[html.index('<textarea name="illustration_alt"') :][:200]
