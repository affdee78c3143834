"""Keep each routine's search text in step with its steps and tags, and remember old addresses."""

from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_save
from django.dispatch import receiver

from techniques.old_slugs import remember_old_slug
from techniques.renditions import drop_replaced_illustration, measure_illustration, remember_illustration

from .models import Routine, Step, TaggedBenefit, TaggedEquipment, TaggedPosition

pre_save.connect(remember_old_slug, sender=Routine, dispatch_uid="routine-old-slug")


@receiver(post_save, sender=Routine, dispatch_uid="routine-saved")
def routine_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        instance.refresh_search_text()


@receiver(post_save, sender=Step, dispatch_uid="step-saved")
@receiver(post_delete, sender=Step, dispatch_uid="step-deleted")
def step_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    routine = Routine.objects.filter(pk=instance.routine_id).first()
    if routine:
        routine.refresh_search_text()


def routine_tags_changed(sender, instance, action, **kwargs):
    if isinstance(instance, Routine) and action in {"post_add", "post_remove", "post_clear"}:
        instance.refresh_search_text()


for through in (TaggedBenefit, TaggedPosition, TaggedEquipment):
    m2m_changed.connect(routine_tags_changed, sender=through, dispatch_uid=f"routine-tags-{through.__name__}")


# Picture bookkeeping: size on save, and cleanup of a replaced picture (see techniques/renditions.py).
post_init.connect(remember_illustration, sender=Routine, dispatch_uid="routine-illustration-loaded")
pre_save.connect(measure_illustration, sender=Routine, dispatch_uid="routine-illustration-measure")
post_save.connect(drop_replaced_illustration, sender=Routine, dispatch_uid="routine-illustration-replaced")
