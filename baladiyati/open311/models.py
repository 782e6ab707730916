from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from baladiyati.cities.models import Municipality
from baladiyati.core import clock

KEY_PREFIX = "b311_"


def hash_key(raw: str) -> str:
    # Keys are 256-bit random strings, so a plain SHA-256 is enough: nothing to brute-force.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def verify(self, raw: str | None) -> ApiKey | None:
        """The active key matching `raw`, or None."""
        if not raw or not raw.startswith(KEY_PREFIX) or len(raw) > 100:
            return None
        return self.filter(hashed=hash_key(raw), is_active=True).select_related("user").first()


class ApiKey(models.Model):
    """One per client application (a 311 app, a back-end system). Stored hashed only."""

    name = models.CharField(_("application"), max_length=200)
    prefix = models.CharField(_("key starts with"), max_length=16, editable=False)
    hashed = models.CharField(max_length=64, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_keys",
        verbose_name=_("municipality"),
        help_text=_("Leave empty for a key that works in every municipality."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_keys",
        verbose_name=_("acts as staff member"),
        help_text=_("A back-end system posting request updates acts as this staff member."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=clock.now)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def set_new_key(self, raw: str | None = None) -> str:
        """Give this key a new secret and return it; only its hash is kept.

        `raw` is for the demo's published key only; real keys are always random.
        """
        raw = raw or KEY_PREFIX + secrets.token_urlsafe(32)
        if not raw.startswith(KEY_PREFIX) or len(raw) > 100:
            raise ValueError(f"a key starts with {KEY_PREFIX} and has at most 100 characters")
        self.prefix = raw[:10]
        self.hashed = hash_key(raw)
        return raw

    def works_in(self, municipality: Municipality) -> bool:
        return self.is_active and (
            self.municipality_id is None or self.municipality_id == municipality.pk
        )
