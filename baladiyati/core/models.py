from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connections, models, router
from django.utils.translation import gettext_lazy as _

from baladiyati.core import clock


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=clock.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            self.updated_at = clock.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)


class BilingualNameMixin:
    """Models with `name_ar` / `name_en` show the name in the active language."""

    name_ar: str
    name_en: str

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        lang = (get_language() or "ar")[:2]
        return (self.name_en if lang == "en" else self.name_ar) or self.name_ar or self.name_en

    def __str__(self) -> str:
        return self.name


class Counter(models.Model):
    """Gap-free named counters (case references per municipality and year, permit numbers).

    `allocate` increments inside the caller's transaction: on PostgreSQL the row stays locked
    until commit, on SQLite the IMMEDIATE transaction already holds the write lock.
    """

    name = models.CharField(max_length=100, unique=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"

    @classmethod
    def allocate(cls, name: str, count: int = 1) -> range:
        """Reserve `count` consecutive numbers under `name`; returns them as a range."""
        if count < 1:
            raise ValueError("count must be positive")
        # One statement, increment and read (SQLite 3.35+ and PostgreSQL have RETURNING): every
        # submission allocates a reference, and the ORM's update-then-select took two.
        connection = connections[router.db_for_write(cls)]
        table = connection.ops.quote_name(cls._meta.db_table)
        sql = f'UPDATE {table} SET "value" = "value" + %s WHERE "name" = %s RETURNING "value"'  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [count, name])
            row = cursor.fetchone()
            if row is None:  # the first number under this name
                cls.objects.get_or_create(name=name)
                cursor.execute(sql, [count, name])
                row = cursor.fetchone()
        last = int(row[0])
        return range(last - count + 1, last + 1)


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def for_object(self, obj: models.Model) -> AuditEventQuerySet:
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))

    # The trail is append-only: bulk edits and deletes are refused like single ones.
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit events are never edited.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are never deleted.")


class AuditEvent(models.Model):
    """Who did what, to which object, when, with the fields before and after.

    Rows are written once by `baladiyati.core.audit.record` and never edited or deleted
    (save refuses updates, delete refuses). `municipality_id` is a plain indexed integer so
    that core depends on no other package of ours; it carries the tenant all the same.
    """

    created_at = models.DateTimeField(_("time"), default=clock.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor label"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    municipality_id = models.BigIntegerField(_("municipality"), null=True, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    extra = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "created_at"], name="audit_object"),
            models.Index(fields=["municipality_id", "created_at"], name="audit_municipality"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise PermissionError("Audit events are never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("Audit events are never deleted.")
