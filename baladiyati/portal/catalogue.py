"""The report form's catalogue: a municipality's services, grouped, with their questions
rendered from the definitions (Open311 attributes), and the answers read back from a form.

Answer fields are named `a-<service code>-<question code>`, so the questions of every service
can sit in one form (the app shows only the chosen service's) without two services' codes
colliding; only the chosen service's answers are read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from baladiyati.cities.models import (
    LIST_DATATYPES,
    Datatype,
    Municipality,
    Service,
    ServiceQuestion,
    localized,
)

from .inputs import text, texts

KINDS = {
    Datatype.STRING: "string",
    Datatype.NUMBER: "number",
    Datatype.DATETIME: "datetime",
    Datatype.TEXT: "text",
    Datatype.SINGLE: "single",
    Datatype.MULTI: "multi",
}


@dataclass
class Choice:
    key: str
    name: str
    checked: bool


@dataclass
class QuestionField:
    code: str
    name: str
    kind: str
    label: str
    hint: str
    required: bool
    value: str = ""
    choices: list[Choice] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"f-{self.name}"


@dataclass
class ServiceItem:
    service: Service
    selected: bool
    questions: list[QuestionField]

    @property
    def code(self) -> str:
        return self.service.code


@dataclass
class GroupItem:
    name: str
    services: list[ServiceItem]


def answer_name(service_code: str, question_code: str) -> str:
    return f"a-{service_code}-{question_code}"


def services_of(municipality: Municipality) -> list[Service]:
    """Active services with their group and questions: two queries."""
    return list(
        Service.objects.of(municipality)
        .active()
        .select_related("group")
        .prefetch_related("questions")
        .order_by("group__order", "group__id", "order", "id")
    )


def read_answers(service: Service, data: QueryDict) -> dict[str, Any]:
    """The chosen service's answers from the posted form: lists for several-choice questions."""
    answers: dict[str, Any] = {}
    for question in service.questions.all():
        if not question.variable:
            continue
        name = answer_name(service.code, question.code)
        if question.datatype == Datatype.MULTI:
            values = [v for v in texts(data, name) if v.strip()]
            if values:
                answers[question.code] = values
        else:
            value = text(data, name)
            if value.strip():
                answers[question.code] = value
    return answers


def _field(
    service: Service,
    question: ServiceQuestion,
    data: QueryDict | None,
    errors: dict[str, list[str]],
    selected: bool,
) -> QuestionField:
    name = answer_name(service.code, question.code)
    kind = KINDS.get(Datatype(question.datatype), "string") if question.variable else "info"
    posted = data if (data is not None and selected) else None
    values = posted.getlist(name) if posted is not None else []
    choices = [
        Choice(
            key=item["key"],
            name=localized(_Item(item), "name"),
            checked=item["key"] in values,
        )
        for item in (question.values if question.datatype in LIST_DATATYPES else [])
    ]
    return QuestionField(
        code=question.code,
        name=name,
        kind=kind,
        label=question.description,
        hint=question.datatype_description,
        required=question.required and question.variable,
        value=values[0] if values and kind not in ("single", "multi") else "",
        choices=choices,
        errors=errors.get(f"attribute[{question.code}]", []) if selected else [],
    )


class _Item:
    def __init__(self, item: dict[str, str]) -> None:
        self.name_ar = item.get("name_ar", "")
        self.name_en = item.get("name_en", "")


def catalogue(
    services: list[Service],
    *,
    chosen: str = "",
    data: QueryDict | None = None,
    errors: dict[str, list[str]] | None = None,
) -> list[GroupItem]:
    """The services in their groups, each with its question fields (values and errors when
    re-showing a posted form)."""
    errors = errors or {}
    groups: dict[int, GroupItem] = {}
    for service in services:
        selected = service.code == chosen
        item = ServiceItem(
            service=service,
            selected=selected,
            questions=[_field(service, q, data, errors, selected) for q in service.questions.all()],
        )
        group = groups.setdefault(service.group_id, GroupItem(service.group.name, []))
        group.services.append(item)
    return list(groups.values())
