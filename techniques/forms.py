"""The technique's admin form: a definition box the sentence fits in, and related terms that are other terms."""

from django import forms
from django.core.exceptions import ValidationError

from content.editing import SentenceField
from content.images import IllustrationForm

from .models import Technique


class OtherTechniquesField(forms.ModelMultipleChoiceField):
    """Related techniques: any but the one being edited, which the form sets as ``own``."""

    own = None

    def clean(self, value):
        if self.own is not None and str(self.own.pk) in {str(pk) for pk in value or ()}:
            raise ValidationError(
                f"“{self.own}” cannot be related to itself: take it out of the chosen techniques.",
                code="related_to_itself",
            )
        return super().clean(value)


class TechniqueForm(IllustrationForm):
    """The definition is one sentence of up to 300 characters: a text area shows all of it while typing."""

    class Meta:
        model = Technique
        fields = "__all__"
        field_classes = {"definition": SentenceField, "related": OtherTechniquesField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        related = self.fields.get("related")
        if related is not None and self.instance.pk:
            related.own = self.instance
            related.queryset = related.queryset.exclude(pk=self.instance.pk)
