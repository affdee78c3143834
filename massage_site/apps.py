from django.apps import AppConfig


class MassageSiteConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "massage_site"
    verbose_name = "Site pages"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from routines.models import Routine, Step
        from techniques.models import Technique

        from .search import forget_catalogue

        # Search corrects typos against the words and names the site uses; any content change may alter them.
        for model in (Technique, Routine, Step):
            post_save.connect(forget_catalogue, sender=model, dispatch_uid=f"catalogue-save-{model.__name__}")
            post_delete.connect(forget_catalogue, sender=model, dispatch_uid=f"catalogue-delete-{model.__name__}")
