from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from baladiyati.cities.models import Department, Municipality
from baladiyati.core import clock
from baladiyati.core.models import TimeStampedModel

from .phones import validate_e164


class Language(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    ENGLISH = "en", _("English")


class Digits(models.TextChoices):
    # Blank: not chosen yet, so the page's language decides (٠١٢ in Arabic, 012 in English).
    FOLLOW_LANGUAGE = "", _("As the language is read")
    ARABIC_INDIC = "arab", _("Arabic-Indic (٠١٢٣)")
    WESTERN = "latn", _("Western (0123)")


class User(AbstractUser):
    """Everyone who signs in: citizens, consultants, staff. Custom from the first migration."""

    phone = models.CharField(
        _("mobile phone"),
        max_length=16,
        blank=True,
        null=True,
        unique=True,
        validators=[validate_e164],
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.ARABIC
    )
    digit_preference = models.CharField(
        _("digits"),
        max_length=4,
        choices=Digits.choices,
        default=Digits.FOLLOW_LANGUAGE,
        blank=True,
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def membership(self, municipality_id: int) -> StaffMembership | None:
        """This user's active staff membership in a municipality (cached per instance)."""
        cache: dict[int, StaffMembership | None] = self.__dict__.setdefault("_memberships", {})
        if municipality_id not in cache:
            cache[municipality_id] = (
                StaffMembership.objects.filter(
                    user=self, municipality_id=municipality_id, is_active=True
                )
                .select_related("department")
                .first()
            )
        return cache[municipality_id]


class CitizenProfile(TimeStampedModel):
    """What a resident tells us about how to reach them."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="citizen_profile", verbose_name=_("user")
    )
    home_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home municipality"),
    )
    notify_by_sms = models.BooleanField(_("SMS updates"), default=True)
    notify_by_email = models.BooleanField(_("email updates"), default=True)

    class Meta:
        verbose_name = _("citizen profile")
        verbose_name_plural = _("citizen profiles")

    def __str__(self) -> str:
        return str(self.user)


class Role(models.TextChoices):
    AGENT = "agent", _("Contact centre agent (1111)")
    CLERK = "clerk", _("Department clerk")
    SUPERVISOR = "supervisor", _("Supervisor")
    PERMIT_REVIEWER = "permit_reviewer", _("Permit reviewer")
    ADMIN = "admin", _("Administrator")


class StaffMembershipQuerySet(models.QuerySet["StaffMembership"]):
    def active(self) -> StaffMembershipQuerySet:
        return self.filter(is_active=True)


class StaffMembership(TimeStampedModel):
    """A staff member's place in one municipality: role and, for clerks, department."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="staff", verbose_name=_("municipality")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("department"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)

    objects = StaffMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality"], name="one_membership_per_city"
            ),
            models.CheckConstraint(
                condition=~models.Q(role="clerk") | models.Q(department__isnull=False),
                name="clerk_has_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.municipality}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.role == Role.CLERK and not self.department_id:
            raise ValidationError({"department": _("A clerk belongs to a department.")})
        department = self.department if self.department_id else None
        if department is not None and department.municipality_id != self.municipality_id:
            raise ValidationError(
                {"department": _("The department belongs to another municipality.")}
            )


class OneTimeCodeQuerySet(models.QuerySet["OneTimeCode"]):
    def live(self, destination: str, at: Any) -> OneTimeCodeQuerySet:
        return self.filter(destination=destination, used_at__isnull=True, expires_at__gt=at)


class OneTimeCode(models.Model):
    """A short-lived sign-in code sent to a phone (SMS) or an email address.

    Only a keyed hash of the code is stored; the code itself exists in memory while it is
    sent (accounts.signals.login_code_issued → notify delivers it).
    """

    destination = models.CharField(_("sent to"), max_length=254, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), default=clock.now)
    expires_at = models.DateTimeField(_("expires"))
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    objects = OneTimeCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.destination} {self.created_at:%Y-%m-%d %H:%M}"
