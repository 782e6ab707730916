"""The public register as open data, in BLDS 1.2 field names and status values.

BLDS (Building & Land Development Specification, permitdata.org) defines a core permits
dataset and an optional inspections dataset linked by `PermitNum`. Only what the public
register shows is published: no owner, applicant, office member or inspector name, no
contact details. Dates are YYYY-MM-DD in the municipality's time zone.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import translation

from .models import Inspection, InspectionResult, Invoice, Kind, LandUse, Permit, Status

PERMIT_FIELDS = [
    "PermitNum",
    "Description",
    "AppliedDate",
    "IssuedDate",
    "CompletedDate",
    "StatusCurrent",
    "StatusCurrentMapped",
    "OriginalAddress1",
    "OriginalCity",
    "OriginalState",
    "Jurisdiction",
    "PermitClass",
    "PermitClassMapped",
    "WorkClass",
    "WorkClassMapped",
    "PermitType",
    "PermitTypeMapped",
    "PermitTypeDesc",
    "StatusDate",
    "TotalSqFt",
    "Latitude",
    "Longitude",
    "EstProjectCost",
    "PIN",
    "ProposedUse",
    "ExpiresDate",
    "COIssuedDate",
    "Publisher",
    "Fee",
]
INSPECTION_FIELDS = [
    "PermitNum",
    "InspType",
    "InspTypeMapped",
    "Result",
    "ResultMapped",
    "ScheduledDate",
    "InspectedDate",
    "InspectionNotes",
    "Final",
    "ScheduledTime",
]

STATUS_MAPPED = {
    Status.ISSUED: "Permit Issued",
    Status.COMPLETED: "Permit Finaled",
}
WORK_CLASS = {
    Kind.NEW_MAJOR: ("New", "New"),
    Kind.NEW_MINOR: ("New", "New"),
    Kind.EXTENSION: ("Extension/Modification", "Existing"),
    Kind.DEMOLITION: ("Demolition", "Existing"),
    Kind.BOUNDARY_WALL: ("Boundary wall", "New"),
    Kind.RENEWAL: ("Renewal", "Existing"),
}
PERMIT_TYPE_MAPPED = {Kind.DEMOLITION: "Demolition", Kind.BOUNDARY_WALL: "Fence"}
RESULT_MAPPED = {
    InspectionResult.PASSED: "Passed",
    InspectionResult.FAILED: "Rejected",
    InspectionResult.PARTIAL: "Partial",
    InspectionResult.CANCELLED: "Cancelled",
}
SQ_FT_PER_M2 = 10.7639
SQ_M = 1


def _day(value: Any, zone: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "astimezone"):
        value = value.astimezone(zone).date()
    return value.isoformat()


def permit_row(permit: Permit) -> dict[str, Any]:
    application = permit.application
    permit_type = application.permit_type
    municipality = permit.municipality
    zone = municipality.zoneinfo
    status = STATUS_MAPPED.get(application.status, "Permit Issued")  # type: ignore[call-overload]
    residential = application.land_use == LandUse.RESIDENTIAL
    work_class, work_class_mapped = WORK_CLASS[permit_type.kind]  # type: ignore[index]
    area = application.built_up_area
    return {
        "PermitNum": permit.number,
        "Description": application.description,
        "AppliedDate": _day(application.submitted_at, zone),
        "IssuedDate": _day(permit.issued_at, zone),
        "CompletedDate": _day(permit.completed_at, zone),
        "StatusCurrent": Status(application.status).label,
        "StatusCurrentMapped": status,
        "OriginalAddress1": application.district.name_en if application.district else "",
        "OriginalCity": municipality.name_en,
        "OriginalState": "OM",
        "Jurisdiction": municipality.code,
        "PermitClass": LandUse(application.land_use).label if application.land_use else "",
        "PermitClassMapped": "Residential" if residential else "Non-Residential",
        "WorkClass": work_class,
        "WorkClassMapped": work_class_mapped,
        "PermitType": permit_type.code,
        "PermitTypeMapped": PERMIT_TYPE_MAPPED.get(permit_type.kind, "Building"),  # type: ignore[call-overload]
        "PermitTypeDesc": permit_type.name_en or permit_type.name_ar,
        "StatusDate": _day(permit.completed_at or permit.issued_at, zone),
        "TotalSqFt": round(float(area) * SQ_FT_PER_M2) if area is not None else "",
        "Latitude": round(application.lat, 5) if application.lat is not None else "",
        "Longitude": round(application.lon, 5) if application.lon is not None else "",
        "EstProjectCost": str(application.estimated_cost or ""),
        "PIN": application.plot_number,
        "ProposedUse": LandUse(application.land_use).label if application.land_use else "",
        "ExpiresDate": permit.valid_until.isoformat(),
        "COIssuedDate": _day(permit.completed_at, zone),
        "Publisher": municipality.name_en,
        "Fee": _permit_fee(application),
    }


def _permit_fee(application: Any) -> str:
    """The permit's fees (the approval invoice; renewals are not the permit's fee)."""
    invoices = getattr(application, "permit_invoices", None)
    if invoices is None:
        invoices = list(application.invoices.filter(purpose=Invoice.Purpose.PERMIT))
    return str(invoices[0].total) if invoices else ""


def inspection_row(inspection: Inspection) -> dict[str, Any]:
    zone = inspection.permit.municipality.zoneinfo
    return {
        "PermitNum": inspection.permit.number,
        "InspType": inspection.kind,
        "InspTypeMapped": inspection.get_kind_display(),
        "Result": inspection.get_result_display(),
        "ResultMapped": RESULT_MAPPED.get(inspection.result, ""),  # type: ignore[call-overload]
        "ScheduledDate": inspection.scheduled_for.isoformat(),
        "InspectedDate": _day(inspection.inspected_at, zone),
        "InspectionNotes": inspection.notes,
        "Final": "Yes" if inspection.kind == "final" else "No",
        "ScheduledTime": inspection.get_slot_display(),
    }


def published_permits(municipality: Any = None) -> QuerySet[Permit]:
    permits = (
        Permit.objects.public()
        .prefetch_related(
            Prefetch(
                "application__invoices",
                queryset=Invoice.objects.filter(purpose=Invoice.Purpose.PERMIT),
                to_attr="permit_invoices",
            )
        )
        .order_by("id")
    )
    return permits.filter(municipality=municipality) if municipality is not None else permits


def published_inspections(municipality: Any = None) -> QuerySet[Inspection]:
    rows = Inspection.objects.select_related("permit__municipality").order_by("id")
    return rows.filter(permit__municipality=municipality) if municipality is not None else rows


def rows(dataset: str, municipality: Any = None) -> Iterator[dict[str, Any]]:
    """The dataset's rows; raw labels in English, whatever the request's language, so the
    published values do not change with who downloads them."""
    with translation.override("en"):
        if dataset == "permits":
            for permit in published_permits(municipality).iterator(chunk_size=500):
                yield {k: _plain(v) for k, v in permit_row(permit).items()}
        else:
            for inspection in published_inspections(municipality).iterator(chunk_size=500):
                yield {k: _plain(v) for k, v in inspection_row(inspection).items()}


def _plain(value: Any) -> Any:
    return value if isinstance(value, int | float) else str(value)


def fields(dataset: str) -> list[str]:
    return PERMIT_FIELDS if dataset == "permits" else INSPECTION_FIELDS


def as_csv(dataset: str, municipality: Any = None) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields(dataset), lineterminator="\n")
    writer.writeheader()
    for row in rows(dataset, municipality):
        writer.writerow(row)
    return out.getvalue()


def as_json(dataset: str, municipality: Any = None) -> str:
    return json.dumps(list(rows(dataset, municipality)), ensure_ascii=False, indent=1)
