"""Benefits, positions and equipment each get a vocabulary of their own.

Until now the three kinds of routine tag shared taggit's one pool of tags with the
techniques, so the "Good for" filter offered chair, floor and massage tool. Each link
keeps its tag's name and slug in its own vocabulary; history (reversion versions of
the links) is rewritten to point at the new rows, so restoring an older version still
brings its tags back. Tags of the shared pool that nothing uses any more (not a
technique, not a technique's history) are removed from it. Going back copies the
links into the shared pool again.
"""

import json

import django.db.models.deletion
import taggit.managers
from django.db import migrations, models

KINDS = (("taggedbenefit", "Benefit"), ("taggedposition", "Position"), ("taggedequipment", "Equipment"))


def _versions(apps, link_model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    content_type = ContentType.objects.filter(app_label="routines", model=link_model).first()
    if content_type is None:
        return Version.objects.none()
    return Version.objects.filter(content_type=content_type)


def _repoint_history(apps, link_model, mapping):
    """Point each stored link at its tag's new row; a link whose tag is gone is dropped (as
    deleting a tag does: content/editing.py)."""
    stale = []
    for version in _versions(apps, link_model).iterator():
        rows = json.loads(version.serialized_data)
        fields = rows[0]["fields"]
        if fields.get("tag") not in mapping:
            stale.append(version.pk)
            continue
        fields["tag"] = mapping[fields["tag"]]
        version.serialized_data = json.dumps(rows)
        version.save(update_fields=["serialized_data"])
    if stale:
        _versions(apps, link_model).filter(pk__in=stale).delete()


def _history_tag_ids(apps, link_model):
    return {json.loads(v.serialized_data)[0]["fields"].get("tag") for v in _versions(apps, link_model).iterator()}


def to_vocabularies(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    moved = set()
    for link_model, vocabulary_model in KINDS:
        Link = apps.get_model("routines", link_model)
        Vocabulary = apps.get_model("routines", vocabulary_model)
        mapping = {}
        used = set(Link.objects.values_list("tag_id", flat=True)) | _history_tag_ids(apps, link_model)
        for tag in Tag.objects.filter(pk__in=used).order_by("pk"):
            new, _ = Vocabulary.objects.get_or_create(slug=tag.slug, defaults={"name": tag.name})
            mapping[tag.pk] = new.pk
            moved.add(tag.pk)
        for link in Link.objects.all():
            # Let go of the shared tag, so removing it from the pool below does not take the link.
            link.new_tag_id, link.tag_id = mapping[link.tag_id], None
            link.save(update_fields=["new_tag", "tag"])
        _repoint_history(apps, link_model, mapping)
    # What only routines used leaves the techniques' pool.
    kept = set(TaggedItem.objects.values_list("tag_id", flat=True)) | _history_tag_ids(apps, "taggeditem")
    Tag.objects.filter(pk__in=moved - kept).delete()


def to_shared_pool(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    for link_model, vocabulary_model in KINDS:
        Link = apps.get_model("routines", link_model)
        Vocabulary = apps.get_model("routines", vocabulary_model)
        mapping = {}
        for item in Vocabulary.objects.order_by("pk"):
            tag = Tag.objects.filter(slug=item.slug).first() or Tag.objects.filter(name__iexact=item.name).first()
            if tag is None:
                tag = Tag.objects.create(name=item.name, slug=item.slug)
            mapping[item.pk] = tag.pk
        for link in Link.objects.all():
            link.tag_id = mapping[link.new_tag_id]
            link.save(update_fields=["tag"])
        _repoint_history(apps, link_model, mapping)


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
        migrations.RunPython(to_vocabularies, to_shared_pool),
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
