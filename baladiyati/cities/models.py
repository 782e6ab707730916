from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from baladiyati.core import geo
from baladiyati.core.models import BilingualNameMixin, TimeStampedModel
from baladiyati.core.text import search_terms

from .calendar import WorkingTime


def validate_polygon(value: Any) -> None:
    problem = geo.polygon_problem(value)
    if problem:
        raise ValidationError(
            _("The boundary must be a valid GeoJSON polygon (%(problem)s)."),
            code="invalid_polygon",
            params={"problem": problem},
        )


def validate_timezone(value: str) -> None:
    if value not in _timezones():
        raise ValidationError(_("Unknown time zone."), code="invalid_timezone")


@lru_cache(maxsize=1)
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def localized(obj: Any, field: str) -> str:
    """`obj.<field>_en` when English is active, `obj.<field>_ar` otherwise, either as fallback."""
    lang = (get_language() or "ar")[:2]
    ar, en = getattr(obj, f"{field}_ar", ""), getattr(obj, f"{field}_en", "")
    return (en if lang == "en" else ar) or ar or en


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def active(self) -> MunicipalityQuerySet:
        return self.filter(is_active=True)

    def containing(self, lat: float, lon: float) -> Municipality | None:
        """The active municipality whose boundary covers the point, if any."""
        for municipality in self.active().order_by("id"):
            if municipality.contains(lat, lon):
                return municipality
        return None


@dataclass(frozen=True)
class _GeoIndex:
    boundary: Any
    districts: tuple[tuple[int, Any], ...]


class Municipality(BilingualNameMixin, TimeStampedModel):
    """A tenant: one city on the installation, with its own catalogue, staff and figures."""

    slug = models.SlugField(
        _("slug"), max_length=50, unique=True, help_text=_("Used as the Open311 jurisdiction_id.")
    )
    code = models.CharField(
        _("reference prefix"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,5}$", _("Two to five capital Latin letters."))],
        help_text=_("Starts every case reference, e.g. MCT-2026-000123."),
    )
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Muscat", validators=[validate_timezone]
    )
    boundary = models.JSONField(
        _("boundary"),
        validators=[validate_polygon],
        help_text=_("GeoJSON Polygon or MultiPolygon."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="OMR")
    currency_decimals = models.PositiveSmallIntegerField(_("currency decimals"), default=3)
    contact_number = models.CharField(_("contact centre number"), max_length=20, default="1111")
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["id"]

    @property
    def zoneinfo(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def _geo_index(self) -> _GeoIndex:
        # Keyed by updated_at: saving a district touches its municipality (signals.py),
        # so every process rebuilds its prepared geometries after any boundary edit.
        return _build_geo_index(self.pk, self.updated_at, geo.digest(self.boundary))

    def contains(self, lat: float, lon: float) -> bool:
        if not geo.valid_coordinates(lat, lon):
            return False
        return geo.contains(self._geo_index().boundary, lat, lon)

    def district_at(self, lat: float, lon: float) -> int | None:
        """The id of the district that covers the point, or None."""
        if not geo.valid_coordinates(lat, lon):
            return None
        for district_id, prepared in self._geo_index().districts:
            if geo.contains(prepared, lat, lon):
                return district_id
        return None


@lru_cache(maxsize=64)
def _build_geo_index(pk: int, version: dt.datetime, boundary_digest: str) -> _GeoIndex:
    municipality = Municipality.objects.only("boundary").get(pk=pk)
    districts = tuple(
        (d.pk, geo.prepare(d.boundary))
        for d in District.objects.filter(municipality_id=pk)
        .only("boundary")
        .order_by("order", "id")
    )
    return _GeoIndex(geo.prepare(municipality.boundary), districts)


class District(BilingualNameMixin, TimeStampedModel):
    """A wilayat (or smaller area) of a municipality."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="districts",
        verbose_name=_("municipality"),
    )
    code = models.SlugField(_("code"), max_length=50)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    boundary = models.JSONField(_("boundary"), validators=[validate_polygon])
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("district (wilayat)")
        verbose_name_plural = _("districts (wilayats)")
        ordering = ["municipality", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="district_code_unique")
        ]


class Department(BilingualNameMixin, TimeStampedModel):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="departments",
        verbose_name=_("municipality"),
    )
    code = models.SlugField(_("code"), max_length=50)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["municipality", "id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="department_code_unique")
        ]


class ServiceGroup(BilingualNameMixin, models.Model):
    """The Open311 `group` of services, bilingual."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="service_groups",
        verbose_name=_("municipality"),
    )
    code = models.SlugField(_("code"), max_length=50)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("service group")
        verbose_name_plural = _("service groups")
        ordering = ["municipality", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"], name="service_group_code_unique"
            )
        ]


class ServiceQuerySet(models.QuerySet["Service"]):
    def active(self) -> ServiceQuerySet:
        return self.filter(is_active=True)

    def of(self, municipality: Municipality) -> ServiceQuerySet:
        return self.filter(municipality=municipality)

    def search(self, text: str) -> ServiceQuerySet:
        """Services whose names or keywords hold every word typed, in Arabic or English.

        Both sides go through `search_terms` (ة/ه, أ/إ/آ/ا, ى/ي, diacritics, light stemming),
        and each typed word may be the start of a word ("حف" finds "حفرة").
        """
        qs = self
        for term in search_terms(text).split():
            qs = qs.filter(Q(search_text__startswith=term) | Q(search_text__contains=f" {term}"))
        return qs


class Service(BilingualNameMixin, TimeStampedModel):
    """A request type citizens can file (Open311 service), owned by a department."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="services",
        verbose_name=_("municipality"),
    )
    code = models.SlugField(_("code"), max_length=50, help_text=_("The Open311 service_code."))
    group = models.ForeignKey(
        ServiceGroup, on_delete=models.PROTECT, related_name="services", verbose_name=_("group")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="services", verbose_name=_("department")
    )
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    keywords_ar = models.CharField(_("keywords (Arabic)"), max_length=500, blank=True)
    keywords_en = models.CharField(_("keywords (English)"), max_length=500, blank=True)
    service_notice_ar = models.CharField(_("notice (Arabic)"), max_length=500, blank=True)
    service_notice_en = models.CharField(_("notice (English)"), max_length=500, blank=True)
    sla_hours = models.PositiveIntegerField(
        _("SLA (working hours)"), validators=[MinValueValidator(1)], default=24
    )
    is_private = models.BooleanField(
        _("private requests"),
        default=False,
        help_text=_(
            "Requests of this service are never published (e.g. complaints about a person)."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    search_text = models.TextField(editable=False, blank=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["municipality", "group__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="service_code_unique")
        ]
        indexes = [models.Index(fields=["municipality", "is_active"], name="service_active")]

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def service_notice(self) -> str:
        return localized(self, "service_notice")

    def clean(self) -> None:
        errors = {}
        if (
            self.group_id
            and self.municipality_id
            and self.group.municipality_id != self.municipality_id
        ):
            errors["group"] = _("The group belongs to another municipality.")
        if (
            self.department_id
            and self.municipality_id
            and self.department.municipality_id != self.municipality_id
        ):
            errors["department"] = _("The department belongs to another municipality.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = search_terms(
            self.name_ar, self.name_en, self.keywords_ar, self.keywords_en, self.code
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


class Datatype(models.TextChoices):
    STRING = "string", _("Short text")
    NUMBER = "number", _("Number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLE = "singlevaluelist", _("One choice")
    MULTI = "multivaluelist", _("Several choices")


LIST_DATATYPES = {Datatype.SINGLE, Datatype.MULTI}


def validate_choices(value: Any) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Choices must be a list."), code="invalid_choices")
    keys = set()
    for item in value:
        if not (
            isinstance(item, dict)
            and isinstance(item.get("key"), str)
            and item["key"].strip()
            and (item.get("name_ar") or item.get("name_en"))
        ):
            raise ValidationError(
                _("Each choice needs a key and an Arabic or English name."), code="invalid_choices"
            )
        if item["key"] in keys:
            raise ValidationError(
                _("Choice key %(key)s appears twice."),
                code="invalid_choices",
                params={"key": item["key"]},
            )
        keys.add(item["key"])


class ServiceQuestion(models.Model):
    """A question asked when filing a service: an Open311 attribute definition."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="questions", verbose_name=_("service")
    )
    code = models.SlugField(_("code"), max_length=50)
    variable = models.BooleanField(
        _("answered by the citizen"), default=True, help_text=_("Off for information-only text.")
    )
    datatype = models.CharField(_("type"), max_length=20, choices=Datatype.choices)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description_ar = models.CharField(_("question (Arabic)"), max_length=500)
    description_en = models.CharField(_("question (English)"), max_length=500)
    datatype_description_ar = models.CharField(_("hint (Arabic)"), max_length=300, blank=True)
    datatype_description_en = models.CharField(_("hint (English)"), max_length=300, blank=True)
    values = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        validators=[validate_choices],
        help_text=_('For choice questions: [{"key": "small", "name_ar": "…", "name_en": "…"}]'),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["service", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="question_code_unique")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def datatype_description(self) -> str:
        return localized(self, "datatype_description")

    def choice_name(self, key: str) -> str:
        for item in self.values:
            if item["key"] == key:
                return localized(_Names(item), "name")
        return key

    def clean(self) -> None:
        if self.datatype in LIST_DATATYPES and not self.values:
            raise ValidationError({"values": _("A choice question needs at least one choice.")})
        if self.datatype not in LIST_DATATYPES and self.values:
            raise ValidationError({"values": _("Only choice questions have choices.")})


class _Names:
    def __init__(self, item: dict[str, str]) -> None:
        self.name_ar = item.get("name_ar", "")
        self.name_en = item.get("name_en", "")


def default_weekend() -> list[int]:
    return [4, 5]  # Friday and Saturday (date.weekday()), Oman's weekend since 2013.


def validate_weekend(value: Any) -> None:
    if (
        not isinstance(value, list)
        or not all(isinstance(d, int) and 0 <= d <= 6 for d in value)
        or len(set(value)) >= 7
    ):
        raise ValidationError(
            _(
                "Weekend days are numbers from 0 (Monday) to 6 (Sunday), "
                "leaving at least one working day."
            ),
            code="invalid_weekend",
        )


class WorkingCalendar(TimeStampedModel):
    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="calendar",
        verbose_name=_("municipality"),
    )
    weekend_days = models.JSONField(
        _("weekend days"),
        default=default_weekend,
        validators=[validate_weekend],
        help_text=_("0 = Monday … 4 = Friday, 5 = Saturday, 6 = Sunday."),
    )
    day_start = models.TimeField(_("working day starts"), default=dt.time(7, 30))
    day_end = models.TimeField(_("working day ends"), default=dt.time(14, 30))

    class Meta:
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendars")

    def __str__(self) -> str:
        return str(self.municipality)

    def clean(self) -> None:
        if self.day_start and self.day_end and self.day_end <= self.day_start:
            raise ValidationError({"day_end": _("The working day must end after it starts.")})

    def engine(self) -> WorkingTime:
        """The pure calendar, cached per process until this calendar or a holiday changes."""
        return _engine(self.pk, self.updated_at)


@lru_cache(maxsize=64)
def _engine(pk: int, version: dt.datetime) -> WorkingTime:
    calendar = WorkingCalendar.objects.select_related("municipality").get(pk=pk)
    return WorkingTime(
        tz=ZoneInfo(calendar.municipality.timezone),
        weekend=frozenset(calendar.weekend_days),
        holidays=frozenset(calendar.holidays.values_list("date", flat=True)),
        day_start=calendar.day_start,
        day_end=calendar.day_end,
    )


class Holiday(BilingualNameMixin, models.Model):
    calendar = models.ForeignKey(
        WorkingCalendar,
        on_delete=models.CASCADE,
        related_name="holidays",
        verbose_name=_("calendar"),
    )
    date = models.DateField(_("date"))
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["calendar", "date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="holiday_date_unique")
        ]
