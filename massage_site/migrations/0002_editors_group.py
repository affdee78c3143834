"""Formerly created the Editors group from a list of its own.

The group now follows the list of content models: content/editors.py sets it after
every migrate (post_migrate), on new and existing databases alike.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("massage_site", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("techniques", "0004_old_slugs"),
        ("routines", "0005_old_slugs"),
    ]

    operations = []
