"""Building permits: catalogue, applications, documents, review rounds, fees, payments,
issued permits, inspections.

State changes go through `permits.actions` only (interfaces never save these models). The
application's life is an explicit state machine (`Status`, `TRANSITIONS`); a review round is
one per application at a time, which the database enforces (`one_active_round`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from baladiyati.cities.models import Department, District, Municipality
from baladiyati.core import clock
from baladiyati.core.models import BilingualNameMixin, TimeStampedModel

CURRENCY = "OMR"  # amounts are DecimalFields with three decimals (baisa)


def money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.001"))


# ---------------------------------------------------------------------------- catalogue


class Kind(models.TextChoices):
    NEW_MAJOR = "new_major", _("New building (major)")
    NEW_MINOR = "new_minor", _("New building (minor)")
    EXTENSION = "extension", _("Extension or modification")
    DEMOLITION = "demolition", _("Demolition")
    BOUNDARY_WALL = "boundary_wall", _("Boundary wall")
    RENEWAL = "renewal", _("Renewal")


# Validity of an issued permit, in months: a major permit two years, every other one year.
DEFAULT_VALIDITY_MONTHS = {Kind.NEW_MAJOR: 24}


class FileFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"
    DWG = "dwg", "DWG"


class DocumentType(BilingualNameMixin, models.Model):
    """A kind of document an application carries (site plan, title deed copy, drawings)."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="permit_document_types",
        verbose_name=_("municipality"),
    )
    code = models.SlugField(_("code"), max_length=50)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    formats = models.JSONField(
        _("accepted formats"),
        default=list,
        help_text=_("Any of: pdf, jpeg, png, dwg. Checked against the file's content."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("permit document type")
        verbose_name_plural = _("permit document types")
        ordering = ["municipality", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"], name="permit_doctype_code_per_city"
            )
        ]


class PermitTypeQuerySet(models.QuerySet["PermitType"]):
    def active(self) -> PermitTypeQuerySet:
        return self.filter(is_active=True)


class PermitType(BilingualNameMixin, TimeStampedModel):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="permit_types",
        verbose_name=_("municipality"),
    )
    code = models.SlugField(_("code"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    required_documents = models.ManyToManyField(
        DocumentType, blank=True, related_name="+", verbose_name=_("required documents")
    )
    # Documents an applicant may add to this type's application without being asked to.
    optional_documents = models.ManyToManyField(
        DocumentType, blank=True, related_name="+", verbose_name=_("optional documents")
    )
    review_departments = models.ManyToManyField(
        Department, blank=True, related_name="+", verbose_name=_("reviewing departments")
    )
    validity_months = models.PositiveSmallIntegerField(
        _("validity (months)"), null=True, blank=True, help_text=_("Empty: by kind.")
    )
    target_working_days = models.PositiveSmallIntegerField(
        _("target (working days)"), default=2, validators=[MinValueValidator(1)]
    )
    conditions_ar = models.TextField(_("standard conditions (Arabic)"), blank=True)
    conditions_en = models.TextField(_("standard conditions (English)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = PermitTypeQuerySet.as_manager()

    class Meta:
        verbose_name = _("permit type")
        verbose_name_plural = _("permit types")
        ordering = ["municipality", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"], name="permit_type_code_per_city"
            )
        ]

    @property
    def validity(self) -> int:
        return self.validity_months or DEFAULT_VALIDITY_MONTHS.get(self.kind, 12)  # type: ignore[call-overload]

    @property
    def is_major(self) -> bool:
        return self.kind == Kind.NEW_MAJOR

    def document_types(self) -> models.QuerySet[DocumentType]:
        """The document types an application of this type takes: the required ones and the
        optional ones, in the catalogue's order."""
        return DocumentType.objects.filter(
            models.Q(pk__in=self.required_documents.values("pk"))
            | models.Q(pk__in=self.optional_documents.values("pk"))
        ).order_by("order", "code")

    def fee(self, kind: str) -> Decimal:
        """This type's amount for a fee kind, else the installation's default."""
        for rule in self.fee_rules.all():
            if rule.kind == kind:
                return rule.amount
        return money(settings.PERMIT_DEFAULT_FEES[kind])


class FeeKind(models.TextChoices):
    APPLICATION = "application", _("Application fee")
    SERVICE = "service", _("Service fee")
    RESUBMISSION = "resubmission", _("Resubmission fee")
    RENEWAL = "renewal", _("Renewal fee")


class FeeRule(models.Model):
    permit_type = models.ForeignKey(
        PermitType, on_delete=models.CASCADE, related_name="fee_rules", verbose_name=_("type")
    )
    kind = models.CharField(_("fee"), max_length=20, choices=FeeKind.choices)
    amount = models.DecimalField(
        _("amount (OMR)"),
        max_digits=12,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("fee rule")
        verbose_name_plural = _("fee rules")
        constraints = [
            models.UniqueConstraint(fields=["permit_type", "kind"], name="one_fee_rule_per_kind"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="fee_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount} {CURRENCY}"


# ---------------------------------------------------------------------------- applicants


class Organisation(TimeStampedModel):
    """An engineering consultancy office; its members apply on behalf of owners."""

    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    licence_number = models.CharField(_("licence number"), max_length=50, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    members = models.ManyToManyField(  # type: ignore[var-annotated]
        settings.AUTH_USER_MODEL,
        through="OrganisationMember",
        related_name="organisations",
        verbose_name=_("members"),
    )

    class Meta:
        verbose_name = _("consultancy office")
        verbose_name_plural = _("consultancy offices")

    def __str__(self) -> str:
        return self.name_ar or self.name_en


class OrganisationMember(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("office member")
        verbose_name_plural = _("office members")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_office_membership")
        ]


# ---------------------------------------------------------------------------- applications


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    REJECTED = "rejected", _("Rejected")
    APPROVED = "approved", _("Approved, awaiting payment")
    ISSUED = "issued", _("Permit issued")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The only moves an application can make; every action checks it before writing.
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.IN_REVIEW, Status.WITHDRAWN},
    Status.IN_REVIEW: {Status.CHANGES_REQUESTED, Status.REJECTED, Status.APPROVED},
    Status.CHANGES_REQUESTED: {Status.IN_REVIEW, Status.WITHDRAWN},
    Status.REJECTED: set(),
    Status.APPROVED: {Status.ISSUED},
    Status.ISSUED: {Status.COMPLETED},
    Status.COMPLETED: set(),
    Status.WITHDRAWN: set(),
}
EDITABLE = {Status.DRAFT, Status.CHANGES_REQUESTED}


class LandUse(models.TextChoices):
    RESIDENTIAL = "residential", _("Residential")
    COMMERCIAL = "commercial", _("Commercial")
    MIXED = "mixed", _("Residential and commercial")
    INDUSTRIAL = "industrial", _("Industrial")
    AGRICULTURAL = "agricultural", _("Agricultural")
    GOVERNMENT = "government", _("Government and community")


class ApplicationQuerySet(models.QuerySet["Application"]):
    def visible_to(self, user: Any) -> ApplicationQuerySet:
        """What an applicant may open: theirs, and their active offices' applications."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            Q(owner=user)
            | Q(created_by=user)
            | Q(
                organisation__organisationmember__user=user,
                organisation__organisationmember__is_active=True,
            )
        ).distinct()


class Application(TimeStampedModel):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="permit_applications",
        verbose_name=_("municipality"),
    )
    reference = models.CharField(_("reference"), max_length=30)
    permit_type = models.ForeignKey(
        PermitType, on_delete=models.PROTECT, related_name="applications", verbose_name=_("type")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_permit_applications",
        verbose_name=_("owner"),
    )
    owner_name = models.CharField(_("owner's name"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("consultancy office"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    plot_number = models.CharField(_("plot number (Krooki)"), max_length=50, blank=True)
    title_deed_number = models.CharField(_("title deed number"), max_length=50, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayat"),
    )
    land_use = models.CharField(_("land use"), max_length=20, choices=LandUse.choices, blank=True)
    built_up_area = models.DecimalField(
        _("built-up area (m²)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)
    estimated_cost = models.DecimalField(
        _("estimated cost (OMR)"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    description = models.TextField(_("description of the work"), blank=True)
    submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    complete_at = models.DateTimeField(
        _("complete since"),
        null=True,
        blank=True,
        help_text=_("The submission that was approved: issue time is measured from here."),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    resubmissions = models.PositiveSmallIntegerField(_("resubmissions"), default=0)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("permit application")
        verbose_name_plural = _("permit applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "reference"], name="permit_application_ref"
            ),
            # Someone owns the building: an account, or a named owner an office acts for.
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | Q(organisation__isnull=False),
                name="application_has_owner_or_office",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "status"], name="permit_app_status")]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    def active_round(self) -> ReviewRound | None:
        return self.rounds.filter(is_active=True).first()


def document_path(instance: Document, filename: str) -> str:
    # The stored name never comes from the upload: names are unguessable, extension ours.
    import secrets

    return f"permits/{instance.application_id}/{secrets.token_hex(16)}.{instance.file_format}"


class Document(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    document_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("type")
    )
    file = models.FileField(_("file"), upload_to=document_path)
    file_format = models.CharField(_("format"), max_length=10, choices=FileFormat.choices)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=clock.now)
    round_number = models.PositiveSmallIntegerField(
        _("submitted with round"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("permit document")
        verbose_name_plural = _("permit documents")
        ordering = ["document_type__order", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


# ---------------------------------------------------------------------------- review


class ReviewRound(models.Model):
    """One pass of the application through its departments. One active at a time."""

    class Outcome(models.TextChoices):
        PENDING = "", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    is_active = models.BooleanField(_("active"), default=True)
    opened_at = models.DateTimeField(_("opened"), default=clock.now)
    due_at = models.DateTimeField(_("due"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default="", blank=True
    )
    # Set once by the overdue scan (permits.tasks) when it told the staff: never twice.
    overdue_notified_at = models.DateTimeField(_("overdue notice sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(is_active=True),
                name="one_active_round",
            ),
            models.UniqueConstraint(fields=["application", "number"], name="round_number_once"),
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(is_active=True, overdue_notified_at__isnull=True),
                name="permit_round_overdue",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}#{self.number}"


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")


class Review(models.Model):
    """One department's decision within a round.

    From the second round on, a department that approved in the previous round keeps its
    approval (`kept_from_round`); the others (those that asked for changes) review again.
    """

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="reviews")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    # A department that approved keeps its approval when the applicant resubmits: its review
    # of the new round is that approval, carried over (the round it was decided in is kept
    # here); only the departments that asked for changes review again.
    kept_from_round = models.PositiveSmallIntegerField(
        _("approval kept from round"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("department review")
        verbose_name_plural = _("department reviews")
        ordering = ["round", "department__code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "department"], name="one_review_per_dept")
        ]


class ReviewComment(models.Model):
    """A reviewer's remark, tied to a document or to the application; the applicant answers."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="comments")
    document = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), default=clock.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["created_at", "id"]


# ---------------------------------------------------------------------------- money


class Invoice(models.Model):
    """What the applicant owes: the permit's fees on approval (one per application), or a
    renewal's fee (one open at a time). Paying it issues, or renews, the permit."""

    class State(models.TextChoices):
        UNPAID = "unpaid", _("Unpaid")
        PAID = "paid", _("Paid")

    class Purpose(models.TextChoices):
        PERMIT = "permit", _("Permit fees")
        RENEWAL = "renewal", _("Renewal")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="invoices")
    purpose = models.CharField(
        _("for"), max_length=10, choices=Purpose.choices, default=Purpose.PERMIT
    )
    number = models.CharField(_("invoice number"), max_length=30, unique=True)
    lines = models.JSONField(_("lines"), default=list)  # [{"kind", "quantity", "amount"}]
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=3)
    currency = models.CharField(_("currency"), max_length=3, default=CURRENCY)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.UNPAID)
    created_at = models.DateTimeField(_("issued"), default=clock.now)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(purpose="permit"),
                name="one_permit_invoice",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(purpose="renewal", state="unpaid"),
                name="one_open_renewal_invoice",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class PaymentIntent(models.Model):
    """One attempt to pay an invoice at a gateway; its nonce is spent at most once."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="intents")
    gateway = models.CharField(max_length=30)
    nonce = models.CharField(max_length=64, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=3)
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(default=clock.now)
    spent_at = models.DateTimeField(null=True, blank=True)


class Payment(models.Model):
    """A payment the gateway confirmed. The transaction id is unique: a replay is refused."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    intent = models.OneToOneField(PaymentIntent, on_delete=models.PROTECT, related_name="payment")
    gateway = models.CharField(max_length=30)
    transaction_id = models.CharField(_("transaction"), max_length=100)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=3)
    currency = models.CharField(_("currency"), max_length=3)
    receipt_number = models.CharField(_("receipt number"), max_length=30, unique=True)
    paid_at = models.DateTimeField(_("paid"), default=clock.now)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "transaction_id"], name="payment_transaction_once"
            )
        ]


# ---------------------------------------------------------------------------- permits


class PermitQuerySet(models.QuerySet["Permit"]):
    def public(self) -> PermitQuerySet:
        return self.select_related(
            "application__permit_type", "application__district", "municipality"
        )


class Permit(models.Model):
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="permit")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="permits")
    number = models.CharField(_("permit number"), max_length=30, unique=True)
    issued_at = models.DateTimeField(_("issued"))
    valid_until = models.DateField(_("valid until"))
    conditions = models.TextField(_("conditions"), blank=True)
    token = models.CharField(max_length=64, unique=True)  # the key of /verify/<signed token>
    working_days_to_issue = models.DecimalField(
        _("working days from complete application to issue"), max_digits=7, decimal_places=2
    )
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)
    renewed_at = models.DateTimeField(_("last renewed"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completion certificate issued"), null=True, blank=True)
    completion_number = models.CharField(
        _("completion certificate number"), max_length=30, blank=True
    )

    objects = PermitQuerySet.as_manager()

    class Meta:
        verbose_name = _("permit")
        verbose_name_plural = _("permits")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["municipality", "issued_at"], name="permit_issued")]

    def __str__(self) -> str:
        return self.number

    def is_valid_on(self, day: dt.date) -> bool:
        return self.completed_at is None and day <= self.valid_until


class Slot(models.TextChoices):
    MORNING = "morning", _("Morning (07:30–10:30)")
    MIDDAY = "midday", _("Midday (10:30–14:30)")


class InspectionKind(models.TextChoices):
    FOUNDATION = "foundation", _("Foundations")
    STRUCTURE = "structure", _("Structure")
    FINAL = "final", _("Final")


class InspectionResult(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    PARTIAL = "partial", _("Partially passed")
    CANCELLED = "cancelled", _("Cancelled")


class Inspection(models.Model):
    permit = models.ForeignKey(Permit, on_delete=models.CASCADE, related_name="inspections")
    kind = models.CharField(_("inspection"), max_length=20, choices=InspectionKind.choices)
    scheduled_for = models.DateField(_("date"))
    slot = models.CharField(_("slot"), max_length=10, choices=Slot.choices)
    result = models.CharField(
        _("result"),
        max_length=10,
        choices=InspectionResult.choices,
        default=InspectionResult.SCHEDULED,
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=clock.now)
    inspected_at = models.DateTimeField(_("inspected"), null=True, blank=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["scheduled_for", "id"]


class SlotLoad(models.Model):
    """How many inspections are booked in one municipality's slot on one day.

    A booking takes a place with one conditional UPDATE (`booked < capacity`), so two
    bookings racing for the last place cannot both get it; a cancelled inspection gives its
    place back. The capacity is `settings.PERMIT_INSPECTION_SLOT_CAPACITY`, or the
    municipality's entry in `PERMIT_INSPECTION_SLOT_CAPACITY_BY_MUNICIPALITY` (slug → places).
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("date"))
    slot = models.CharField(_("slot"), max_length=10, choices=Slot.choices)
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)

    class Meta:
        verbose_name = _("inspection slot load")
        verbose_name_plural = _("inspection slot loads")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "day", "slot"], name="one_slot_load"),
            models.CheckConstraint(condition=Q(booked__gte=0), name="slot_load_not_negative"),
        ]


def slot_capacity(municipality: Municipality) -> int:
    by_city = getattr(settings, "PERMIT_INSPECTION_SLOT_CAPACITY_BY_MUNICIPALITY", {}) or {}
    return int(by_city.get(municipality.slug, settings.PERMIT_INSPECTION_SLOT_CAPACITY))


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="permits/inspections/%Y/%m/")
    created_at = models.DateTimeField(default=clock.now)
