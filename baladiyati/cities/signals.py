"""Cache invalidation: child rows touch their parent's updated_at.

Real time (not the domain clock) on purpose: a replay under a frozen clock must still
invalidate.

Prepared district geometries are cached per (municipality, updated_at) and working-time
engines per (calendar, updated_at); bumping the parent makes every process rebuild them.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import District, Holiday, Municipality, WorkingCalendar, _build_geo_index, _engine


@receiver([post_save, post_delete], sender=District)
def touch_municipality(sender: Any, instance: District, **kwargs: Any) -> None:
    Municipality.objects.filter(pk=instance.municipality_id).update(updated_at=timezone.now())
    _build_geo_index.cache_clear()


@receiver([post_save, post_delete], sender=Holiday)
def touch_calendar(sender: Any, instance: Holiday, **kwargs: Any) -> None:
    WorkingCalendar.objects.filter(pk=instance.calendar_id).update(updated_at=timezone.now())
    _engine.cache_clear()


@receiver(post_save, sender=WorkingCalendar)
def forget_engine(sender: Any, instance: WorkingCalendar, **kwargs: Any) -> None:
    # Saved under a frozen clock, updated_at may not move: clear this process's cache too.
    _engine.cache_clear()


@receiver(post_save, sender=Municipality)
def ensure_calendar(sender: Any, instance: Municipality, created: bool, **kwargs: Any) -> None:
    _build_geo_index.cache_clear()
    if created and not kwargs.get("raw"):
        WorkingCalendar.objects.get_or_create(municipality=instance)
