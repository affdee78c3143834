"""The Editors group: everything needed to keep the guides current, nothing about accounts.

Its permissions follow the list of content models (content/registry.py, ``edited``):
after every ``migrate`` the group is set to add, change, delete and view exactly those,
so a new content model reaches editors by its line in the registry.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

from .registry import edited_models

GROUP = "Editors"
ACTIONS = ("add", "change", "delete", "view")


def editor_permissions():
    """The Permission rows the Editors group holds."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    permissions = []
    for model in edited_models():
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        codenames = [f"{action}_{model._meta.model_name}" for action in ACTIONS]
        found = list(Permission.objects.filter(content_type=content_type, codename__in=codenames))
        if len(found) != len(codenames):
            raise RuntimeError(f"Missing permissions for {model._meta.label}: found {len(found)} of {len(codenames)}")
        permissions.extend(found)
    return permissions


def sync_editors_group(app_config, using="default", **kwargs):
    """post_migrate: make sure the group exists with exactly the editors' permissions.

    The signal is sent once per app with models; the group is set at the last of them.
    """
    from django.contrib.auth.models import Group

    if app_config is not [config for config in global_apps.get_app_configs() if config.models_module][-1]:
        return

    # Permissions are created after migrate, app by app; this may run before some of them.
    for label in {model._meta.app_label for model in edited_models()}:
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using)
    group, _ = Group.objects.using(using).get_or_create(name=GROUP)
    group.permissions.set(editor_permissions())
