"""The Django admin: catalogue, calendars, departments, staff; cases and audit read-only.

An interface like any other: it never changes a case itself (cases are read-only here and
worked through cases.actions). Superusers see every municipality; a staff member with the
admin role sees and configures only their own municipality.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from baladiyati.accounts.models import CitizenProfile, Role, StaffMembership, User
from baladiyati.cases.models import Case, CaseNote, CaseUpdate, ResponseTemplate
from baladiyati.cities.models import (
    Department,
    District,
    Holiday,
    Municipality,
    Service,
    ServiceGroup,
    ServiceQuestion,
    WorkingCalendar,
)
from baladiyati.core.models import AuditEvent
from baladiyati.notify.models import Delivery, MessageTemplate
from baladiyati.permits.models import Application as PermitApplication
from baladiyati.permits.models import DocumentType as PermitDocumentType
from baladiyati.permits.models import (
    FeeRule,
    Organisation,
    OrganisationMember,
    Permit,
    PermitType,
)


def admin_city_ids(request: HttpRequest) -> set[int] | None:
    """Municipalities the user administers; None means all (superuser)."""
    user = request.user
    if not user.is_active or not user.is_staff:
        return set()
    if user.is_superuser:
        return None
    cached = getattr(request, "_admin_city_ids", None)
    if cached is None:
        cached = set(
            StaffMembership.objects.active()
            .filter(user_id=user.pk, role=Role.ADMIN)
            .values_list("municipality_id", flat=True)
        )
        request._admin_city_ids = cached  # type: ignore[attr-defined]
    return cached


class MunicipalAdminPermissions:
    """Superusers, and staff with the admin role in some municipality, may use these pages.

    Which rows they see is decided by get_queryset (ScopedAdmin) or by the parent page
    (inlines), not by Django's per-model permissions.
    """

    def _allowed(self, request: HttpRequest) -> bool:
        ids = admin_city_ids(request)
        return ids is None or bool(ids)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)


class ScopedAdmin(MunicipalAdminPermissions, admin.ModelAdmin):
    """Rows of one municipality, reached through `municipality_path`."""

    municipality_path = "municipality"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_list_filter(self, request: HttpRequest) -> Any:
        # A filter listing every row of a related table would name the other tenants'
        # municipalities, departments and groups: offer only what this admin's rows use.
        filters = super().get_list_filter(request)
        if admin_city_ids(request) is None:
            return filters
        scoped: list[Any] = []
        for item in filters:
            if item == "municipality":
                continue
            field = self.model._meta.get_field(item) if isinstance(item, str) else None
            if field is not None and field.is_relation:
                scoped.append((item, admin.RelatedOnlyFieldListFilter))
            else:
                scoped.append(item)
        return scoped

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        ids = admin_city_ids(request)
        if ids is None:
            return qs
        return qs.filter(**{f"{self.municipality_path}__in": ids})

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        ids = admin_city_ids(request)
        if ids is not None:
            model = db_field.remote_field.model
            if model is Municipality:
                kwargs["queryset"] = Municipality.objects.filter(pk__in=ids)
            elif any(f.name == "municipality" for f in model._meta.get_fields()):
                kwargs["queryset"] = model._default_manager.filter(municipality__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdmin(ScopedAdmin):
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ScopedInline(MunicipalAdminPermissions):
    """Inline rows belong to the (scoped) parent object; the same people may edit them."""


@admin.register(Municipality)
class MunicipalityAdmin(ScopedAdmin):
    municipality_path = "pk"
    list_display = ["name_ar", "name_en", "slug", "code", "timezone", "contact_number", "is_active"]
    search_fields = ["name_ar", "name_en", "slug"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return admin_city_ids(request) is None

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return admin_city_ids(request) is None

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        ids = admin_city_ids(request)
        qs = Municipality.objects.all()
        return qs if ids is None else qs.filter(pk__in=ids)


@admin.register(District)
class DistrictAdmin(ScopedAdmin):
    list_display = ["name_ar", "name_en", "code", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name_ar", "name_en", "code"]


@admin.register(Department)
class DepartmentAdmin(ScopedAdmin):
    list_display = ["name_ar", "name_en", "code", "municipality", "is_active"]
    list_filter = ["municipality", "is_active"]
    search_fields = ["name_ar", "name_en", "code"]


@admin.register(ServiceGroup)
class ServiceGroupAdmin(ScopedAdmin):
    list_display = ["name_ar", "name_en", "code", "municipality", "order"]
    list_filter = ["municipality"]


class QuestionInline(ScopedInline, admin.StackedInline):
    model = ServiceQuestion
    extra = 0
    fields = [
        ("code", "datatype", "required", "variable", "order"),
        ("description_ar", "description_en"),
        ("datatype_description_ar", "datatype_description_en"),
        "values",
    ]


@admin.register(Service)
class ServiceAdmin(ScopedAdmin):
    list_display = ["code", "name_ar", "name_en", "group", "department", "sla_hours", "is_active"]
    list_filter = ["municipality", "is_active", "group", "department"]
    search_fields = ["code", "name_ar", "name_en", "keywords_ar", "keywords_en"]
    list_select_related = ["group", "department"]
    inlines = [QuestionInline]
    fieldsets = [
        (None, {"fields": ["municipality", "code", "group", "department", "is_active", "order"]}),
        (_("Names"), {"fields": [("name_ar", "name_en"), ("description_ar", "description_en")]}),
        (_("Search"), {"fields": [("keywords_ar", "keywords_en")]}),
        (
            _("Handling"),
            {"fields": ["sla_hours", "is_private", ("service_notice_ar", "service_notice_en")]},
        ),
    ]


class HolidayInline(ScopedInline, admin.TabularInline):
    model = Holiday
    extra = 1


@admin.register(WorkingCalendar)
class WorkingCalendarAdmin(ScopedAdmin):
    list_display = ["municipality", "day_start", "day_end", "weekend_days"]
    inlines = [HolidayInline]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # every municipality gets its calendar when it is created


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "phone", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email", "phone"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Preferences"), {"fields": ["phone", "preferred_language", "digit_preference"]}),
    )


@admin.register(StaffMembership)
class StaffMembershipAdmin(ScopedAdmin):
    list_display = ["user", "municipality", "role", "department", "is_active"]
    list_filter = ["municipality", "role", "is_active"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "municipality", "department"]
    autocomplete_fields = ["user"]


@admin.register(CitizenProfile)
class CitizenProfileAdmin(ScopedAdmin):
    municipality_path = "home_municipality"
    list_display = ["user", "home_municipality", "notify_by_sms", "notify_by_email"]
    list_select_related = ["user", "home_municipality"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class UpdateInline(ReadOnlyInline):
    model = CaseUpdate
    fields = ("created_at", "kind", "status", "close_reason", "message", "author")
    readonly_fields = ("created_at", "kind", "status", "close_reason", "message", "author")


class NoteInline(ReadOnlyInline):
    model = CaseNote
    fields = ("created_at", "text", "author")
    readonly_fields = ("created_at", "text", "author")


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "service",
        "status",
        "priority",
        "department",
        "district",
        "created_at",
        "due_at",
    ]
    list_filter = ["municipality", "status", "channel", "priority", "department"]
    search_fields = ["reference"]
    list_select_related = ["service", "department", "district"]
    date_hierarchy = "created_at"
    inlines = [UpdateInline, NoteInline]
    exclude = ["search_text"]
    show_full_result_count = False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    municipality_path = "municipality_id"
    list_display = ["created_at", "actor_label", "action", "object_label", "object_type"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_label", "actor_label", "action"]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        ids = admin_city_ids(request)
        qs = AuditEvent.objects.all()
        return qs if ids is None else qs.filter(municipality_id__in=ids)


@admin.register(MessageTemplate)
class MessageTemplateAdmin(ScopedAdmin):
    """Bilingual texts of notifications; an empty municipality is the installation default."""

    municipality_path = "municipality_id"
    list_display = ["event", "channel", "municipality_id", "subject_ar", "subject_en"]
    list_filter = ["event", "channel"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        ids = admin_city_ids(request)
        qs = MessageTemplate.objects.all()
        return qs if ids is None else qs.filter(Q(municipality_id__in=ids))


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(ScopedAdmin):
    """Staff's bilingual public replies; placeholders are checked on saving (model clean)."""

    list_display = ["name_ar", "name_en", "service", "status", "is_active"]
    list_filter = ["municipality", "is_active", "status", "service"]
    search_fields = ["name_ar", "name_en", "text_ar", "text_en"]
    list_select_related = ["service"]
    fields = [
        "municipality",
        ("service", "status"),
        ("name_ar", "name_en"),
        "text_ar",
        "text_en",
        "is_active",
    ]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    municipality_path = "municipality_id"
    list_display = ["created_at", "event", "channel", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "channel", "event"]
    exclude = ["to", "body"]  # personal data: the address and what was said to it
    show_full_result_count = False


# ---------------------------------------------------------------------------- building permits
# The catalogue (types, required documents, reviewing departments, fees) is configured here;
# applications and permits are read-only: they change through baladiyati.permits.actions.


class FeeRuleInline(ScopedInline, admin.TabularInline):
    model = FeeRule
    extra = 0


@admin.register(PermitType)
class PermitTypeAdmin(ScopedAdmin):
    list_display = ["code", "name_ar", "name_en", "kind", "target_working_days", "is_active"]
    list_filter = ["kind", "is_active", "municipality"]
    filter_horizontal = ["required_documents", "optional_documents", "review_departments"]
    inlines = [FeeRuleInline]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        ids = admin_city_ids(request)
        if ids is not None:
            kwargs["queryset"] = db_field.remote_field.model._default_manager.filter(
                municipality__in=ids
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(PermitDocumentType)
class PermitDocumentTypeAdmin(ScopedAdmin):
    list_display = ["code", "name_ar", "name_en", "formats", "order"]
    list_filter = ["municipality"]


class OrganisationMemberInline(admin.TabularInline):
    model = OrganisationMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Consultancy offices work across municipalities: superusers manage them."""

    list_display = ["name_ar", "name_en", "licence_number", "is_active"]
    search_fields = ["name_ar", "name_en", "licence_number"]
    inlines = [OrganisationMemberInline]


@admin.register(PermitApplication)
class PermitApplicationAdmin(ReadOnlyAdmin):
    list_display = ["reference", "permit_type", "status", "submitted_at", "complete_at"]
    list_filter = ["status", "municipality"]
    search_fields = ["reference", "plot_number"]
    list_select_related = ["permit_type"]


@admin.register(Permit)
class PermitAdmin(ReadOnlyAdmin):
    list_display = ["number", "issued_at", "valid_until", "working_days_to_issue", "renewals"]
    list_filter = ["municipality"]
    search_fields = ["number"]
