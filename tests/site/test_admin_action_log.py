"""The admin's action log records who changed what."""

from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse

from techniques.models import Technique


def test_an_admin_change_is_logged_with_who_and_what(editor_client, editor, seeded, admin_form):
    kneading = Technique.objects.get(slug="kneading")
    url = reverse("admin:techniques_technique_change", args=[kneading.pk])
    data = admin_form(editor_client.get(url))
    data["definition"] = ["You squeeze and roll the muscle like dough."]
    assert editor_client.post(url, data).status_code == 302
    entry = LogEntry.objects.get(object_id=str(kneading.pk))
    assert entry.user == editor and entry.action_flag == CHANGE
    assert "Definition" in entry.get_change_message()
    assert "Kneading" in editor_client.get(reverse("admin:index")).content.decode()  # "Recent actions"
