"""A municipality's default permit catalogue: reviewing departments, document types, the
six permit types and their fees. Idempotent (get_or_create): the demo and a new city's setup
call it; an administrator then edits the rows in the admin."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction

from baladiyati.cities.models import Department, Municipality

from .models import DocumentType, FeeKind, FeeRule, Kind, PermitType

DEPARTMENTS = [
    ("planning", "التخطيط العمراني", "Urban planning"),
    ("structural", "الإنشاءات", "Structural engineering"),
    ("civil_defence", "الدفاع المدني", "Civil defence"),
    ("environment", "البيئة", "Environment"),
]
DOCUMENTS = [
    ("krooki", "الكروكي (مخطط الأرض)", "Krooki (plot sketch)", ["pdf", "jpeg", "png"]),
    ("title_deed", "سند الملكية", "Title deed", ["pdf", "jpeg", "png"]),
    ("owner_id", "البطاقة الشخصية للمالك", "Owner's ID card", ["pdf", "jpeg", "png"]),
    ("architectural", "المخططات المعمارية", "Architectural drawings", ["pdf", "dwg"]),
    ("structural", "المخططات الإنشائية", "Structural drawings", ["pdf", "dwg"]),
    ("civil_defence", "مخططات الدفاع المدني", "Fire safety drawings", ["pdf", "dwg"]),
    ("existing_permit", "الرخصة السابقة", "Existing permit", ["pdf", "jpeg", "png"]),
]
# code, kind, Arabic, English, documents, departments
TYPES: list[tuple[str, str, str, str, list[str], list[str]]] = [
    (
        "new-major",
        Kind.NEW_MAJOR,
        "بناء جديد (رئيسي)",
        "New building (major)",
        ["krooki", "title_deed", "owner_id", "architectural", "structural", "civil_defence"],
        ["planning", "structural", "civil_defence", "environment"],
    ),
    (
        "new-minor",
        Kind.NEW_MINOR,
        "بناء جديد (ثانوي)",
        "New building (minor)",
        ["krooki", "title_deed", "owner_id", "architectural"],
        ["planning", "structural"],
    ),
    (
        "extension",
        Kind.EXTENSION,
        "توسعة أو تعديل",
        "Extension or modification",
        ["krooki", "title_deed", "existing_permit", "architectural", "structural"],
        ["planning", "structural"],
    ),
    (
        "demolition",
        Kind.DEMOLITION,
        "هدم",
        "Demolition",
        ["krooki", "title_deed", "owner_id"],
        ["planning", "environment"],
    ),
    (
        "boundary-wall",
        Kind.BOUNDARY_WALL,
        "سور",
        "Boundary wall",
        ["krooki", "title_deed"],
        ["planning"],
    ),
    (
        "renewal",
        Kind.RENEWAL,
        "تجديد رخصة",
        "Permit renewal",
        ["existing_permit"],
        ["planning"],
    ),
]
CONDITIONS_AR = "الالتزام بالمخططات المعتمدة وبالارتدادات، ووضع لوحة الرخصة في الموقع."
CONDITIONS_EN = "Build as approved, keep the setbacks, and display the permit board on site."


def install_default_catalogue(
    municipality: Municipality, *, fees: dict[str, Any] | None = None
) -> list[PermitType]:
    """Create what is missing of the default catalogue; `fees` ({kind: amount}) overrides
    the installation's default amounts (settings.PERMIT_DEFAULT_FEES) for every type."""
    amounts = {**settings.PERMIT_DEFAULT_FEES, **(fees or {})}
    with transaction.atomic():
        departments = {}
        for code, ar, en in DEPARTMENTS:
            departments[code], _ = Department.objects.get_or_create(
                municipality=municipality, code=code, defaults={"name_ar": ar, "name_en": en}
            )
        documents = {}
        for index, (code, ar, en, formats) in enumerate(DOCUMENTS):
            documents[code], _ = DocumentType.objects.get_or_create(
                municipality=municipality,
                code=code,
                defaults={"name_ar": ar, "name_en": en, "formats": formats, "order": index},
            )
        types = []
        for code, kind, ar, en, docs, depts in TYPES:
            permit_type, created = PermitType.objects.get_or_create(
                municipality=municipality,
                code=code,
                defaults={
                    "kind": kind,
                    "name_ar": ar,
                    "name_en": en,
                    "conditions_ar": CONDITIONS_AR,
                    "conditions_en": CONDITIONS_EN,
                },
            )
            if created:
                permit_type.required_documents.set([documents[d] for d in docs])
                permit_type.review_departments.set([departments[d] for d in depts])
                FeeRule.objects.bulk_create(
                    FeeRule(permit_type=permit_type, kind=k, amount=Decimal(str(amounts[k])))
                    for k in FeeKind.values
                )
            types.append(permit_type)
    return types
