"""Reading GeoReport v2 query parameters strictly: every bad value is a 400, never a 500."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from baladiyati.core.text import to_ascii_digits

MAX_RANGE = dt.timedelta(days=90)
MAX_PAGE_SIZE = 1000
MAX_RADIUS_M = 50_000
MAX_LIST_ITEMS = 200


class Open311Error(Exception):
    """Answered as the spec's `errors` list with this HTTP status as the code."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def bad(description: str) -> Open311Error:
    return Open311Error(400, description)


def text(params: QueryDict, name: str, limit: int = 200) -> str:
    value = params.get(name, "")
    if len(value) > limit:
        raise bad(_("%(name)s is too long.") % {"name": name})
    return value.strip()


def csv_list(params: QueryDict, name: str) -> list[str]:
    raw = ",".join(params.getlist(name))
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if len(items) > MAX_LIST_ITEMS:
        raise bad(_("%(name)s lists too many values.") % {"name": name})
    return list(dict.fromkeys(items))


def datetime_param(params: QueryDict, name: str, tz: dt.tzinfo) -> dt.datetime | None:
    raw = to_ascii_digits(params.get(name, "")).strip()
    if not raw:
        return None
    value: dt.datetime | None = None
    if len(raw) <= 40:
        try:
            value = parse_datetime(
                raw.replace(" ", "+", 1) if raw.count(" ") == 1 and "T" in raw else raw
            )
            if value is None:
                day = parse_date(raw)
                value = dt.datetime.combine(day, dt.time.min) if day else None
        except (ValueError, OverflowError):
            value = None
    if value is None:
        raise bad(
            _("%(name)s must be a W3C date and time, e.g. 2026-11-25T08:00:00+04:00.")
            % {"name": name}
        )
    if timezone.is_naive(value):
        value = value.replace(tzinfo=tz)
    try:
        value.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise bad(_("%(name)s is out of range.") % {"name": name}) from None
    return value


def date_range(
    params: QueryDict, tz: dt.tzinfo, now: dt.datetime
) -> tuple[dt.datetime, dt.datetime]:
    """start_date/end_date, at most 90 days apart; the last 90 days by default."""
    start = datetime_param(params, "start_date", tz)
    end = datetime_param(params, "end_date", tz)
    try:
        if start is None and end is None:
            end, start = now, now - MAX_RANGE
        elif start is None:
            assert end is not None
            start = end - MAX_RANGE
        elif end is None:
            end = start + MAX_RANGE
    except OverflowError:
        raise bad(_("The dates are out of range.")) from None
    if end < start:
        raise bad(_("end_date must not be before start_date."))
    if end - start > MAX_RANGE:
        raise bad(_("start_date and end_date may be at most 90 days apart."))
    return start, end


def number(raw: str, name: str) -> float:
    try:
        value = float(to_ascii_digits(raw).strip())
    except (TypeError, ValueError):
        raise bad(_("%(name)s must be a number.") % {"name": name}) from None
    if not math.isfinite(value):
        raise bad(_("%(name)s must be a number.") % {"name": name})
    return value


def latitude(raw: str, name: str = "lat") -> float:
    value = number(raw, name)
    if not -90 <= value <= 90:
        raise bad(_("%(name)s must be between -90 and 90.") % {"name": name})
    return value


def longitude(raw: str, name: str = "long") -> float:
    value = number(raw, name)
    if not -180 <= value <= 180:
        raise bad(_("%(name)s must be between -180 and 180.") % {"name": name})
    return value


def positive_int(params: QueryDict, name: str, default: int, maximum: int) -> int:
    raw = to_ascii_digits(params.get(name, "")).strip()
    if not raw:
        return default
    if not raw.isdigit() or len(raw) > 9 or int(raw) < 1 or int(raw) > maximum:
        raise bad(
            _("%(name)s must be a whole number from 1 to %(maximum)d.")
            % {"name": name, "maximum": maximum}
        )
    return int(raw)


@dataclass(frozen=True)
class BBox:
    lon_min: float
    lat_min: float
    lon_max: float
    lat_max: float


def bbox(params: QueryDict) -> BBox | None:
    raw = params.get("bbox", "").strip()
    if not raw:
        return None
    parts = raw.split(",")
    if len(parts) != 4:
        raise bad(_("bbox must be lon_min,lat_min,lon_max,lat_max."))
    box = BBox(
        longitude(parts[0], "bbox"),
        latitude(parts[1], "bbox"),
        longitude(parts[2], "bbox"),
        latitude(parts[3], "bbox"),
    )
    if box.lon_min >= box.lon_max or box.lat_min >= box.lat_max:
        raise bad(_("bbox must be lon_min,lat_min,lon_max,lat_max."))
    return box


@dataclass(frozen=True)
class Circle:
    lat: float
    lon: float
    radius_m: float


def circle(params: QueryDict) -> Circle | None:
    raw_lat, raw_lon, raw_radius = (params.get(k, "").strip() for k in ("lat", "long", "radius"))
    if not (raw_lat or raw_lon or raw_radius):
        return None
    if not (raw_lat and raw_lon and raw_radius):
        raise bad(_("lat, long and radius go together."))
    radius = number(raw_radius, "radius")
    if not 0 < radius <= MAX_RADIUS_M:
        raise bad(
            _("radius must be more than 0 and at most %(max)d metres.") % {"max": MAX_RADIUS_M}
        )
    return Circle(latitude(raw_lat), longitude(raw_lon), radius)


def flag(params: QueryDict, name: str) -> bool:
    return params.get(name, "").strip().lower() in ("true", "1", "yes")
