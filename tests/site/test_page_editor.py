"""Site pages are edited as formatted text that makes only what the public page keeps."""

import re

import nh3
from django.urls import reverse

from massage_site.models import Page
from massage_site.page_editor import EDITOR_TAGS


def test_the_page_body_uses_the_formatting_editor_from_our_own_files(editor_client, seeded):
    safety = Page.objects.get(slug="safety")
    html = editor_client.get(reverse("admin:massage_site_page_change", args=[safety.pk])).content.decode()
    assert '<textarea name="body"' in html and 'class="page-body-editor"' in html
    assert '<script src="/static/js/page_editor.js" type="module"></script>' in html
    assert "importmap" not in html  # an inline import map would be refused by the policy
    assert "Use the toolbar for headings, lists, bold, italics and links" in html


def test_everything_the_editor_can_make_reaches_the_public_page_unchanged():
    sample = (
        "<h2>Before you start</h2><h3>Warm up</h3><p>Go <strong>slowly</strong> and <em>gently</em>.<br>"
        'See <a href="/pages/safety/" rel="noopener noreferrer">safety</a>.</p>'
        "<ul><li><p>One</p></li></ul><ol><li><p>Two</p></li></ol>"
    )
    assert set(EDITOR_TAGS) <= set(re.findall(r"<(\w+)", sample))
    assert nh3.clean(sample) == sample


def test_the_body_is_still_saved_as_typed_and_cleaned_when_shown(editor_client, admin_form, client, seeded):
    safety = Page.objects.get(slug="safety")
    url = reverse("admin:massage_site_page_change", args=[safety.pk])
    typed = "<p>Stay <strong>calm</strong>.</p><script>alert(1)</script>"
    assert editor_client.post(url, admin_form(editor_client.get(url), body=typed)).status_code == 302
    safety.refresh_from_db()
    assert safety.body == typed
    html = client.get("/pages/safety/").content.decode()
    assert "<p>Stay <strong>calm</strong>.</p>" in html and "alert(1)" not in html


def test_the_editor_starts_from_the_cleaned_body_and_the_text_area_keeps_it_as_typed(editor_client, seeded):
    safety = Page.objects.get(slug="safety")
    safety.body = '<p onclick="alert(1)">Calm <strong>down</strong></p><style>p{}</style>'
    safety.save()
    html = editor_client.get(reverse("admin:massage_site_page_change", args=[safety.pk])).content.decode()
    assert 'data-editor-content="&lt;p&gt;Calm &lt;strong&gt;down&lt;/strong&gt;&lt;/p&gt;"' in html
    assert "&lt;p onclick=&quot;alert(1)&quot;&gt;Calm" in html  # the text area: as typed, escaped
