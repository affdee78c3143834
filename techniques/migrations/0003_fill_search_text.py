"""Fill the new search text for techniques that already exist, and enable trigram search on PostgreSQL."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from content.search_text import documents

FAMILIES = {
    "stroking": "Stroking",
    "pressing": "Pressing",
    "kneading": "Kneading",
    "percussion": "Percussion (tapotement)",
    "stretching": "Stretching",
}


def fill(apps, schema_editor):
    Technique = apps.get_model("techniques", "Technique")
    ContentType = apps.get_model("contenttypes", "ContentType")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    content_type = ContentType.objects.filter(app_label="techniques", model="technique").first()
    for technique in Technique.objects.all():
        tags = []
        if content_type:
            tags = list(
                TaggedItem.objects.filter(content_type=content_type, object_id=technique.pk).values_list(
                    "tag__name", flat=True
                )
            )
        aliases = [a.strip() for a in technique.aliases.split(",") if a.strip()]
        names, document = documents(
            [technique.name, aliases],
            [FAMILIES.get(technique.family, ""), technique.definition, technique.how_to, sorted(tags)],
        )
        Technique.objects.filter(pk=technique.pk).update(search_names=names, search_document=document)


class Migration(migrations.Migration):
    dependencies = [
        ("techniques", "0002_search_text"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # TrigramExtension does nothing on databases other than PostgreSQL.
    operations = [TrigramExtension(), migrations.RunPython(fill, migrations.RunPython.noop)]
