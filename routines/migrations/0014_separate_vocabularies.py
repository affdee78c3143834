"""Benefits, positions and equipment each get a vocabulary of their own.

Until now the three kinds of routine tag shared taggit's one pool of tags with the
techniques, so the "Good for" filter offered chair, floor and massage tool. Each link
keeps its tag's name and slug in its own vocabulary; history (reversion versions of
the links) is rewritten to point at the new rows, so restoring an older version still
brings its tags back. Tags of the shared pool that nothing uses any more (not a
technique, not a technique's history) are removed from it. Going back copies the
links into the shared pool again.
"""

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
    """The vocabularies, and a second tag column on each link for the move (0015); PostgreSQL
    cannot change a table's columns in the transaction that moved its rows, so each step is
    a migration of its own."""

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        ("routines", "0013_search_terms_and_keywords"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        _vocabulary("Benefit"),
        _vocabulary("Equipment", verbose_name="equipment", verbose_name_plural="equipment"),
        _vocabulary("Position"),
        *[
            operation
            for link_model, vocabulary_model in KINDS
            for operation in (
                migrations.AlterField(link_model, "tag", _link(link_model, "taggit.tag", null=True)),
                migrations.AddField(link_model, "new_tag", _link(link_model, f"routines.{vocabulary_model}", True)),
            )
        ],
    ]
