"""The links now point at the vocabularies only (see 0014)."""

import django.db.models.deletion
import taggit.managers
from django.db import migrations, models

KINDS = (("taggedbenefit", "Benefit"), ("taggedposition", "Position"), ("taggedequipment", "Equipment"))


def _link(to):
    """A link's tag, required, pointing at its vocabulary (0014 added it as a nullable new_tag)."""
    return models.ForeignKey(
        on_delete=django.db.models.deletion.CASCADE, related_name="%(app_label)s_%(class)s_items", to=to
    )


class Migration(migrations.Migration):
    dependencies = [("routines", "0015_move_tags_into_vocabularies")]

    operations = [
        *[
            operation
            for link_model, vocabulary_model in KINDS
            for operation in (
                migrations.RemoveField(link_model, "tag"),
                migrations.RenameField(link_model, "new_tag", "tag"),
                migrations.AlterField(link_model, "tag", _link(f"routines.{vocabulary_model}")),
            )
        ],
        migrations.AlterField(
            model_name="routine",
            name="benefits",
            field=taggit.managers.TaggableManager(
                blank=True,
                help_text="What it helps with. Type to find one; + adds a new one.",
                related_name="benefit_routines",
                through="routines.TaggedBenefit",
                to="routines.Benefit",
                verbose_name="benefits",
            ),
        ),
        migrations.AlterField(
            model_name="routine",
            name="positions",
            field=taggit.managers.TaggableManager(
                blank=True,
                help_text="How the reader sits or lies. Type to find one; + adds a new one.",
                related_name="position_routines",
                through="routines.TaggedPosition",
                to="routines.Position",
                verbose_name="positions",
            ),
        ),
        migrations.AlterField(
            model_name="routine",
            name="equipment",
            field=taggit.managers.TaggableManager(
                blank=True,
                help_text="What the reader needs. Type to find one; + adds a new one.",
                related_name="equipment_routines",
                through="routines.TaggedEquipment",
                to="routines.Equipment",
                verbose_name="equipment",
            ),
        ),
    ]
