"""The back office's navigation asks here whether to show the permit pages' link."""

from __future__ import annotations

from typing import Any

from django import template

from baladiyati.permits import permissions

register = template.Library()


@register.filter
def opens_permits(desk: Any) -> bool:
    """True for a desk whose role reviews permits (permit reviewer, supervisor, admin)."""
    return desk is not None and permissions.opens_permit_desk(getattr(desk, "membership", None))
