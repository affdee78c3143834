from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class TechniquesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "techniques"
    verbose_name = "Glossary"

    def ready(self):
        from .models import Technique
        from .term_links import forget_terms

        # Any change to a technique may change the names, aliases or status that term links use.
        post_save.connect(forget_terms, sender=Technique, dispatch_uid="techniques-forget-terms-save")
        post_delete.connect(forget_terms, sender=Technique, dispatch_uid="techniques-forget-terms-delete")
