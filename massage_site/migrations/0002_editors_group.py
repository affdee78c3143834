"""The Editors group: everything needed to keep the guides current, nothing about accounts.

Permissions are normally created after migrate (post_migrate), so on a fresh database they
do not exist yet when this runs: create them here first for the apps involved.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editors"
ACTIONS = ("add", "change", "delete", "view")
# (app label, model name): techniques, routines, their steps, old addresses, site pages and tags.
MODELS = [
    ("techniques", "technique"),
    ("techniques", "oldslug"),
    ("routines", "routine"),
    ("routines", "step"),
    ("routines", "oldslug"),
    ("massage_site", "page"),
    ("taggit", "tag"),
]


def create_editors_group(apps, schema_editor):
    for label in {app_label for app_label, _ in MODELS}:
        app_config = apps.get_app_config(label)
        app_config.models_module = True  # historical app configs have none; create_permissions skips those
        create_permissions(app_config, verbosity=0, apps=apps, using=schema_editor.connection.alias)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    permissions = []
    for app_label, model in MODELS:
        codenames = [f"{action}_{model}" for action in ACTIONS]
        found = list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
        if len(found) != len(codenames):
            raise RuntimeError(f"Missing permissions for {app_label}.{model}: found {len(found)} of 4")
        permissions.extend(found)
    group.permissions.set(permissions)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("massage_site", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("techniques", "0004_old_slugs"),
        ("routines", "0005_old_slugs"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
