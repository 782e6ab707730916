"""Time from complete application to issue, in working days, summarised per permit type.

Each permit stores its own figure (`Permit.working_days_to_issue`, measured on the
municipality's working calendar when it was issued); this summarises them.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .models import Permit, PermitType


@dataclass(frozen=True)
class IssueTimes:
    permit_type: PermitType
    issued: int
    average: Decimal
    median: Decimal
    longest: Decimal
    within_target: int  # issued within the type's target (two working days in Muscat)

    @property
    def within_target_share(self) -> int:
        return round(100 * self.within_target / self.issued) if self.issued else 0


def issue_times(municipality: Any = None) -> list[IssueTimes]:
    permits = Permit.objects.select_related("application__permit_type__municipality")
    if municipality is not None:
        permits = permits.filter(municipality=municipality)
    by_type: dict[int, tuple[PermitType, list[Decimal]]] = {}
    for permit_type, days in (
        (p.application.permit_type, p.working_days_to_issue)
        for p in permits.only(
            "working_days_to_issue",
            "application__permit_type__code",
            "application__permit_type__name_ar",
            "application__permit_type__name_en",
            "application__permit_type__target_working_days",
            "application__permit_type__municipality__name_ar",
            "application__permit_type__municipality__name_en",
        )
    ):
        by_type.setdefault(permit_type.pk, (permit_type, []))[1].append(days)
    summary = []
    for permit_type, values in by_type.values():
        summary.append(
            IssueTimes(
                permit_type=permit_type,
                issued=len(values),
                average=(sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01")),
                median=Decimal(statistics.median(values)).quantize(Decimal("0.01")),
                longest=max(values),
                within_target=sum(1 for v in values if v <= permit_type.target_working_days),
            )
        )
    return sorted(summary, key=lambda s: (s.permit_type.municipality_id, s.permit_type.code))
