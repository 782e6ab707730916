"""Importing another Open311 server's requests (manage.py import_open311).

For a city moving in: its requests come from a GeoReport v2 file — JSON (an array of
requests, or one request object per line) or XML (`<service_requests><request>…`) — or
straight from the other server's `requests.json`, page by page.

- Their service codes become ours through a mapping (`load_mapping`); a code not in the
  mapping is used as it is when we have a service with that code.
- Their `service_request_id` is kept as the case's external reference (`external_source`,
  `external_id`), unique per municipality and source (constraint `case_external_once`): a
  request already imported is skipped, so running the import again is a no-op and an
  interrupted import resumes where it stopped.
- A malformed request is reported with its line (files) or page and position (URL), and
  skipped; the rest is imported.
- The cases are written by `cases.bulk.Inserter` in batches, not one action each (see
  docs/architecture.md, "Bulk generation and import"), with one AuditEvent for the run.
  Reading, converting and preparing a batch (`_chunks`) happens in a second process while
  this one writes the batch before (`_chunks_from_process`).

What the other server's data cannot say is filled in plainly, and counted in the report:
a request only called "closed" is imported as `closed_as` (fixed by default) unless its
`extended_attributes.detailed_status` says more (as Baladiyati's own exports do); a case's
acknowledgement time, when unknown, is its request time; a duplicate whose original is not
imported is imported as `closed_as`. References are numbered in time within each batch, in
the order of the source from one batch to the next (our exports are oldest first).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import gc
import json
import marshal
import math
import multiprocessing
import re
import time
import urllib.error
import urllib.request
import xml.sax
import xml.sax.expatreader
import xml.sax.handler
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from math import isfinite
from typing import IO, Any
from urllib.parse import urlencode, urljoin

import orjson
from django.db import connection
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from baladiyati.cases import bulk
from baladiyati.cases.bulk import BulkResult, NewCase, by_external_id
from baladiyati.cases.models import CLOSED_STATUSES, Case, Channel, CloseReason, Status
from baladiyati.cities.models import Municipality, Service

from . import import_reader
from .formats import ITEM_TAGS

# A request object larger than this (in characters) in a JSON file is refused: it bounds
# how far the reader looks ahead.
MAX_ITEM = 1 << 20
CHUNK = 1 << 22
_BETWEEN = re.compile(r"[ \t\r\n,\[\]]*")  # what comes between the requests of a file
EXTERNAL_ID_MAX = 100
_fromisoformat = dt.datetime.fromisoformat
# Into an empty case table the indexes are built after the load (Inserter.defer_indexes),
# but for these: the writing process waits for the reading one anyway, and keeping them up
# meanwhile (about 1 µs a row each) costs less time than building them after (0.5 µs each,
# with a core idle). These are the ones whose keys mostly come in order (by time,
# or empty in an import: reporter, assignee, contacts); the others cost more to keep up.
# See docs/benchmarks.md.
KEPT_UP_INDEXES = frozenset(
    {
        "cases_case_duplicate_of_id_1796dfe5",
        "case_created",
        "case_reporter",
        "case_contact_phone",
        "case_contact_email",
        "case_sla_check",
        "case_escalated",
        "case_awaiting",
        "cases_caseupdate_author_id_9e369ad8",
        "case_update_timeline",
        "case_update_created",
        # Named by Open311's statements on SQLite (`INDEXED BY`, open311/published.py):
        # a city's requests stay readable while its first import runs.
        "case_public_created",
        "case_updated",
    }
)
CLOSED_AS = {
    "fixed": (Status.FIXED, ""),
    "not_municipality": (Status.CLOSED_NOT_FIXED, CloseReason.NOT_MUNICIPALITY),
    "no_action_needed": (Status.CLOSED_NOT_FIXED, CloseReason.NO_ACTION_NEEDED),
    "could_not_locate": (Status.CLOSED_NOT_FIXED, CloseReason.COULD_NOT_LOCATE),
}


class ImportProblem(Exception):
    """A request that cannot be imported; the message says why (translated)."""


@dataclass(slots=True)
class Item:
    """One request read from a source, and where: a file's line, or a page and position."""

    data: Any
    line: int = 0
    page: int = 0
    position: int = 0

    @property
    def where(self) -> str:
        if self.page:
            return _("page %(page)d, request %(position)d") % {
                "page": self.page,
                "position": self.position,
            }
        if self.position:  # a request on the line of the one before (a file's position)
            return _("line %(line)d, request %(position)d") % {
                "line": self.line,
                "position": self.position,
            }
        return _("line %(line)d") % {"line": self.line}


# ---------------------------------------------------------------------------- reading files


def read_json(stream: IO[str]) -> Iterator[Item]:
    """Requests from a JSON array, or from objects one after the other (JSON Lines).

    Streams: reads the file in chunks and decodes one request at a time, counting lines so
    that each request is named by the line it starts on. A request that is not valid JSON
    is reported (as an Item whose data is an ImportProblem) and reading goes on at the next
    line that starts like it did.
    """
    decoder = json.JSONDecoder()
    buffer, pos, line, eof = "", 0, 1, False
    line_at = 0  # the position up to which newlines have been counted into `line`
    number = 0  # of the request in the file

    def fill() -> None:
        nonlocal buffer, pos, line, line_at, eof
        if pos > CHUNK:  # drop what has been read, counting its lines first
            line += buffer.count("\n", line_at, pos)
            buffer, line_at, pos = buffer[pos:], 0, 0
        while not eof and len(buffer) - pos < MAX_ITEM + 1:
            chunk = stream.read(CHUNK)
            if not chunk:
                eof = True
            buffer += chunk

    loads, low = orjson.loads, MAX_ITEM + 1
    while True:
        if pos > CHUNK or (not eof and len(buffer) - pos < low):
            fill()
        pos = _BETWEEN.match(buffer, pos).end()  # type: ignore[union-attr]
        if pos >= len(buffer):
            if eof:
                return
            continue
        starts = buffer.count("\n", line_at, pos)
        number += 1
        # Requests that share a line (a compact array) are told apart by their number.
        shared = number if not starts and number > 1 else 0
        line += starts
        line_at = pos
        # Most files hold one request per line (ours, JSON Lines): decode the line at once
        # with orjson, and fall back on the standard decoder for any other layout. Only for
        # a request that begins its line: in a file written on one line (a compact array,
        # as many servers export) the rest of the line is the rest of the buffer, and
        # handing it to orjson for each request made reading quadratic (50,000 requests:
        # seven minutes instead of seconds).
        eol = -1
        if not shared:
            eol = buffer.find("\n", pos, pos + low)
            if eol < 0 and len(buffer) - pos < low:
                eol = len(buffer)  # the file's last line
        data = None
        if eol >= 0:
            try:
                data = loads(buffer[pos:eol].rstrip().removesuffix(","))
            except orjson.JSONDecodeError:
                data = None  # not the line alone: the standard decoder below
        if data.__class__ is dict:
            pos = eol
            yield Item(data, line, position=shared)
            continue
        try:
            data, end = decoder.raw_decode(buffer, pos)
        except json.JSONDecodeError as exc:
            message = _("not valid JSON (%(error)s)") % {"error": exc.msg}
            yield Item(ImportProblem(message), line, position=shared)
            # Go on at the next line that starts as this request did.
            indent = buffer[buffer.rfind("\n", 0, pos) + 1 : pos]
            if indent.strip(" \t"):
                indent = ""  # "[{": resynchronise on a line starting with "{"
            marker = "\n" + indent + buffer[pos]
            found = buffer.find(marker, pos + 1)
            while found < 0 and not eof:
                pos = max(pos, len(buffer) - len(marker))
                fill()
                found = buffer.find(marker, pos + 1)
            if found < 0:
                return
            pos = found + 1
            continue
        if end - pos > MAX_ITEM:
            data = ImportProblem(_("the request is too large"))
        pos = end
        yield Item(data, line, position=shared)


class _RequestHandler(xml.sax.handler.ContentHandler):
    """Collects each `<request>` of `<service_requests>` as a dict, with its line."""

    def __init__(self, emit: Callable[[Item], None]) -> None:
        super().__init__()
        self.emit = emit
        self.stack: list[tuple[str, list[tuple[str, Any]], list[str]]] = []
        self.line = 0
        self.locator: Any = None

    def setDocumentLocator(self, locator: Any) -> None:
        self.locator = locator

    def startElement(self, name: str, attrs: Any) -> None:
        if len(self.stack) == 1 and self.locator is not None:
            self.line = self.locator.getLineNumber()
        self.stack.append((name, [], []))

    def characters(self, content: str) -> None:
        if self.stack:
            self.stack[-1][2].append(content)

    def endElement(self, name: str) -> None:
        tag, children, text = self.stack.pop()
        if children:
            value: Any = [child for _tag, child in children] if tag in ITEM_TAGS else dict(children)
        elif tag in ITEM_TAGS:
            value = []
        else:
            value = "".join(text).strip()
        if len(self.stack) == 1:
            self.emit(Item(value if isinstance(value, dict) else {}, self.line))
        elif self.stack:
            self.stack[-1][1].append((tag, value))


def read_xml(stream: IO[bytes]) -> Iterator[Item]:
    """Requests from a GeoReport v2 XML file, streamed with SAX; each named by its line.

    A syntax error ends the reading (reported as a last Item): XML cannot be resynchronised.
    External entities are never fetched.
    """
    items: list[Item] = []
    # No defusedxml needed: external entities are switched off below, and expat (2.4.1 on)
    # refuses entity expansion bombs itself.
    parser = xml.sax.make_parser()  # noqa: S317
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    parser.setFeature(xml.sax.handler.feature_external_pes, False)
    handler = _RequestHandler(items.append)
    parser.setContentHandler(handler)
    # parse() would hand the handler a locator; feeding chunks does not.
    handler.setDocumentLocator(xml.sax.expatreader.ExpatLocator(parser))  # type: ignore[arg-type]
    while True:
        chunk = stream.read(1 << 20)
        try:
            if chunk:
                parser.feed(chunk)  # type: ignore[attr-defined]
            else:
                parser.close()  # type: ignore[attr-defined]
        except xml.sax.SAXParseException as exc:
            yield from items
            message = _("not valid XML (%(error)s); the rest of the file is not read")
            problem = ImportProblem(message % {"error": exc.getMessage()})
            yield Item(problem, exc.getLineNumber() or 0)
            return
        yield from items
        items.clear()
        if not chunk:
            return


# ---------------------------------------------------------------------------- reading a server


@dataclass
class Fetcher:
    """GETs a URL and returns (parsed JSON, Link next URL or ""); retries network errors."""

    timeout: float = 60
    tries: int = 4

    def __call__(self, url: str) -> tuple[Any, str]:
        for attempt in range(self.tries):
            try:
                request = urllib.request.Request(  # noqa: S310 (http(s) only, checked)
                    url, headers={"Accept": "application/json"}
                )
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    body = json.loads(response.read())
                    return body, _next_link(response.headers.get("Link", ""))
            except urllib.error.HTTPError as exc:
                if exc.code < 500 or attempt == self.tries - 1:
                    raise
            except (urllib.error.URLError, TimeoutError, ConnectionError):
                if attempt == self.tries - 1:
                    raise
            time.sleep(min(2**attempt, 10))
        raise RuntimeError("unreachable")


def _next_link(header: str) -> str:
    for part in header.split(","):
        if 'rel="next"' in part or "rel=next" in part:
            start, end = part.find("<"), part.find(">")
            if 0 <= start < end:
                return part[start + 1 : end]
    return ""


def read_server(
    base_url: str,
    *,
    jurisdiction_id: str = "",
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    page_size: int = 1000,
    fetch: Callable[[str], tuple[Any, str]] | None = None,
    window: dt.timedelta = dt.timedelta(days=90),
) -> Iterator[Item]:
    """Requests from a GeoReport v2 server's `requests.json`, oldest window first.

    GeoReport servers answer at most 90 days at a time: from `since` to `until` the time is
    walked in windows of `window`. Each window is read page by page, following the
    `Link: rel="next"` header when the server sends one, else asking for `page=2, 3, …`
    (with `page_size`) until a page comes back short, empty, or holding only requests
    already seen (a server that ignores paging).
    """
    if not base_url.startswith(("http://", "https://")):
        raise ValueError("the base URL must start with http:// or https://")
    fetch = fetch or Fetcher()
    endpoint = urljoin(base_url if base_url.endswith("/") else base_url + "/", "requests.json")
    windows: list[tuple[dt.datetime | None, dt.datetime | None]] = [(None, None)]
    if since is not None:
        end_all = until or dt.datetime.now(dt.UTC)
        windows, moment = [], since
        while moment < end_all:
            windows.append((moment, min(moment + window, end_all)))
            moment += window
    seen: set[str] = set()
    for start, end in windows:
        query: dict[str, Any] = {"extensions": "true", "page_size": page_size}
        if jurisdiction_id:
            query["jurisdiction_id"] = jurisdiction_id
        if start is not None and end is not None:
            query["start_date"] = start.isoformat()
            query["end_date"] = end.isoformat()
        page, url = 1, f"{endpoint}?{urlencode(query)}"
        while url:
            body, next_url = fetch(url)
            requests = body if isinstance(body, list) else []
            fresh = 0
            for position, data in enumerate(requests, start=1):
                rid = _rid(data)
                if rid and rid in seen:
                    continue  # on the edge of two windows, or a page served twice
                seen.add(rid)
                fresh += 1
                yield Item(data, page=page, position=position)
            if next_url:
                url = next_url
            elif requests and fresh and len(requests) >= page_size:
                url = f"{endpoint}?{urlencode({**query, 'page': page + 1})}"
            else:
                url = ""
            if requests and not fresh:
                url = ""  # the same page again: the server does not page
            page += 1


def _rid(data: Any) -> str:
    return str(data.get("service_request_id", "")) if isinstance(data, dict) else ""


# ---------------------------------------------------------------------------- the mapping


def load_mapping(stream: IO[str], name: str, our_codes: set[str]) -> dict[str, str]:
    """Their service code → ours, from CSV (two columns) or JSON (an object).

    In CSV a first line whose second column is not one of our codes is a header. Raises
    ValueError naming every line that maps to a code we do not have.
    """
    text = stream.read()
    mapping: dict[str, str] = {}
    errors: list[str] = []
    if name.lower().endswith(".json"):
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError(_("The mapping file must hold a JSON object: their code → ours."))
        for theirs, ours in data.items():
            if str(ours) not in our_codes:
                errors.append(
                    _("“%(theirs)s”: we have no service “%(ours)s”")
                    % {"theirs": theirs, "ours": ours}
                )
            mapping[str(theirs)] = str(ours)
    else:
        for number, row in enumerate(csv.reader(text.splitlines()), start=1):
            cells = [cell.strip() for cell in row]
            if not cells or not any(cells) or cells[0].startswith("#"):
                continue
            if len(cells) < 2 or not cells[1]:
                errors.append(_("line %(line)d: two columns expected") % {"line": number})
                continue
            if cells[1] not in our_codes:
                if number == 1:
                    continue  # a header
                errors.append(
                    _("line %(line)d: we have no service “%(ours)s”")
                    % {"line": number, "ours": cells[1]}
                )
                continue
            mapping[cells[0]] = cells[1]
    if errors:
        raise ValueError("; ".join(errors))
    return mapping


# ---------------------------------------------------------------------------- converting


@dataclass
class ImportReport:
    read: int = 0
    imported: int = 0
    already_imported: int = 0
    repeated_in_source: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    closed_as_default: int = 0  # "closed" with no detailed status
    duplicates_without_original: int = 0
    seconds: float = 0.0
    result: BulkResult | None = None


def _text(data: Mapping[str, Any], name: str) -> str:
    value: Any = data.get(name)
    if value.__class__ is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, dict | list):
        raise ImportProblem(_("%(name)s must be text") % {"name": name})
    return str(value).strip()


def _number(data: Mapping[str, Any], name: str) -> float:
    raw = data.get(name)
    if raw is None or raw == "":
        raise ImportProblem(_("%(name)s is missing") % {"name": name})
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ImportProblem(_("%(name)s is not a number") % {"name": name}) from None
    if not math.isfinite(value):
        raise ImportProblem(_("%(name)s is not a number") % {"name": name})
    return value


class Converter:
    """GeoReport request dicts → NewCase for one municipality and source."""

    def __init__(
        self,
        municipality: Municipality,
        source: str,
        mapping: Mapping[str, str],
        closed_as: str = "fixed",
    ) -> None:
        self.municipality = municipality
        self.source = source
        self.mapping = dict(mapping)
        self.closed_as_name = closed_as
        self.tz = municipality.zoneinfo
        services = Service.objects.filter(municipality=municipality).values_list("code", "pk")
        ours = dict(services)
        self.services = dict(ours)
        for theirs, code in mapping.items():
            self.services[theirs] = ours[code]
        self.closed_as = CLOSED_AS[closed_as]
        self.statuses = frozenset(Status.values)
        self.reasons = frozenset(CloseReason.values)

    def moment(self, data: Mapping[str, Any], name: str, required: bool) -> dt.datetime | None:
        raw = _text(data, name)
        if not raw:
            if required:
                raise ImportProblem(_("%(name)s is missing") % {"name": name})
            return None
        value: dt.datetime | None
        try:
            value = _fromisoformat(raw)  # what parse_datetime tries first
        except ValueError:
            try:
                value = parse_datetime(raw)
            except ValueError:
                value = None
        if value is None:
            raise ImportProblem(_("%(name)s is not a date and time") % {"name": name})
        if value.tzinfo is None:
            value = value.replace(tzinfo=self.tz)
        return value

    def convert(self, data: Any) -> tuple[NewCase, str, bool]:
        """The case for one request, the external id of its original ("" if none), and
        whether its status is `closed_as` for want of a detailed one."""
        if not isinstance(data, dict):
            raise ImportProblem(_("not a request object"))
        # The fields are mostly strings and numbers already: those are taken here, anything
        # else by _text and _number (about a fifth of the cost of a call for each).
        get: Callable[[str], Any] = data.get
        value: Any = get("service_request_id")
        external_id = value.strip() if value.__class__ is str else _text(data, "service_request_id")
        if not external_id:
            raise ImportProblem(_("service_request_id is missing"))
        if len(external_id) > EXTERNAL_ID_MAX:
            raise ImportProblem(_("service_request_id is too long"))
        value = get("service_code")
        code = value.strip() if value.__class__ is str else _text(data, "service_code")
        if not code:
            raise ImportProblem(_("service_code is missing"))
        service_id = self.services.get(code)
        if service_id is None:
            raise ImportProblem(
                _("service_code “%(code)s” is neither ours nor in the mapping") % {"code": code}
            )
        lat, lon = get("lat"), get("long")
        if lat.__class__ is not float or not isfinite(lat):
            lat = _number(data, "lat")
        if lon.__class__ is not float or not isfinite(lon):
            lon = _number(data, "long")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ImportProblem(_("lat and long are not a place on Earth"))
        created = self.moment(data, "requested_datetime", True)
        assert created is not None
        updated: dt.datetime = self.moment(data, "updated_datetime", False) or created
        if updated < created:
            raise ImportProblem(_("updated_datetime is before requested_datetime"))
        due = self.moment(data, "expected_datetime", False)

        ext: dict[str, Any] = get("extended_attributes")
        ext = ext if isinstance(ext, dict) else {}
        value = ext.get("detailed_status", "")
        detailed = value.strip() if value.__class__ is str else _text(ext, "detailed_status")
        value = get("status")
        status_word = (value.strip() if value.__class__ is str else _text(data, "status")).lower()
        if detailed in self.statuses:
            status = detailed
        elif status_word == "open":
            status = Status.SUBMITTED
        elif status_word == "closed":
            status = self.closed_as[0]
        else:
            raise ImportProblem(_("status must be open or closed"))
        reason = _text(ext, "close_reason")
        if status == Status.CLOSED_NOT_FIXED:
            if reason not in self.reasons:
                reason = self.closed_as[1] or CloseReason.NO_ACTION_NEEDED
        else:
            reason = ""
        original = _text(ext, "duplicate_of") if status == Status.DUPLICATE else ""

        case = NewCase(
            service_id=service_id,
            created_at=created,
            lat=lat,
            lon=lon,
            channel=Channel.OPEN311,
            status=status,
            description=value.strip()
            if (value := get("description")).__class__ is str
            else _text(data, "description"),
            address=(_text(data, "address") or _text(data, "address_string"))[:300],
            answers=_answers(ext.get("attributes")),
            close_reason=reason,
            updated_at=updated,
            due_at=due if due is not None and due >= created else None,
            media_url=_media_url(_text(data, "media_url")),
            external_source=self.source,
            external_id=external_id,
        )
        if status != Status.SUBMITTED:
            case.acknowledged_at = created  # unknown: the request's own time
        if status in CLOSED_STATUSES:
            case.closed_at = updated
        if status == Status.REOPENED:
            case.reopen_count = 1
        return case, original, detailed not in self.statuses and status_word == "closed"

    def close_without_original(self, case: NewCase) -> None:
        case.status, case.close_reason = self.closed_as


def _answers(raw: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    if isinstance(raw, list):
        for item in raw:
            if isinstance(item, dict) and item.get("code"):
                values = item.get("values")
                if isinstance(values, list):
                    answers[str(item["code"])] = values if len(values) != 1 else values[0]
    return answers


def _media_url(url: str) -> str:
    return url if url.startswith(("http://", "https://")) and len(url) <= 500 else ""


# ---------------------------------------------------------------------------- importing


@dataclass(frozen=True)
class Source:
    """Where the requests are, said so that another process can open it: a file (.json or
    .xml) or a server's base URL with what to ask it."""

    location: str
    jurisdiction_id: str = ""
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    page_size: int = 1000

    def items(self) -> Iterator[Item]:
        if self.location.startswith(("http://", "https://")):
            yield from read_server(
                self.location,
                jurisdiction_id=self.jurisdiction_id,
                since=self.since,
                until=self.until,
                page_size=self.page_size,
            )
        elif self.location.lower().endswith(".xml"):
            with open(self.location, "rb") as stream:
                yield from read_xml(stream)
        else:
            with open(self.location, encoding="utf-8-sig") as stream:
                yield from read_json(stream)


@dataclass(frozen=True)
class Plan:
    """What to import into, and how: everything the reading side needs, picklable."""

    municipality_id: int
    source: str
    mapping: Mapping[str, str]
    closed_as: str = "fixed"
    batch_size: int = 5000


@dataclass
class Chunk:
    """One batch, read, checked and prepared, ready to be written (see _chunks)."""

    read: int
    rows: list[list[Any]]
    years: list[int]
    cases: list[tuple[str, int | str | None]]  # per row: external id, its original
    problems: list[tuple[str, str]]
    already_imported: int = 0
    repeated_in_source: int = 0
    closed_as_default: int = 0
    duplicates_without_original: int = 0


def _chunks(items: Iterable[Item], plan: Plan) -> Iterator[Chunk]:
    """The reading side of an import: requests → checked, prepared rows, batch by batch.

    Touches the database for reading only (the catalogue; what was imported before), so it
    runs as well in a process of its own (_chunks_from_process) as in the caller's.
    """
    municipality = Municipality.objects.get(pk=plan.municipality_id)
    converter = Converter(municipality, plan.source, plan.mapping, plan.closed_as)
    writer = bulk._Writer(municipality)
    # Imported before from this source: then each request is looked up before it is
    # written. Otherwise only the unique constraint stands guard (two imports at once).
    resuming = Case.objects.filter(municipality=municipality, external_source=plan.source).exists()
    seen: set[str] = set()  # external ids read so far
    handed_on: set[str] = set()  # … and handed on to be written: originals of later ones
    offset = 0
    iterator = iter(items)
    while chunk := list(islice(iterator, plan.batch_size)):
        out = Chunk(read=len(chunk), rows=[], years=[], cases=[], problems=[])
        converted: list[tuple[Item, NewCase, str, bool]] = []
        # Resuming: what came in before is known by its id alone, before any converting —
        # going again over an interrupted import of a million requests costs a lookup
        # a batch for the part already done, not the whole work of reading it.
        before = _imported_before(municipality.pk, plan.source, chunk) if resuming else set()
        for item in chunk:
            if before and (external_id := _external_id(item.data)) in before:
                if external_id in seen:
                    out.repeated_in_source += 1
                else:
                    seen.add(external_id)
                    out.already_imported += 1
                continue
            if isinstance(item.data, ImportProblem):
                out.problems.append((item.where, str(item.data)))
                continue
            try:
                case, original, defaulted = converter.convert(item.data)
            except ImportProblem as exc:
                out.problems.append((item.where, str(exc)))
                continue
            assert case.external_id is not None
            if case.external_id in seen:
                out.repeated_in_source += 1
                continue
            seen.add(case.external_id)
            converted.append((item, case, original, defaulted))
        # Oldest first within the batch: references run in time, and an original comes
        # before its duplicates even from a server that lists the newest first.
        converted.sort(key=lambda entry: entry[1].created_at)
        in_batch = {case.external_id for _i, case, _o, _d in converted}
        wanted = {
            o for _i, _c, o, _d in converted if o and o not in in_batch and o not in handed_on
        }
        known: dict[str | None, int] = {}
        if wanted:
            known = dict(by_external_id(municipality.pk, [plan.source], wanted))
        batch: list[NewCase] = []
        where: dict[int, Item] = {}  # id(case) → the item it came from
        by_id: dict[str | None, NewCase] = {}
        for item, case, original, defaulted in converted:
            out.closed_as_default += defaulted
            if original:
                if original in by_id:
                    case.duplicate_of = by_id[original]
                elif original in handed_on:
                    case.duplicate_of = original  # written before: found by its id
                elif original in known:
                    case.duplicate_of = known[original]
                else:
                    converter.close_without_original(case)
                    out.duplicates_without_original += 1
            by_id[case.external_id] = case
            where[id(case)] = item
            batch.append(case)

        def refused(
            position: int, case: NewCase, why: str, out: Chunk = out, where: dict[int, Item] = where
        ) -> None:
            out.problems.append((where[id(case)].where, why))

        prepared = writer.prepare(batch, offset, refused)
        offset += len(batch)
        out.rows, out.years = prepared.rows, prepared.years
        for case in prepared.cases:
            first = case.duplicate_of
            reference = first.external_id if isinstance(first, NewCase) else first
            out.cases.append((str(case.external_id), reference))
            handed_on.add(str(case.external_id))
        yield out


def _external_id(data: Any) -> str:
    """A request's id as `Converter.convert` reads it; "" where it would refuse it."""
    value = data.get("service_request_id") if isinstance(data, dict) else None
    return str(value).strip() if isinstance(value, str | int | float) else ""


def _imported_before(municipality_id: int, source: str, chunk: list[Item]) -> set[str]:
    """The ids of a batch's requests that an earlier import from `source` brought in."""
    ids = {external_id for item in chunk if (external_id := _external_id(item.data))}
    if not ids:
        return set()
    return {found for found, _pk in by_external_id(municipality_id, [source], ids)}


_CHUNK_FIELDS = [f.name for f in dataclasses.fields(Chunk)]


def _to_wire(chunk: Chunk) -> bytes:
    return marshal.dumps(tuple([getattr(chunk, name) for name in _CHUNK_FIELDS]))


def _from_wire(data: bytes) -> Chunk:
    fields = marshal.loads(data)  # noqa: S302 (our own reading process, plain values)
    if fields[0] == "error":
        raise RuntimeError(fields[1])
    return Chunk(*fields)


def produce(source: Source, plan: Plan, pipe: Any) -> None:
    """The reading side in a process of its own: chunks down the pipe, as marshal writes
    their fields — plain lists, strings and numbers (a quarter of pickle's cost)."""
    try:
        for chunk in _chunks(source.items(), plan):
            pipe.send_bytes(_to_wire(chunk))
        pipe.send_bytes(b"")
    except (KeyboardInterrupt, BrokenPipeError):
        pass  # Ctrl-C, or the writing process is gone: nobody to tell
    except BaseException as exc:  # reported in the caller's process
        pipe.send_bytes(marshal.dumps(("error", f"{type(exc).__name__}: {exc}")))
    finally:
        pipe.close()


def _chunks_from_process(source: Source, plan: Plan) -> Iterator[Chunk]:
    """Reading, converting and preparing in a second process while this one writes.

    Why a process: an insert into a table with two dozen indexes is mostly SQLite's (or
    PostgreSQL's) own work, and so is reading JSON and preparing rows Python's; on two
    cores they overlap. A thread would not: sqlite3 takes Python's global lock back after
    every row, and waits for it each time (docs/benchmarks.md). The pipe holds a chunk or
    two, so the reader stays at most that far ahead.
    """
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    database = dict(connection.settings_dict)
    process = context.Process(
        target=import_reader.main,
        args=(dataclasses.asdict(source), dataclasses.asdict(plan), database, sending),
        name="import-reader",
    )
    process.start()
    sending.close()
    try:
        while True:
            try:
                data = receiving.recv_bytes()
            except EOFError:
                raise RuntimeError("the import's reading process stopped") from None
            if not data:
                return
            yield _from_wire(data)
    finally:
        receiving.close()
        process.join(timeout=5)
        if process.is_alive():
            process.terminate()
            process.join()


def run_import(
    source: Source | Iterable[Item],
    converter: Converter,
    *,
    actor: Any = None,
    batch_size: int = 5000,
    progress: Callable[[int], Any] | None = None,
    on_problem: Callable[[str, str], Any] | None = None,
    separate_process: bool | None = None,
) -> ImportReport:
    """Import from `source` into `converter`'s municipality; see the module docstring.

    A Source is read in a second process (`separate_process`, by default when the database
    can be shared: not inside a transaction, as tests are, nor SQLite in memory); items
    given as they are, here.
    """
    municipality = converter.municipality
    plan = Plan(
        municipality.pk, converter.source, converter.mapping, converter.closed_as_name, batch_size
    )
    if separate_process is None:
        separate_process = not connection.in_atomic_block and not (
            connection.vendor == "sqlite" and connection.is_in_memory_db()  # type: ignore[attr-defined]
        )
    if isinstance(source, Source) and separate_process:
        chunks = _chunks_from_process(source, plan)
    else:
        chunks = _chunks(source.items() if isinstance(source, Source) else source, plan)

    report = ImportReport()
    started = time.monotonic()
    extra = {"source": converter.source}
    # The rows written are plain lists and strings, without cycles: the cyclic collector
    # would only walk the batches in flight again and again (docs/benchmarks.md).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with bulk.Inserter(
            municipality, actor=actor, action="case.imported", extra=extra
        ) as inserter:
            _write_chunks(
                chunks, inserter, report, converter.source, batch_size, progress, on_problem
            )
    finally:
        if isinstance(chunks, Generator):
            chunks.close()  # now, not when collected: stops and joins the reading process
        if collecting:
            gc.enable()
    report.result = inserter.result
    report.imported = report.result.count
    report.seconds = time.monotonic() - started
    return report


def _write_chunks(
    chunks: Iterable[Chunk],
    inserter: bulk.Inserter,
    report: ImportReport,
    source: str,
    batch_size: int,
    progress: Callable[[int], Any] | None,
    on_problem: Callable[[str, str], Any] | None,
) -> None:
    offset, first = 0, True
    for chunk in chunks:
        if first and chunk.read >= batch_size:
            # More than a batch into an empty case table (a city moving in): the indexes
            # are built once at the end instead of kept up row by row.
            inserter.defer_indexes(keep=KEPT_UP_INDEXES)
        first = False
        report.read += chunk.read
        report.already_imported += chunk.already_imported
        report.repeated_in_source += chunk.repeated_in_source
        report.closed_as_default += chunk.closed_as_default
        report.duplicates_without_original += chunk.duplicates_without_original
        for where, why in chunk.problems:
            report.problems.append((where, why))
            if on_problem is not None:
                on_problem(where, why)
        cases = [
            NewCase(
                service_id=0,
                created_at=bulk.EPOCH,
                lat=0.0,
                lon=0.0,
                channel="",
                duplicate_of=original,
                external_source=source,
                external_id=external_id,
            )
            for external_id, original in chunk.cases
        ]
        inserter.write(bulk._Prepared(cases, chunk.rows, chunk.years), offset)
        offset += len(cases)
        if progress is not None:
            progress(chunk.read)
