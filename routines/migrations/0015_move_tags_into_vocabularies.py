"""Each routine's benefits, positions and equipment move into their own vocabularies (see 0014)."""

import json

from django.db import migrations

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


class Migration(migrations.Migration):
    dependencies = [("routines", "0014_separate_vocabularies")]

    operations = [migrations.RunPython(to_vocabularies, to_shared_pool)]
