"""Glossary links in the checks before publishing (content/publish_checks.py).

Two warnings, for any guide text: a technique named in it that does not link because it
is not published, and a technique's former name (from its history: "Cupping" after a
rename to "Hand cupping") that neither links nor is one of its other names now.

And on a technique's form: renaming a published technique can take glossary links out of
published text that used the old name. The form offers, ticked by default, to keep the old
name as another name (an alias), so those links stay.
"""

import json

from django import forms
from django.contrib import messages
from reversion.models import Version

from content import registry
from content.change_reasons import add_history_note
from content.publish_checks import WARNING, Finding

from .models import Technique
from .term_links import linked_slugs, live_terms

KEEP = "keep_old_name"


def _all_terms():
    return [
        {"pk": t.pk, "slug": t.slug, "name": t.name, "phrases": [t.name, *t.alias_list], "live": t.is_live}
        for t in Technique.objects.only("name", "slug", "aliases", "status", "publish_at")
    ]


def _former_names(terms):
    """{slug: names and aliases its earlier versions had}, lower case, from the history."""
    slugs = {t["pk"]: t["slug"] for t in terms}
    formers = {}
    for object_id, data in Version.objects.get_for_model(Technique).values_list("object_id", "serialized_data"):
        slug = slugs.get(int(object_id))
        if slug is None:
            continue
        try:
            fields = json.loads(data)[0]["fields"]
        except (ValueError, LookupError, TypeError):
            continue  # a version that cannot be read says nothing about names
        names = [fields.get("name") or "", *(fields.get("aliases") or "").split(",")]
        formers.setdefault(slug, set()).update(name.strip().lower() for name in names if name.strip())
    return formers


def term_findings(item):
    """Warnings for technique names in ``item``'s text that do not link."""
    own = item.slug if isinstance(item, Technique) else None
    texts = [text for text in item.linked_texts() if text]
    everything = [t for t in _all_terms() if t["slug"] != own]
    live = [t for t in everything if t["live"]]
    formers = _former_names(everything)
    found, seen = [], set()
    for text in texts:
        linked = linked_slugs(text, live)
        for slug in sorted(linked_slugs(text, [t for t in everything if not t["live"]]) - linked - seen):
            seen.add(slug)
            name = next(t["name"] for t in everything if t["slug"] == slug)
            found.append(
                Finding(WARNING, f"“{name}” is named in the text, but it is not published, so it does not link.")
            )
        for term in live:
            if term["slug"] in linked or term["slug"] in seen:
                continue
            current = {phrase.lower() for phrase in term["phrases"]}
            for former in sorted(formers.get(term["slug"], set()) - current):
                if linked_slugs(text, [{"slug": term["slug"], "phrases": [former]}]):
                    seen.add(term["slug"])
                    found.append(
                        Finding(
                            WARNING,
                            f"“{former}” in the text was a name of {term['name']} and no longer links: write "
                            f"“{term['name']}”, or add “{former}” to its other names.",
                        )
                    )
                    break
    return found


def links_lost_by_rename(slug, phrases):
    """[(item, links)] for published items whose text would lose links to technique ``slug``
    if its name and aliases became ``phrases``."""
    before = live_terms()
    if slug not in {t["slug"] for t in before}:
        return []  # not live: nothing links to it
    after = [{**t, "phrases": phrases} if t["slug"] == slug else t for t in before]
    lost = []
    for model in registry.searchable_models():
        if not hasattr(model, "linked_texts"):
            continue
        items = model._default_manager.published().prefetch_related(*getattr(model, "linked_text_prefetch", ()))
        for item in items:
            if isinstance(item, Technique) and item.slug == slug:
                continue  # a term never links to its own page
            own = [t for t in before if not (isinstance(item, Technique) and t["slug"] == item.slug)]
            own_after = [t for t in after if not (isinstance(item, Technique) and t["slug"] == item.slug)]
            count = sum(
                1
                for text in item.linked_texts()
                if slug in linked_slugs(text, own) and slug not in linked_slugs(text, own_after)
            )
            if count:
                lost.append((item, count))
    return lost


class KeepOldNameAdmin:
    """TechniqueAdmin mixin: on a rename that would drop links, keep the old name as an alias (ticked by default)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.get("form", self.form)
        keep = forms.BooleanField(
            label="Keep the old name if renamed",
            required=False,
            initial=True,
            help_text="Ticked: if you change the name, the old one joins its other names (aliases), so that "
            "glossary links in published text that use it keep working.",
        )
        kwargs["form"] = type(base.__name__, (base,), {KEEP: keep})
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None or not obj.is_live:
            return fieldsets
        name, options = fieldsets[0]
        fields = list(options["fields"])
        at = fields.index("aliases") + 1 if "aliases" in fields else len(fields)
        fields.insert(at, KEEP)
        fieldsets[0] = (name, {**options, "fields": fields})
        return fieldsets

    def save_model(self, request, obj, form, change):
        if change and "name" in form.changed_data and KEEP in form.fields:
            old_name, old_slug = form.initial["name"], form.initial["slug"]
            lost = links_lost_by_rename(old_slug, [obj.name, *obj.alias_list])
            where = ", ".join(str(item) for item, _ in lost)
            links = sum(count for _, count in lost)
            if lost and form.cleaned_data.get(KEEP):
                obj.aliases = ", ".join([*obj.alias_list, old_name])
                add_history_note(request, f"Kept the old name “{old_name}” as another name.")
                self.message_user(
                    request,
                    f"“{old_name}” is kept as another name, so its {links} glossary link(s) in published text "
                    f"stay ({where}).",
                    messages.SUCCESS,
                )
            elif lost:
                self.message_user(
                    request,
                    f"The rename took {links} glossary link(s) to it out of published text ({where}). To bring "
                    f"them back, add “{old_name}” to its other names.",
                    messages.WARNING,
                )
        super().save_model(request, obj, form, change)
