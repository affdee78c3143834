"""Editors' text, hostile or not, is stored exactly as typed (the browser side: tests/browser/test_xss_browser.py)."""

from pathlib import Path

from django.urls import reverse
from django.utils.html import escape

from massage_site.models import Page
from routines.models import Routine
from techniques.models import Technique

PAYLOADS = (Path(__file__).parent / "xss_payloads.txt").read_text(encoding="utf-8").splitlines()


def test_admin_stores_hostile_text_exactly_as_typed(staff_client, seeded, admin_form):
    """Text fields hold what the editor typed; making it safe is the pages' job (escaping, nh3)."""
    text = "\n\n".join(PAYLOADS)
    short = PAYLOADS[4]  # "><script>alert(5)</script>

    kneading = Technique.objects.get(slug="kneading")
    url = reverse("admin:techniques_technique_change", args=[kneading.pk])
    data = admin_form(staff_client.get(url))
    data.update(definition=[short], how_to=[text], aliases=[PAYLOADS[9]], illustration_alt=[PAYLOADS[57]])
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    kneading.refresh_from_db()
    assert (kneading.definition, kneading.how_to, kneading.aliases, kneading.illustration_alt) == (
        short,
        text,
        PAYLOADS[9],
        PAYLOADS[57],
    )

    legs = Routine.objects.get(slug="legs")
    url = reverse("admin:routines_routine_change", args=[legs.pk])
    data = admin_form(staff_client.get(url))
    data.update(
        summary=[short], position=[PAYLOADS[0]], intro=[text], cautions=[text], illustration_alt=[PAYLOADS[58]]
    )
    data["steps-0-instruction"] = [text]
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    legs.refresh_from_db()
    assert (legs.summary, legs.position, legs.intro, legs.cautions, legs.illustration_alt) == (
        short,
        PAYLOADS[0],
        text,
        text,
        PAYLOADS[58],
    )
    assert legs.steps.first().instruction == text

    safety = Page.objects.get(slug="safety")
    url = reverse("admin:massage_site_page_change", args=[safety.pk])
    data = admin_form(staff_client.get(url))
    data.update(title=[short], body=[text])
    assert staff_client.post(url, data).status_code == 302
    safety.refresh_from_db()
    assert (safety.title, safety.body) == (short, text)

    # ...and the admin shows it back as text, never as markup.
    html = staff_client.get(url).content.decode()
    assert "<script>alert(" not in html and "<img src=x onerror" not in html
    assert escape(PAYLOADS[9]) in html


def test_the_payload_corpus_is_big_and_varied():
    assert len(PAYLOADS) >= 50 and len(set(PAYLOADS)) == len(PAYLOADS)
    assert all(0 < len(payload) <= 100 and payload == payload.strip() for payload in PAYLOADS)
    for kind in ("<script", "onerror=", "javascript:", "<svg", "style=", "<style", "&#", "%3C", "\\u003c"):
        assert any(kind.lower() in payload.lower() for payload in PAYLOADS), kind
