"""Open311 GeoReport v2 under /open311/v2/: read and write, XML and JSON.

Views parse and render only; creating and updating requests goes through cases.actions.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import translation
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from baladiyati.cases.models import Case, CaseUpdate
from baladiyati.cities.models import Municipality, Service, ServiceQuestion
from baladiyati.core import clock

from . import lookups, params, published, serializers
from .formats import respond
from .params import Open311Error, bad

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
FORMATS = ("xml", "json")


# ---------------------------------------------------------------------------- plumbing


def _language(request: HttpRequest) -> str:
    """locale=ar|en, else the first Arabic or English in Accept-Language, else Arabic."""
    # The query string only: reading a POST body here would raise outside the error handling.
    wanted = request.GET.get("locale", "").strip().lower()[:2]
    if wanted in ("ar", "en"):
        return wanted
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in ("ar", "en"):
            return code
    return settings.LANGUAGE_CODE


def _errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    body = [{"code": status, "description": d} for d in descriptions]
    return respond(fmt, "errors", body, status=status)


def endpoint(*methods: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Format check, language, allowed methods, and spec errors instead of exceptions."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            with translation.override(_language(request)):
                if fmt not in FORMATS:
                    return _errors("xml", 404, [_("Use the .xml or .json format.")])
                if "%00" in request.META.get("QUERY_STRING", "") or any(
                    "\x00" in str(value) for value in kwargs.values()
                ):
                    # No id or filter value holds a NUL byte (and PostgreSQL refuses them).
                    return _errors(fmt, 400, [_("The request could not be read.")])
                if request.method not in methods:
                    response = _errors(fmt, 405, [_("This method is not allowed here.")])
                    response["Allow"] = ", ".join(methods)
                    return response
                try:
                    response = view(request, fmt, **kwargs)
                except Open311Error as exc:
                    return _errors(fmt, exc.status, [exc.description])
                except ValidationError as exc:
                    return _errors(fmt, 400, _validation_messages(exc))
                except PermissionDenied as exc:
                    return _errors(fmt, 403, [str(exc) or _("Not allowed.")])
                except SuspiciousOperation:
                    # Oversized bodies, too many fields, malformed multipart.
                    return _errors(fmt, 400, [_("The request could not be read.")])
                response["Content-Language"] = translation.get_language() or "ar"
                return response

        return wrapper

    return decorate


def _validation_messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [
            f"{field}: {message}"
            for field, errors in exc.message_dict.items()
            for message in errors
        ]
    return list(exc.messages)


def _municipality(request: HttpRequest, data: QueryDict | None = None) -> Municipality:
    """The jurisdiction: required once more than one municipality is hosted."""
    data = data if data is not None else request.GET
    slug = params.text(data, "jurisdiction_id", 50)
    # With its working calendar: a submission computes its due time from it.
    if slug:
        municipality = lookups.municipality(slug)
        if municipality is None:
            raise Open311Error(404, _("Unknown jurisdiction_id “%(id)s”.") % {"id": slug})
        return municipality
    candidates = list(Municipality.objects.active().select_related("calendar")[:2])
    if len(candidates) != 1:
        raise bad(_("jurisdiction_id is required: this server hosts several municipalities."))
    return candidates[0]


# ---------------------------------------------------------------------------- discovery


@endpoint("GET", "HEAD")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri("/open311/v2/")
    body = {
        "changeset": "2026-11-25T00:00:00+04:00",
        "contact": _("Baladiyati Open311 — write to the municipality's contact centre."),
        "key_service": _("API keys are issued by each municipality's administrator."),
        "endpoints": [
            {
                "specification": SPEC_URL,
                "url": base,
                "changeset": "2026-11-25T00:00:00+04:00",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(fmt, "discovery", body)


# ---------------------------------------------------------------------------- services


@endpoint("GET", "HEAD")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    municipality = _municipality(request)
    rows = list(
        Service.objects.of(municipality)
        .active()
        .select_related("group")
        .annotate(question_count=Count("questions", filter=Q(questions__variable=True)))
        .order_by("group__order", "order", "id")
    )
    response = respond(fmt, "services", [serializers.service_dict(s) for s in rows])
    return _conditional(request, response, max((s.updated_at for s in rows), default=None))


def _conditional(request: HttpRequest, response: HttpResponse, last_modified: Any) -> HttpResponse:
    """ETag from the body itself (so any catalogue change shows), 304 when it matches."""
    etag = quote_etag(hashlib.blake2b(response.content, digest_size=16).hexdigest())
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=60"
    response["Vary"] = "Accept-Language"
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    if_none_match = request.headers.get("If-None-Match", "")
    matches = etag in [t.strip() for t in if_none_match.split(",")] or if_none_match.strip() == "*"
    if matches:
        not_modified = HttpResponse(status=304)
        for header in ("ETag", "Cache-Control", "Vary", "Last-Modified"):
            if header in response:
                not_modified[header] = response[header]
        return not_modified
    return response


@endpoint("GET", "HEAD")
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    municipality = _municipality(request)
    service = Service.objects.of(municipality).active().filter(code=code[:50]).first()
    if service is None:
        raise Open311Error(404, _("Unknown service_code “%(code)s”.") % {"code": code[:50]})
    questions = ServiceQuestion.objects.filter(service=service).order_by("order", "id")
    body = {
        "service_code": service.code,
        "attributes": [serializers.attribute_dict(q) for q in questions],
    }
    response = respond(fmt, "service_definition", body)
    return _conditional(request, response, service.updated_at)


# ---------------------------------------------------------------------------- requests

# Counting stops this far past the page asked for (see _count_headers): never fewer rows.
COUNT_AT_LEAST = 1000
COUNT_PAGES_AHEAD = 10


def _jurisdiction(request: HttpRequest) -> published.Jurisdiction:
    """The municipality read from: its id and time zone, from one indexed lookup."""
    slug = params.text(request.GET, "jurisdiction_id", 50)
    if not slug:
        municipality = _municipality(request)  # the only one hosted, or an error
        return published.Jurisdiction(municipality.pk, municipality.zoneinfo)
    found = published.jurisdiction(slug)
    if found is None:
        raise Open311Error(404, _("Unknown jurisdiction_id “%(id)s”.") % {"id": slug})
    return found


def _list_filters(
    request: HttpRequest, where: published.Jurisdiction, extensions: bool
) -> tuple[published.Shape, dict[str, Any]]:
    """The statement shape and the values of a list's filters; bad values are spec errors."""
    data = request.GET
    values: dict[str, Any] = {"municipality": where.pk}
    ids = params.csv_list(data, "service_request_id")
    if ids:
        values["ids"] = list(dict.fromkeys(i[:24] for i in ids))  # overrides every other filter
        return published.Shape(ids=len(values["ids"]), extensions=extensions), values
    values["start"], values["end"] = params.date_range(data, where.tz, clock.now())
    status = ""
    statuses = params.csv_list(data, "status")
    if statuses:
        unknown = [s for s in statuses if s not in ("open", "closed")]
        if unknown:
            raise bad(_("status must be open or closed."))
        if set(statuses) == {"open"}:
            status = "open"
        elif set(statuses) == {"closed"}:
            status = "closed"
    codes = params.csv_list(data, "service_code")
    if codes:
        found = published.service_ids(where.pk, codes)
        missing = [c for c in codes if c not in found]
        if missing:
            raise bad(_("Unknown service_code “%(code)s”.") % {"code": missing[0][:50]})
        values["services"] = sorted(set(found.values()))
    updated_after = params.datetime_param(data, "updated_after", where.tz)
    if updated_after is not None:
        values["updated_after"] = updated_after
    box = params.bbox(data)
    if box is not None:
        values.update(
            lat_min=box.lat_min, lat_max=box.lat_max, lon_min=box.lon_min, lon_max=box.lon_max
        )
    around = params.circle(data)
    if around is not None:
        values.update(published.circle_values(around.lat, around.lon, around.radius_m))
    shape = published.Shape(
        status=status,
        services=len(values.get("services", ())),
        updated_after=updated_after is not None,
        bbox=box is not None,
        circle=around is not None,
        extensions=extensions,
    )
    return shape, values


def _page_link(request: HttpRequest, page: int) -> str:
    """The same query with another page (where `page` was, or last). Built from the pairs,
    not a copy of the QueryDict: its deep copy was 0.04 ms of a 1.5 ms list answer."""
    pairs: list[tuple[str, str]] = []
    for name, values in request.GET.lists():  # each name once, with all its values
        if name == "page":
            pairs.append(("page", str(page)))
        else:
            pairs.extend((name, value) for value in values)
    if "page" not in request.GET:
        pairs.append(("page", str(page)))
    return request.build_absolute_uri(f"{request.path}?{urlencode(pairs)}")


def _paging(request: HttpRequest) -> tuple[int, int, int, int]:
    """page, page_size, offset, and how far to count (the count limit)."""
    page = params.positive_int(request.GET, "page", 1, 1_000_000)
    page_size = params.positive_int(
        request.GET, "page_size", params.MAX_PAGE_SIZE, params.MAX_PAGE_SIZE
    )
    offset = (page - 1) * page_size
    return page, page_size, offset, offset + max(COUNT_AT_LEAST, COUNT_PAGES_AHEAD * page_size)


def _count_headers(
    request: HttpRequest, counted: int, limit: int, page: int, page_size: int
) -> tuple[bool, dict[str, str]]:
    """The paging headers from a count that stopped at `limit + 1`; and whether the page
    lies within the results.

    Up to `limit` results the count is exact: X-Result-Count and X-Page-Count. Beyond it
    they are left out (as GitLab's API does above 10,000), X-Result-Count-Min says how many
    there are at least, and Link rel="next" is there all the same: counting a million
    published requests for every page would cost a hundred times the page itself.
    """
    if counted > limit:
        link = f'<{_page_link(request, page + 1)}>; rel="next"'
        return True, {"X-Result-Count-Min": str(counted), "Link": link}
    pages = max(1, math.ceil(counted / page_size))
    headers = {"X-Result-Count": str(counted), "X-Page-Count": str(pages)}
    if page < pages:
        headers["Link"] = f'<{_page_link(request, page + 1)}>; rel="next"'
    return (page - 1) * page_size < counted, headers


def _paged(request: HttpRequest, qs: Any, *order: str) -> tuple[list[Any], dict[str, str]]:
    """One page of a queryset and its paging headers (see _count_headers)."""
    page, page_size, offset, limit = _paging(request)
    counted = qs.order_by()[: limit + 1].count()
    within, headers = _count_headers(request, counted, limit, page, page_size)
    rows = list(qs.order_by(*order)[offset : offset + page_size]) if within else []
    return rows, headers


def _with_headers(response: HttpResponse, headers: dict[str, str]) -> HttpResponse:
    for name, value in headers.items():
        response[name] = value
    return response


def _list_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    where = _jurisdiction(request)
    extensions = params.flag(request.GET, "extensions")
    shape, values = _list_filters(request, where, extensions)
    page, page_size, offset, limit = _paging(request)
    counted = published.count(shape, values, limit + 1)
    within, headers = _count_headers(request, counted, limit, page, page_size)
    rows = published.page(shape, values, page_size, offset) if within else []
    writer = serializers.RequestWriter(where.tz, request.build_absolute_uri)
    extras = published.extras(rows) if extensions else None
    body = [writer.request(row, extras) for row in rows]
    return _with_headers(respond(fmt, "service_requests", body), headers)


@endpoint("GET", "HEAD", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        from .submit import create_request

        return create_request(request, fmt)
    return _list_requests(request, fmt)


@endpoint("GET", "HEAD")
def request_detail(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    where = _jurisdiction(request)
    extensions = params.flag(request.GET, "extensions")
    row = published.one(where.pk, request_id[:24], extensions=extensions)
    if row is None:
        raise Open311Error(404, _("Unknown service_request_id “%(id)s”.") % {"id": request_id[:24]})
    writer = serializers.RequestWriter(where.tz, request.build_absolute_uri)
    extras = published.extras([row]) if extensions else None
    return respond(fmt, "service_requests", [writer.request(row, extras)])


@endpoint("GET", "HEAD")
def token(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    """Requests are realtime: the token handed back on POST is the service_request_id."""
    municipality = _municipality(request)
    case = (
        Case.objects.of(municipality)
        .public()
        .filter(reference=token[:24])
        .only("reference")
        .first()
    )
    if case is None:
        raise Open311Error(404, _("Unknown token “%(token)s”.") % {"token": token[:24]})
    return respond(
        fmt, "service_requests", [{"service_request_id": case.reference, "token": case.reference}]
    )


# ---------------------------------------------------------------------------- updates


def _list_updates(request: HttpRequest, fmt: str) -> HttpResponse:
    """mySociety's servicerequestupdates: public timeline entries in a time window."""
    municipality = _municipality(request)
    tz = ZoneInfo(municipality.timezone)
    start, end = params.date_range(request.GET, tz, clock.now())
    qs = CaseUpdate.objects.filter(
        case__municipality=municipality,
        case__is_private=False,
        case__is_hidden=False,
        is_public=True,
        created_at__gte=start,
        created_at__lte=end,
    )
    ids = params.csv_list(request.GET, "service_request_id")
    if ids:
        qs = qs.filter(case__reference__in=[i[:24] for i in ids])
    qs = qs.select_related("case").only(
        "status", "close_reason", "message", "created_at", "case__reference"
    )
    rows, headers = _paged(request, qs, "created_at", "id")
    body = [serializers.update_dict(u, tz) for u in rows]
    return _with_headers(respond(fmt, "service_request_updates", body), headers)


@endpoint("GET", "HEAD", "POST")
def request_updates(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        from .submit import post_update

        return post_update(request, fmt)
    return _list_updates(request, fmt)
