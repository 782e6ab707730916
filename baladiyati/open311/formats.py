"""GeoReport v2 response bodies in XML (required by the spec) and JSON.

The spec's XML has no namespace and names list items by the singular of their container
(`<services><service>`, `<attributes><attribute>`, `<values><value>`); JSON is the same
data with lists as arrays. Values are strings except booleans and numbers in JSON; XML
writes booleans as true/false and omits nothing (empty elements for missing values).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

import orjson
from django.http import HttpResponse

XML_CONTENT_TYPE = "text/xml; charset=utf-8"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"

# Container tag → item tag, for lists nested inside items.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "notes": "note",
    "media_urls": "media_url",
    "service_request_updates": "request_update",
}

# XML 1.0 forbids most control characters even when escaped; drop them.
_XML_INVALID = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return escape(str(value).translate(_XML_INVALID))


def _element(tag: str, value: Any, out: list[str]) -> None:
    if isinstance(value, Mapping):
        out.append(f"<{tag}>")
        for key, child in value.items():
            _element(key, child, out)
        out.append(f"</{tag}>")
    elif isinstance(value, list | tuple):
        item = ITEM_TAGS.get(tag, "item")
        out.append(f"<{tag}>")
        for child in value:
            _element(item, child, out)
        out.append(f"</{tag}>")
    else:
        out.append(f"<{tag}>{_text(value)}</{tag}>")


def to_xml(root: str, body: Sequence[Any] | Mapping[str, Any]) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>']
    _element(root, body, out)
    return "".join(out)


def respond(
    fmt: str, root: str, body: Sequence[Any] | Mapping[str, Any], status: int = 200
) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(to_xml(root, body), content_type=XML_CONTENT_TYPE, status=status)
    # orjson writes what json.dumps(ensure_ascii=False, separators=(",", ":")) writes, ten
    # times faster (docs/benchmarks.md).
    return HttpResponse(orjson.dumps(body), content_type=JSON_CONTENT_TYPE, status=status)
