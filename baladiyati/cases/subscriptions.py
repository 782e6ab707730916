"""Area subscriptions: who is told of a new case in a wilayat or within a circle.

`do_subscribe_area` / `do_unsubscribe` (cases.actions) write subscriptions; here they are
matched against a new case. Matching runs after the submission commits, as a background task
(`match_new_case`), so a report is not slowed down by its subscribers: the database narrows
the candidates to the case's wilayat or the circles whose bounding box holds the point
(indexes `area_sub_district`, `area_sub_box`), and the exact distance is checked here.
Only published cases are announced: a private or hidden report is nobody else's business.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django_tasks import task

from baladiyati.core import geo
from baladiyati.core.prepared import Query, Slot
from baladiyati.notify.events import Event, queue

from .models import AreaSubscription, Case

# Circles smaller than a street or larger than a city make no sense.
MIN_RADIUS_M = 100
MAX_RADIUS_M = 20_000


def match(case: Case) -> list[AreaSubscription]:
    """The active subscriptions whose area holds the case (and whose service fits)."""
    area = Q(
        min_lat__lte=case.lat, max_lat__gte=case.lat, min_lon__lte=case.lon, max_lon__gte=case.lon
    )
    if case.district_id:
        area |= Q(district_id=case.district_id)
    candidates = AreaSubscription.objects.filter(
        area,
        Q(service__isnull=True) | Q(service_id=case.service_id),
        municipality_id=case.municipality_id,
        is_active=True,
    )
    found = []
    for sub in candidates:
        if sub.district_id:
            if sub.district_id == case.district_id:
                found.append(sub)
        elif (
            sub.lat is not None
            and sub.lon is not None
            and geo.distance_m(sub.lat, sub.lon, case.lat, case.lon) <= (sub.radius_m or 0)
        ):
            found.append(sub)
    return found


def announce(case: Case) -> int:
    """Queue "a new case in your area" for each matching subscriber; the number told.

    One event per subscription, so that each message's unsubscribe link ends that
    subscription only (its topic). The reporter is not told of their own case.
    """
    if case.is_private or case.is_hidden:
        return 0
    told = 0
    for sub in match(case):
        if sub.user_id and sub.user_id == case.reporter_id:
            continue
        contacts: list[dict[str, Any]] = []
        if not sub.user_id:
            contacts.append(
                {
                    "email": sub.contact_email,
                    "phone": sub.contact_phone,
                    "language": sub.contact_language,
                }
            )
        queue(
            Event(
                name="case.new_in_area",
                municipality_id=case.municipality_id,
                object_type="cases.case",
                object_id=case.pk,
                recipient_ids=(sub.user_id,) if sub.user_id else (),
                topic=f"cases.areasubscription:{sub.pk}",
                context={
                    "reference": case.reference,
                    "service": case.service,
                    "wilayat": case.district or "",
                    "address": case.address,
                    "contacts": contacts,
                },
            )
        )
        told += 1
    return told


@task()
def match_new_case(case_id: int) -> int:
    case = Case.objects.select_related("service", "district").filter(pk=case_id).first()
    if case is None:
        return 0
    with transaction.atomic():
        return announce(case)


# Asked at every submission: compiled once (core/prepared.py).
_ANY_SUBSCRIPTION = Query(
    lambda s: (
        AreaSubscription.objects.filter(municipality_id=s["municipality"], is_active=True)
        .order_by()
        .values_list("pk")[:1]
    ),
    [Slot("municipality")],
)


def notify_on_commit(case: Case) -> None:
    """Called by do_submit_case inside its transaction: match once the case is committed.

    A city without subscribers costs one indexed read and queues no task.
    """
    if case.is_private or case.is_hidden:
        return
    if _ANY_SUBSCRIPTION.one({"municipality": case.municipality_id}) is None:
        return
    case_id = case.pk
    transaction.on_commit(lambda: match_new_case.enqueue(case_id))
