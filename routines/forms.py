"""The routine's admin form: the starting position and the summary in boxes their sentences fit in."""

from content.editing import SentenceField
from content.images import IllustrationForm

from .models import Routine


class RoutineForm(IllustrationForm):
    """The summary (up to 300 characters) and the starting position (up to 200) are a sentence or
    two each: text areas show all of it while typing, where one-line boxes cut it off."""

    class Meta:
        model = Routine
        fields = "__all__"
        field_classes = {"summary": SentenceField, "position": SentenceField}
