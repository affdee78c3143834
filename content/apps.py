from django.apps import AppConfig


class ContentConfig(AppConfig):
    """What the glossary and the routines share: publishing, old slugs, pictures, admin
    base classes, the list of content models and the one change hook."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "content"
    verbose_name = "Content"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import changes, editors, release

        changes.connect()
        release.release()  # read the project's files once, as the worker starts, not on its first page
        post_migrate.connect(editors.sync_editors_group, dispatch_uid="editors-group")
