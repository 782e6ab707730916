"""Checking a citizen's answers against a service's question definitions (Open311 attributes).

Every interface passes answers as {code: value}; strings arrive from forms and Open311,
lists for multi-value questions. The result is what is stored on the case: numbers as JSON
numbers, datetimes as ISO 8601 with offset, choices as their keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from baladiyati.core.text import to_ascii_digits

from .models import Datatype, ServiceQuestion

MAX_ANSWER_LENGTH = {Datatype.STRING: 500, Datatype.TEXT: 4000}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _number(question: ServiceQuestion, raw: Any) -> int | float:
    try:
        number = Decimal(to_ascii_digits(str(raw)).strip())
    except InvalidOperation:
        raise ValidationError(
            _("“%(question)s” must be a number.") % {"question": question.description},
            code="invalid_number",
        ) from None
    if not number.is_finite() or abs(number) > Decimal("1e12"):
        raise ValidationError(
            _("“%(question)s” must be a number.") % {"question": question.description},
            code="invalid_number",
        )
    as_int = int(number)
    return as_int if number == as_int else float(number)


def _datetime(question: ServiceQuestion, raw: Any, tz: dt.tzinfo) -> str:
    text = to_ascii_digits(str(raw)).strip()
    try:
        parsed = parse_datetime(text)
        if parsed is None:
            day = parse_date(text)
            if day is not None:
                parsed = dt.datetime.combine(day, dt.time.min)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError(
            _("“%(question)s” must be a date (YYYY-MM-DD) or a date and time.")
            % {"question": question.description},
            code="invalid_datetime",
        )
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=tz)
    return parsed.isoformat()


def _choices(question: ServiceQuestion, raw: Any) -> list[str]:
    values = raw if isinstance(raw, list | tuple) else [raw]
    allowed = {item["key"] for item in question.values}
    keys = [str(v).strip() for v in values if not _blank(v)]
    unknown = [k for k in keys if k not in allowed]
    if unknown:
        raise ValidationError(
            _("“%(value)s” is not one of the choices for “%(question)s”.")
            % {"value": unknown[0][:50], "question": question.description},
            code="invalid_choice",
        )
    return list(dict.fromkeys(keys))


def clean_answers(
    questions: Iterable[ServiceQuestion], answers: Mapping[str, Any], tz: dt.tzinfo
) -> dict[str, Any]:
    """Validated answers, or ValidationError {code: [message]} naming every problem.

    Answers to unknown codes are refused, so that a typo in a client is seen, not dropped.
    Information-only questions (variable=False) are never required and their answers are
    dropped: Open311 clients may echo every attribute they were shown.
    """
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    questions = list(questions)
    known = {q.code for q in questions}
    questions = [q for q in questions if q.variable]
    for code in answers:
        if code not in known:
            errors[str(code)[:50]] = [
                _("This service has no question “%(code)s”.") % {"code": str(code)[:50]}
            ]
    for question in questions:
        raw = answers.get(question.code)
        if _blank(raw):
            if question.required:
                errors[question.code] = [
                    _("Please answer “%(question)s”.") % {"question": question.description}
                ]
            continue
        try:
            if question.datatype == Datatype.NUMBER:
                if isinstance(raw, list):
                    raw = raw[0]
                value: Any = _number(question, raw)
            elif question.datatype == Datatype.DATETIME:
                value = _datetime(question, raw[0] if isinstance(raw, list) else raw, tz)
            elif question.datatype == Datatype.SINGLE:
                keys = _choices(question, raw)
                if len(keys) != 1:
                    raise ValidationError(
                        _("Choose one answer for “%(question)s”.")
                        % {"question": question.description},
                        code="one_choice",
                    )
                value = keys[0]
            elif question.datatype == Datatype.MULTI:
                value = _choices(question, raw)
                if not value and question.required:
                    raise ValidationError(
                        _("Please answer “%(question)s”.") % {"question": question.description}
                    )
            else:
                value = str(raw[0] if isinstance(raw, list) else raw).strip()
                limit = MAX_ANSWER_LENGTH[Datatype(question.datatype)]
                if len(value) > limit:
                    raise ValidationError(
                        _("“%(question)s” is longer than %(limit)d characters.")
                        % {"question": question.description, "limit": limit},
                        code="too_long",
                    )
        except ValidationError as exc:
            errors[question.code] = list(exc.messages)
            continue
        cleaned[question.code] = value
    if errors:
        raise ValidationError(errors)
    return cleaned
