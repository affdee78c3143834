"""The site pages' body (home introduction, safety, about) edited as formatted text, not raw HTML.

The editor is django-prose-editor's (ProseMirror/Tiptap, kept up by the FeinCMS people), set
up by our own module, static/js/page_editor.js, because its stock setup needs an inline import
map and inline styles, which our Content-Security-Policy refuses. It offers only what the
sanitiser lets through to the public page (paragraphs, headings, lists, bold, italics,
links, line breaks): what an editor makes here is what readers see. The body is still stored
as typed and cleaned by nh3 when shown (massage_site/views.py).
"""

import nh3
from django import forms

from .models import Page

# Everything the editor can make: the tags nh3's default allow-list keeps (massage_site/views.py).
EDITOR_TAGS = ("p", "h2", "h3", "strong", "em", "a", "ul", "ol", "li", "br")


class PageBodyEditor(forms.Textarea):
    """A text area that becomes a formatting editor once the script runs (plain HTML without it)."""

    def __init__(self, attrs=None):
        super().__init__({"class": "page-body-editor", "rows": 20, "cols": 80, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # The editor starts from the body as the public page shows it (nh3), never from the raw
        # text: the browser would weigh every inline handler and style in it against the policy
        # while parsing, even though none of them could run or survive the editor.
        context["widget"]["attrs"]["data-editor-content"] = nh3.clean(self.format_value(value) or "")
        return context

    def use_required_attribute(self, initial):
        # The text area is hidden behind the editor: the browser could not point at it.
        return False

    class Media:
        css = {
            "all": [
                "django_prose_editor/material-icons.css",
                "django_prose_editor/editor.css",
                "django_prose_editor/overrides.css",
            ]
        }
        js = [forms.Script("js/page_editor.js", type="module")]


class PageForm(forms.ModelForm):
    """The site page's admin form: its body in the editor above."""

    class Meta:
        model = Page
        fields = ["slug", "title", "summary", "body", "search_terms"]
        widgets = {"body": PageBodyEditor}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        body = self.fields.get("body")
        if body is not None:
            body.help_text = (
                "Use the toolbar for headings, lists, bold, italics and links; press Enter for a new paragraph."
            )
