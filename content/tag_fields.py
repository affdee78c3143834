"""Tags chosen in the admin by typing: each tag field suggests the tags of its own vocabulary.

taggit's own field is a line of comma-separated text with quoting rules ("hands only")
and no suggestions. Here each tag field (a TaggableManager) is the admin's autocomplete
(select2, shipped with Django as static files, so it runs under the strict CSP): typing
a few letters lists the matching tags of that vocabulary only, and the + beside it adds
a new one through the admin's pop-up, for editors allowed to add tags. The tag model
needs a registered admin with ``search_fields`` (see ``VocabularyAdmin``).
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple, RelatedFieldWidgetWrapper
from django.utils.text import capfirst
from taggit.managers import TaggableManager


class TagSelect(AutocompleteSelectMultiple):
    """The admin's autocomplete for several tags, without select2's clear-all button (each tag
    has its own ×; the button sits inside the list of tags, where it is invalid markup), and
    with a label for its search box (static/js/tag_fields.js)."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-allow-clear"] = "false"
        return attrs

    @property
    def media(self):
        return super().media + forms.Media(js=["js/tag_fields.js"])


class TagSuggestionsAdmin:
    """ModelAdmin mixin: every tag field of the model is a search-as-you-type list."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, TaggableManager):
            return self.tag_formfield(db_field, request)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def tag_formfield(self, db_field, request):
        model = db_field.remote_field.model
        tag_admin = self.admin_site._registry.get(model)
        widget = RelatedFieldWidgetWrapper(
            TagSelect(db_field, self.admin_site),
            db_field.remote_field,
            self.admin_site,
            can_add_related=tag_admin is not None and tag_admin.has_add_permission(request),
            can_change_related=False,
            can_delete_related=False,
            can_view_related=False,
        )
        return forms.ModelMultipleChoiceField(
            queryset=model._default_manager.order_by("name"),
            required=not db_field.blank,
            widget=widget,
            label=capfirst(db_field.verbose_name),
            help_text=db_field.help_text,
        )


class VocabularyForm(forms.ModelForm):
    def clean_name(self):
        """One tag per name, whatever its capitals: taggit finds tags by name ignoring case."""
        name = " ".join(self.cleaned_data["name"].split())
        model = self._meta.model
        same = model._default_manager.filter(name__iexact=name).exclude(pk=self.instance.pk).first()
        if same is not None:
            raise forms.ValidationError(f"There is already a {model._meta.verbose_name} called “{same.name}”.")
        return name


class VocabularyAdmin(admin.ModelAdmin):
    """The list of one vocabulary's tags: rename or remove a tag everywhere at once."""

    form = VocabularyForm
    list_display = ["name", "slug"]
    ordering = ["name"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
