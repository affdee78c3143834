"""Fill the new search text for routines that already exist."""

from django.db import migrations

from content.search_text import documents

BODY_AREAS = {
    "neck-shoulders": "Neck and shoulders",
    "arms-hands": "Arms and hands",
    "back": "Back",
    "stomach": "Stomach",
    "legs-feet": "Legs and feet",
}


def fill(apps, schema_editor):
    Routine = apps.get_model("routines", "Routine")
    Step = apps.get_model("routines", "Step")
    throughs = [apps.get_model("routines", name) for name in ("TaggedBenefit", "TaggedPosition", "TaggedEquipment")]
    for routine in Routine.objects.all():
        tags = [
            name
            for through in throughs
            for name in through.objects.filter(content_object_id=routine.pk).values_list("tag__name", flat=True)
        ]
        instructions = list(Step.objects.filter(routine_id=routine.pk).values_list("instruction", flat=True))
        names, document = documents(
            [routine.title, BODY_AREAS.get(routine.body_area, "")],
            [routine.position, routine.summary, routine.intro, routine.cautions, instructions, sorted(tags)],
        )
        Routine.objects.filter(pk=routine.pk).update(search_names=names, search_document=document)


class Migration(migrations.Migration):
    dependencies = [("routines", "0003_search_text")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
