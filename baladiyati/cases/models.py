from __future__ import annotations

import datetime as dt
import math
import secrets
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import ExpressionWrapper, F, FloatField, Q, Value
from django.utils.translation import gettext_lazy as _

from baladiyati.cities.models import Department, District, Municipality, Service
from baladiyati.core import clock, geo
from baladiyati.core.models import TimeStampedModel


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    FIXED = "fixed", _("Fixed")
    CLOSED_NOT_FIXED = "closed_not_fixed", _("Closed without fixing")
    DUPLICATE = "duplicate", _("Duplicate")
    REOPENED = "reopened", _("Reopened")


OPEN_STATUSES = frozenset(
    {Status.SUBMITTED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.REOPENED}
)
CLOSED_STATUSES = frozenset({Status.FIXED, Status.CLOSED_NOT_FIXED, Status.DUPLICATE})
# A reporter may reopen these within CASE_REOPEN_DAYS; a duplicate is followed on its original.
REOPENABLE_STATUSES = frozenset({Status.FIXED, Status.CLOSED_NOT_FIXED})
CLOSINGS = frozenset({Status.FIXED, Status.CLOSED_NOT_FIXED, Status.DUPLICATE})

# The guarded transitions made by staff (do_transition_case). Reopening is its own action.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SUBMITTED: frozenset({Status.ACKNOWLEDGED, Status.IN_PROGRESS, *CLOSINGS}),
    Status.ACKNOWLEDGED: frozenset({Status.IN_PROGRESS, *CLOSINGS}),
    Status.IN_PROGRESS: CLOSINGS,
    Status.REOPENED: frozenset({Status.ACKNOWLEDGED, Status.IN_PROGRESS, *CLOSINGS}),
    Status.FIXED: frozenset(),
    Status.CLOSED_NOT_FIXED: frozenset(),
    Status.DUPLICATE: frozenset(),
}


class CloseReason(models.TextChoices):
    NOT_MUNICIPALITY = "not_municipality", _("Not the municipality's responsibility")
    NO_ACTION_NEEDED = "no_action_needed", _("No action needed")
    COULD_NOT_LOCATE = "could_not_locate", _("Could not locate the problem")


class Channel(models.TextChoices):
    APP = "app", _("Mobile app")
    WEB = "web", _("Website")
    OPEN311 = "open311", _("Open311 client")
    REST = "rest", _("REST API")
    PHONE = "phone", _("Phone (1111)")
    COUNTER = "counter", _("Service counter")


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")


def new_tracking_token() -> str:
    return secrets.token_urlsafe(24)


class CaseQuerySet(models.QuerySet["Case"]):
    def of(self, municipality: Municipality | int) -> CaseQuerySet:
        return self.filter(municipality=municipality)

    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def closed(self) -> CaseQuerySet:
        return self.filter(status__in=CLOSED_STATUSES)

    def overdue(self, at: dt.datetime | None = None) -> CaseQuerySet:
        return self.open().filter(due_at__lt=at or clock.now())

    def awaiting_citizen(self) -> CaseQuerySet:
        """Open cases whose SLA clock is stopped until the citizen answers."""
        return self.open().filter(sla_paused_at__isnull=False)

    def breached(self) -> CaseQuerySet:
        """Cases that missed their deadline (flagged by the periodic scan, cases.tasks)."""
        return self.filter(breached_at__isnull=False)

    def escalated(self) -> CaseQuerySet:
        """Open cases escalated to the supervisors on breach."""
        return self.open().filter(escalated_at__isnull=False)

    def sla_check_due(self, at: dt.datetime | None = None) -> CaseQuerySet:
        """Cases the periodic scan must look at now (warning or breach time reached).

        `sla_next_check_at` is kept by the actions (cases.sla): empty when closed, paused or
        already breached, so the scan reads only what is due through `case_sla_check`.
        """
        return self.filter(sla_next_check_at__lte=at or clock.now())

    def public(self) -> CaseQuerySet:
        """What may be published: neither private nor hidden by moderation."""
        return self.filter(is_private=False, is_hidden=False)

    def reported_by(self, user: Any) -> CaseQuerySet:
        return self.filter(reporter=user)

    def followed_by(self, user: Any) -> CaseQuerySet:
        """Cases the user reported or follows ("my requests")."""
        return self.filter(Q(reporter=user) | Q(followers__user=user)).distinct()

    def near(self, lat: float, lon: float, radius_m: float) -> CaseQuerySet:
        """Within `radius_m` metres: an index-friendly box, then an equirectangular distance.

        Plain arithmetic so SQLite (no trigonometry) and PostgreSQL agree; the cosine is
        taken once at the centre, well under 1% off for radii up to tens of kilometres.
        """
        lat_min, lon_min, lat_max, lon_max = geo.bbox_around(lat, lon, radius_m)
        k_lon = geo.METRES_PER_DEGREE * math.cos(math.radians(lat))
        dlat = (F("lat") - Value(lat)) * Value(geo.METRES_PER_DEGREE)
        dlon = (F("lon") - Value(lon)) * Value(k_lon)
        return (
            self.filter(lat__gte=lat_min, lat__lte=lat_max, lon__gte=lon_min, lon__lte=lon_max)
            .annotate(
                distance2=ExpressionWrapper(dlat * dlat + dlon * dlon, output_field=FloatField())
            )
            .filter(distance2__lte=radius_m**2)
        )

    def similar_open(
        self, service: Service, lat: float, lon: float, radius_m: float = 50
    ) -> CaseQuerySet:
        """Published open cases of the same service nearby: "is this your problem too?"."""
        return (
            self.filter(municipality_id=service.municipality_id, service=service)
            .open()
            .public()
            .near(lat, lon, radius_m)
            .order_by("distance2", "-created_at")
        )


class Case(TimeStampedModel):
    """A service request: a problem a citizen reports, worked by a department to closure."""

    # No index of its own on the municipality, the assignee or the reporter: the composite
    # indexes below lead with them, and every index is upkeep for each submission and import
    # (docs/benchmarks.md).
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("municipality"),
        db_index=False,
    )
    reference = models.CharField(_("reference"), max_length=24, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="cases", verbose_name=_("service")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    close_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=CloseReason.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    description = models.TextField(_("description"), blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)

    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    h3_cell = models.CharField(_("H3 cell"), max_length=16)
    district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("wilayat"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="cases", verbose_name=_("department")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assignee"),
        db_index=False,  # case_assignee leads with it
    )

    # The reporter: an account, or contact details given anonymously. Never published.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_cases",
        verbose_name=_("reporter"),
        db_index=False,  # case_reporter leads with it
    )
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=16, blank=True)
    tracking_token = models.CharField(
        max_length=40, unique=True, default=new_tracking_token, editable=False
    )

    is_private = models.BooleanField(_("private"), default=False)
    is_hidden = models.BooleanField(_("hidden by moderation"), default=False)

    due_at = models.DateTimeField(_("due"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    # SLA on the working calendar (cases.sla). All nullable, like the import fields below, so
    # adding them is a plain ALTER TABLE and bulk inserts (cases.bulk) need not name them.
    # The clock starts on submit and again on each reopen; it stops while the case awaits
    # the citizen, and `due_at` and `sla_warn_at` move later by the working time paused.
    sla_started_at = models.DateTimeField(_("SLA clock started"), null=True, blank=True)
    sla_warn_at = models.DateTimeField(_("warning time"), null=True, blank=True)
    sla_paused_at = models.DateTimeField(_("awaiting the citizen since"), null=True, blank=True)
    sla_paused_seconds = models.PositiveIntegerField(
        _("working time paused (seconds)"), null=True, blank=True
    )
    sla_warned_at = models.DateTimeField(_("deadline warning sent"), null=True, blank=True)
    breached_at = models.DateTimeField(_("deadline missed"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    # When the periodic scan must next look at the case (warning, then due time); empty when
    # closed, paused or breached. Maintained by cases.sla, read through `case_sla_check`.
    sla_next_check_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The language an anonymous reporter used, for their messages (accounts have their own).
    contact_language = models.CharField(max_length=2, null=True, blank=True, editable=False)

    media_url = models.URLField(_("media link"), max_length=500, blank=True, db_default="")
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, editable=False)
    device_id = models.CharField(max_length=100, blank=True, editable=False)
    # Fingerprint of what a device sent, so a resend within a day returns the first case.
    submission_hash = models.CharField(max_length=64, blank=True, editable=False, db_default="")
    search_text = models.TextField(blank=True, editable=False)
    # A case imported from another Open311 server (import_open311): that server's name, as
    # given to the import, and the request's id there; imported once (case_external_once).
    # Nullable so that adding them is a plain ALTER TABLE, not a rewrite of a large table.
    external_source = models.CharField(max_length=100, null=True, blank=True, editable=False)
    external_id = models.CharField(max_length=100, null=True, blank=True, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "reference"], name="case_reference_unique"
            ),
            models.UniqueConstraint(
                fields=["municipality", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="case_idempotency_unique",
            ),
            models.UniqueConstraint(
                fields=["municipality", "external_source", "external_id"],
                condition=Q(external_id__isnull=False),
                name="case_external_once",
            ),
            # Fixed, closed-not-fixed and duplicate are never conflated.
            models.CheckConstraint(
                condition=Q(status="closed_not_fixed", close_reason__gt="")
                | (~Q(status="closed_not_fixed") & Q(close_reason="")),
                name="case_close_reason_iff_closed_not_fixed",
            ),
            models.CheckConstraint(
                condition=Q(status="duplicate", duplicate_of__isnull=False)
                | (~Q(status="duplicate") & Q(duplicate_of__isnull=True)),
                name="case_duplicate_of_iff_duplicate",
            ),
        ]
        indexes = [
            # The back-office inbox: open cases by due time, for the city or a department.
            # Time before status, so that the page is read in order with the status checked
            # in the index: with status first, each open status is a range of its own, and
            # every open case is sorted for a page of fifty (docs/benchmarks.md).
            models.Index(fields=["municipality", "due_at", "status"], name="case_inbox"),
            models.Index(
                fields=["municipality", "department", "due_at", "status"], name="case_department"
            ),
            models.Index(fields=["municipality", "service", "created_at"], name="case_service"),
            models.Index(fields=["municipality", "created_at"], name="case_created"),
            models.Index(
                fields=["municipality", "status", "created_at"], name="case_status_created"
            ),
            # Not partial: SQLite uses a partial index only when the query repeats its condition,
            # and the resend lookup (device_id = %s) does not.
            models.Index(
                fields=["municipality", "device_id", "submission_hash"], name="case_device_resend"
            ),
            models.Index(fields=["municipality", "updated_at"], name="case_updated"),
            models.Index(fields=["municipality", "lat", "lon"], name="case_location"),
            models.Index(fields=["h3_cell"], name="case_h3"),
            models.Index(fields=["reporter", "created_at"], name="case_reporter"),
            # A person's cases ("Mine", and the foreign key's SET_NULL on deleting a user)
            # and the inbox's "Unassigned" count: assignee IS NULL, municipality, the open
            # statuses and (for a clerk) the department all seek in the index, which covers
            # the count. Without them SQLite (no statistics) counted unassigned cases through
            # case_status_created or case_department, reading every open case's row for its
            # assignee (docs/benchmarks.md).
            models.Index(
                fields=["assignee", "municipality", "status", "department"], name="case_assignee"
            ),
            # A person's history by contact details, newest first (back office: the 1111
            # screen as the number is typed, Citizen 360's look-up; backoffice/people.py).
            # Not partial, as case_device_resend: the look-ups do not repeat a condition.
            models.Index(
                fields=["municipality", "contact_phone", "created_at"], name="case_contact_phone"
            ),
            models.Index(
                fields=["municipality", "contact_email", "created_at"], name="case_contact_email"
            ),
            # The periodic SLA scan (cases.tasks.scan_deadlines): only cases with a check ahead.
            models.Index(
                fields=["sla_next_check_at"],
                condition=Q(sla_next_check_at__isnull=False),
                name="case_sla_check",
            ),
            # Back-office filters "escalated" and "awaiting the citizen": few rows each.
            models.Index(
                fields=["municipality", "escalated_at"],
                condition=Q(escalated_at__isnull=False),
                name="case_escalated",
            ),
            models.Index(
                fields=["municipality", "sla_paused_at"],
                condition=Q(sla_paused_at__isnull=False),
                name="case_awaiting",
            ),
            # Published cases as Open311 lists them (open311/views.py): every list filter and
            # the newest-first order are in the index, so counting and paging never read the
            # table. The condition is CaseQuerySet.public(), repeated by every such query.
            models.Index(
                fields=[
                    "municipality",
                    "created_at",
                    "status",
                    "service",
                    "lat",
                    "lon",
                    "updated_at",
                ],
                condition=Q(is_private=False, is_hidden=False),
                name="case_public_created",
            ),
            # Status before time: counting a service's open cases seeks each status's range
            # (a filter by service alone names every status: published.py).
            models.Index(
                fields=["municipality", "service", "status", "created_at"],
                condition=Q(is_private=False, is_hidden=False),
                name="case_public_service",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, at: dt.datetime | None = None) -> bool:
        return self.is_open and self.due_at < (at or clock.now())

    @property
    def is_awaiting_citizen(self) -> bool:
        return self.is_open and self.sla_paused_at is not None

    @property
    def is_breached(self) -> bool:
        return self.breached_at is not None

    @property
    def is_escalated(self) -> bool:
        return self.is_open and self.escalated_at is not None


class CaseUpdate(models.Model):
    """A public entry on the case's timeline (status change, staff reply, reopen)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        STATUS = "status", _("Status changed")
        REPLY = "reply", _("Reply")
        REOPENED = "reopened", _("Reopened")
        ASSIGNED = "assigned", _("Assigned")
        # The SLA clock stops while the municipality waits for the citizen's answer.
        AWAITING = "awaiting", _("Waiting for the citizen")
        RESUMED = "resumed", _("Work resumed")

    # No index of its own: case_update_timeline (case, created_at) leads with it.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="updates", db_index=False)
    created_at = models.DateTimeField(_("time"), default=clock.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    close_reason = models.CharField(max_length=20, choices=CloseReason.choices, blank=True)
    message = models.TextField(_("message"), blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    # The id a back-end system gave this update (Open311 update_id): a resend is ignored.
    external_id = models.CharField(max_length=100, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("case update")
        verbose_name_plural = _("case updates")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["case", "created_at"], name="case_update_timeline"),
            models.Index(fields=["created_at"], name="case_update_created"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "external_id"],
                condition=Q(external_id__isnull=False),
                name="case_update_external_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.status}"


class CaseNote(models.Model):
    """An internal note, seen only by staff who may read the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    created_at = models.DateTimeField(_("time"), default=clock.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"))

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:50]


def photo_path(instance: CasePhoto, filename: str) -> str:
    """Where a case's photo is stored: by city and month, under a random name. Not by the
    case's reference: a submission writes its photos before its transaction (which gives the
    reference), so that no writer waits for files being written (cases/actions.py)."""
    month = (instance.created_at or clock.now()).strftime("%Y/%m")  # in UTC
    return f"cases/{instance.case.municipality_id}/{month}/{secrets.token_hex(16)}.jpg"


class CasePhoto(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("photo"), upload_to=photo_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=clock.now)
    uploaded_by_staff = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.image.name


class CaseFollower(models.Model):
    """Someone told of the case's progress: its reporter, or "this is my problem too".

    A signed-in follower is a user; someone without an account leaves a phone or an email
    (never published), or nothing at all and is only counted.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    contact_email = models.EmailField(blank=True, db_default="")
    contact_phone = models.CharField(max_length=16, blank=True, db_default="")
    contact_language = models.CharField(max_length=2, null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="follow_once")]

    def __str__(self) -> str:
        return f"{self.user_id or 'anonymous'} → {self.case_id}"


class Rating(models.IntegerChoices):
    UNHAPPY = 1, _("Unhappy")
    NEUTRAL = 2, _("Neutral")
    HAPPY = 3, _("Happy")


class CaseRating(models.Model):
    """The reporter's three-face happiness rating of one closure of the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="ratings")
    closure = models.PositiveSmallIntegerField(
        help_text="case.reopen_count when rated: one rating per closure"
    )
    score = models.PositiveSmallIntegerField(
        _("rating"), choices=Rating.choices, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["case", "closure"], name="rate_each_closure_once"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=3), name="rating_1_to_3"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.score}"


class AreaSubscription(models.Model):
    """Someone told of every new published case in an area: a wilayat, or a circle.

    A signed-in subscriber is a user; someone without an account leaves a phone or an email.
    Matched on submit (cases.subscriptions.match): the bounding box of a circle is stored so
    the database narrows the candidates before the exact distance is checked.
    """

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="area_subscriptions",
        verbose_name=_("municipality"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="area_subscriptions",
        verbose_name=_("user"),
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=16, blank=True)
    contact_language = models.CharField(_("language"), max_length=2, blank=True)
    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayat"),
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    radius_m = models.PositiveIntegerField(_("radius (metres)"), null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True, editable=False)
    max_lat = models.FloatField(null=True, blank=True, editable=False)
    min_lon = models.FloatField(null=True, blank=True, editable=False)
    max_lon = models.FloatField(null=True, blank=True, editable=False)
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=clock.now)

    class Meta:
        verbose_name = _("area subscription")
        verbose_name_plural = _("area subscriptions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(district__isnull=False, lat__isnull=True, radius_m__isnull=True)
                | Q(
                    district__isnull=True,
                    lat__isnull=False,
                    lon__isnull=False,
                    radius_m__isnull=False,
                    min_lat__isnull=False,
                ),
                name="area_is_wilayat_or_circle",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(contact_email="") | ~Q(contact_phone=""),
                name="area_subscriber_reachable",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "district"], name="area_sub_district"),
            models.Index(fields=["municipality", "min_lat", "max_lat"], name="area_sub_box"),
            models.Index(fields=["user"], name="area_sub_user"),
        ]

    def __str__(self) -> str:
        where = (
            str(self.district) if self.district_id else f"{self.lat},{self.lon} ±{self.radius_m} m"
        )
        return f"{self.user_id or self.contact_email or self.contact_phone} · {where}"


class ResponseTemplate(TimeStampedModel):
    """A bilingual public reply staff start from, per municipality, service and status.

    The texts take placeholders in braces — {reference}, {service}, {status}, {due_date},
    {citizen_name}, {municipality}, {wilayat} — filled by cases.responses.render_response in
    the citizen's language. An empty service or status fits every service or status.
    """

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="response_templates",
        verbose_name=_("municipality"),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="response_templates",
        verbose_name=_("service"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    text_ar = models.TextField(_("text (Arabic)"))
    text_en = models.TextField(_("text (English)"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")
        ordering = ["name_ar", "id"]
        indexes = [
            models.Index(fields=["municipality", "is_active"], name="response_template_city"),
        ]

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        english = (get_language() or "ar")[:2] == "en"
        return (self.name_en if english else self.name_ar) or self.name_ar

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from .responses import check_text

        errors: dict[str, Any] = {}
        for field in ("text_ar", "text_en"):
            try:
                check_text(getattr(self, field) or "")
            except ValidationError as exc:
                errors[field] = exc.messages
        service = self.service if self.service_id else None
        if service is not None and service.municipality_id != self.municipality_id:
            errors["service"] = [_("The service belongs to another municipality.")]
        if errors:
            raise ValidationError(errors)
