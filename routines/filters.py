"""Filters for the routines index: body area, benefit, position, equipment, maximum time.

Plain GET parameters, so every filtered list has a shareable address, e.g.
/routines/?benefit=relaxation&position=chair&max=10. Unknown values are ignored
with a note, never an error page.
"""

from urllib.parse import urlencode

from django import forms
from django.db.models import CharField, Value

from .models import TAG_KINDS, BodyArea, Routine

MAX_MINUTES = [5, 10, 15, 20, 30]
TAG_FILTERS = {"benefit": "benefits", "position": "positions", "equipment": "equipment"}


def tag_options():
    """{"benefit": [(slug, name)...], "position": [...], "equipment": [...]}: the tags that
    published routines use, from one UNION query."""
    published = Routine.objects.published().values("pk")
    queries = [
        through.objects.filter(content_object__in=published)
        .values_list("tag__slug", "tag__name", Value(name, output_field=CharField()))
        .distinct()
        for name, through in ((name, TAG_KINDS[kind]) for name, kind in TAG_FILTERS.items())
    ]
    options = {name: [] for name in TAG_FILTERS}
    for slug, tag_name, name in queries[0].union(*queries[1:]):
        options[name].append((slug, tag_name))
    for choices in options.values():
        choices.sort(key=lambda choice: choice[1].lower())
    return options


class RoutineFilterForm(forms.Form):
    area = forms.ChoiceField(label="Body area", required=False)
    benefit = forms.ChoiceField(label="Good for", required=False)
    position = forms.ChoiceField(label="Position", required=False)
    equipment = forms.ChoiceField(label="You need", required=False)
    max = forms.TypedChoiceField(label="Takes at most", required=False, coerce=int, empty_value=None)

    def __init__(self, data, options):
        """``options``: {"benefit": [(slug, name)], "position": [...], "equipment": [...]}."""
        super().__init__(data)
        self.fields["area"].choices = [("", "Any area"), *BodyArea.choices]
        for name, choices in options.items():
            self.fields[name].choices = [("", "Any"), *choices]
        self.fields["max"].choices = [("", "Any time"), *[(m, f"{m} minutes") for m in MAX_MINUTES]]

    def apply(self, queryset):
        """Filter a Routine queryset (already annotated with total_seconds) by the valid choices."""
        data = self.cleaned_data if self.is_bound else {}
        if data.get("area"):
            queryset = queryset.filter(body_area=data["area"])
        for name, kind in TAG_FILTERS.items():
            if data.get(name):
                through = TAG_KINDS[kind]
                ids = through.objects.filter(tag__slug=data[name]).values("content_object_id")
                queryset = queryset.filter(pk__in=ids)
        if data.get("max"):
            queryset = queryset.filter(total_seconds__lte=data["max"] * 60)
        return queryset

    def clean(self):
        # Keep the valid filters even when another one is wrong: drop only the bad ones.
        for name in list(self.errors):
            self.cleaned_data.pop(name, None)
        return self.cleaned_data

    @property
    def active(self):
        """(label, value label, address without this filter) for each filter in use."""
        if not self.is_bound:
            return []
        chips = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            label = dict((str(k), v) for k, v in field.choices).get(str(value), value)
            rest = {key: val for key, val in self.data.items() if key != name and key not in self.errors}
            chips.append((field.label, label, urlencode(rest)))
        return chips

    @property
    def query_string(self):
        """The valid filters as a query string, for links that keep them (pagination)."""
        if not self.is_bound:
            return ""
        return urlencode({k: v for k, v in self.data.items() if k not in self.errors})

    @property
    def ignored(self):
        """Parameters that were not understood, for a polite note."""
        return sorted(self.errors) if self.is_bound else []
