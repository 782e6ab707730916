"""Bilingual response templates for staff's public replies.

A template's text names placeholders in braces — `{reference}`, `{service}`, `{status}`,
`{due_date}`, `{citizen_name}`, `{municipality}`, `{wilayat}` — filled in the citizen's
language. Only those plain names are accepted: no attribute or index lookups, conversions or
format specs (`{reference.__class__}`, `{service!r}`, `{due_date:>99999}`), so a template
can never reach into an object or blow up a reply. A literal brace is written doubled
(`{{`, `}}`). A bad template is refused when saved (ResponseTemplate.clean) and, should one
reach rendering anyway, `render_response` raises a translated ValidationError instead of
crashing the page.
"""

from __future__ import annotations

import string
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case as Choose
from django.db.models import IntegerField, Q, Value, When
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Case, ResponseTemplate, Status

PLACEHOLDERS = {
    "reference": gettext_lazy("the request's reference"),
    "service": gettext_lazy("the service"),
    "status": gettext_lazy("the request's status"),
    "due_date": gettext_lazy("the due date"),
    "citizen_name": gettext_lazy("the citizen's name"),
    "municipality": gettext_lazy("the municipality"),
    "wilayat": gettext_lazy("the wilayat"),
}

_FORMATTER = string.Formatter()


def placeholders_in(text: str) -> list[str]:
    """The placeholders `text` names, in order; ValidationError when it is malformed/unsafe."""
    try:
        parsed = list(_FORMATTER.parse(text))
    except ValueError as exc:
        raise ValidationError(
            _("The template has an unmatched brace: write {{ or }} for a brace itself."),
            code="malformed",
        ) from exc
    names = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            raise ValidationError(
                _("Unknown placeholder {%(name)s}. Use one of: %(known)s.")
                % {
                    "name": name
                    + (f"!{conversion}" if conversion else "")
                    + (f":{spec}" if spec else ""),
                    "known": ", ".join(f"{{{p}}}" for p in PLACEHOLDERS),
                },
                code="unknown_placeholder",
            )
        names.append(name)
    return names


def check_text(text: str) -> None:
    """Raise ValidationError unless `text` is a valid template text."""
    placeholders_in(text)


def citizen_language(case: Case) -> str:
    """The language the citizen reads: their account's, else the one they reported in."""
    if case.reporter_id and case.reporter is not None:
        language = case.reporter.preferred_language or "ar"
    else:
        language = case.contact_language or "ar"
    return language if language in ("ar", "en") else "ar"


def _values(case: Case, language: str) -> dict[str, str]:
    with translation.override(language):
        english = language == "en"
        reporter = case.reporter if case.reporter_id else None
        name = ""
        if reporter is not None:
            name = reporter.get_full_name() or reporter.first_name
        name = name or case.contact_name

        def named(obj: Any) -> str:
            if obj is None:
                return ""
            return (obj.name_en if english else obj.name_ar) or obj.name_ar

        due = case.due_at.astimezone(case.municipality.zoneinfo).strftime("%Y-%m-%d")
        return {
            "reference": case.reference,
            "service": named(case.service),
            "status": str(Status(case.status).label),
            "due_date": due,
            "citizen_name": name,
            "municipality": named(case.municipality),
            "wilayat": named(case.district) if case.district_id else "",
        }


def render_response(template: ResponseTemplate, case: Case, language: str | None = None) -> str:
    """The template's text for `case` in `language` (default: the citizen's), as plain text.

    Raises ValidationError (code `unknown_placeholder` or `malformed`) for a bad template
    and for a template of another municipality (code `tenant`).
    """
    if template.municipality_id != case.municipality_id:
        raise ValidationError(_("This template belongs to another municipality."), code="tenant")
    language = language if language in ("ar", "en") else citizen_language(case)
    text = (template.text_en if language == "en" else template.text_ar) or template.text_ar
    placeholders_in(text)  # validated before any value is formatted
    return text.format(**_values(case, language)).strip()


def templates_for(case: Case) -> Any:
    """Active templates that fit the case, the most specific (service and status) first."""
    return (
        ResponseTemplate.objects.filter(municipality_id=case.municipality_id, is_active=True)
        .filter(Q(service__isnull=True) | Q(service_id=case.service_id))
        .filter(Q(status="") | Q(status=case.status))
        .annotate(
            specificity=Choose(
                When(service__isnull=False, status__gt="", then=Value(3)),
                When(service__isnull=False, then=Value(2)),
                When(status__gt="", then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-specificity", "name_ar", "id")
    )


# A few defaults for a new municipality (the demo seeds them; an admin edits them).
DEFAULTS: list[dict[str, str]] = [
    {
        "status": "acknowledged",
        "name_ar": "استلام وبدء المراجعة",
        "name_en": "Received and under review",
        "text_ar": "مرحباً {citizen_name}، استلمنا بلاغك {reference} ({service}) ويعمل عليه "
        "القسم المختص. الموعد المتوقع للمعالجة: {due_date}.",
        "text_en": "Hello {citizen_name}, we received your request {reference} ({service}) "
        "and the department is working on it. Expected by {due_date}.",
    },
    {
        "status": "",
        "name_ar": "طلب معلومات إضافية",
        "name_en": "More information needed",
        "text_ar": "مرحباً {citizen_name}، نحتاج إلى مزيد من التفاصيل عن موقع البلاغ "
        "{reference} في {wilayat}. يرجى إرسال صورة أو وصف أدق.",
        "text_en": "Hello {citizen_name}, we need more details about the location of "
        "request {reference} in {wilayat}. Please send a photo or a closer description.",
    },
    {
        "status": "fixed",
        "name_ar": "تمت المعالجة",
        "name_en": "Fixed",
        "text_ar": "تمت معالجة بلاغك {reference} ({service}). شكراً لمساهمتك في خدمة "
        "{municipality}.",
        "text_en": "Your request {reference} ({service}) has been fixed. Thank you for "
        "helping {municipality}.",
    },
]


def create_defaults(municipality: Any) -> int:
    """Add the default templates a municipality lacks (by English name); the number added."""
    existing = set(
        ResponseTemplate.objects.filter(municipality=municipality).values_list("name_en", flat=True)
    )
    added = [
        ResponseTemplate(municipality=municipality, **d)
        for d in DEFAULTS
        if d["name_en"] not in existing
    ]
    ResponseTemplate.objects.bulk_create(added)
    return len(added)
