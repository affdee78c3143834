"""The links now point at the vocabularies only (see 0014)."""

import django.db.models.deletion
import taggit.managers
from django.db import migrations, models

KINDS = (("taggedbenefit", "Benefit"), ("taggedposition", "Position"), ("taggedequipment", "Equipment"))


def _vocabulary(name, **options):
    return migrations.CreateModel(
        name=name,
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("name", models.CharField(max_length=100, unique=True, verbose_name="name")),
            ("slug", models.SlugField(allow_unicode=True, max_length=100, unique=True, verbose_name="slug")),
        ],
        options={"ordering": ["name"], **options},
    )


def _link(link_model, to, null):
    return models.ForeignKey(
        null=null,
        on_delete=django.db.models.deletion.CASCADE,
        related_name="%(app_label)s_%(class)s_items" if not null else "+",
        to=to,
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
                migrations.AlterField(link_model, "tag", _link(link_model, f"routines.{vocabulary_model}", False)),
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
