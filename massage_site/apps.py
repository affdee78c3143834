from django.apps import AppConfig


class MassageSiteConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "massage_site"
    verbose_name = "Site pages"
