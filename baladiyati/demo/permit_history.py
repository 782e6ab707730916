"""A few building-permit applications for the demo, replayed through permits.actions at the
moments they happened: one issued and inspected, one with changes requested, one in review,
one draft. Payment goes through the fake gateway's signed callback like a real one.

Each department's review is decided by that department's reviewer (maryam, yousuf, talal,
huda), in parallel; noor (no department) is the fallback. Staff act in working hours on
working days; applicants at any hour."""

from __future__ import annotations

import datetime as dt
from typing import Any

from baladiyati.accounts.models import Role
from baladiyati.cities.models import Municipality
from baladiyati.core import clock, geo
from baladiyati.permits import actions, payments
from baladiyati.permits.models import Application, Invoice

PDF = b"%PDF-1.4\n% Baladiyati demo document\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def _point(municipality: Municipality, wilayat: str) -> tuple[float, float]:
    district = municipality.districts.get(code=wilayat)
    point = geo.geometry(district.boundary).representative_point()
    return point.y, point.x


def _apply(
    municipality: Municipality,
    owner: Any,
    type_code: str,
    wilayat: str,
    plot: str,
    *,
    documents: bool = True,
    **values: Any,
) -> Application:
    lat, lon = _point(municipality, wilayat)
    application = actions.do_create_draft(
        municipality=municipality,
        permit_type_code=type_code,
        actor=owner,
        plot_number=plot,
        title_deed_number=f"TD-{plot.replace('/', '')}",
        lat=lat,
        lon=lon,
        **values,
    )
    if documents:
        for doc_type in application.permit_type.required_documents.all():
            actions.do_upload_document(
                application,
                document_type_code=doc_type.code,
                upload=PDF,
                name=f"{doc_type.code}.pdf",
                actor=owner,
            )
    return application


def _reviewers(municipality: Municipality) -> dict[int | None, Any]:
    """Active permit reviewers by department id (None: the one without a department)."""
    found: dict[int | None, Any] = {}
    for m in (
        municipality.staff.filter(role=Role.PERMIT_REVIEWER, is_active=True)
        .select_related("user")
        .order_by("pk")
    ):
        found.setdefault(m.department_id, m.user)
    return found


def _decide_all(
    application: Application,
    reviewers: dict[int | None, Any],
    at: dt.datetime,
    decision: str = "approved",
) -> None:
    """Every department decides, each by its own reviewer, a quarter of an hour apart."""
    reviews = application.active_round().reviews.order_by("pk")  # type: ignore[union-attr]
    for index, review in enumerate(reviews):
        reviewer = reviewers.get(review.department_id) or reviewers[None]
        with clock.frozen_at(at + index * dt.timedelta(minutes=15)):
            actions.do_decide_review(review, decision=decision, actor=reviewer)


def replay_permits(municipality: Municipality, citizens: list[Any], *, now: dt.datetime) -> int:
    """Four applications in Muscat's catalogue; returns how many were made."""
    reviewers = _reviewers(municipality)
    if not reviewers or not citizens:
        return 0
    reviewers.setdefault(None, next(iter(reviewers.values())))
    noor = reviewers[None]
    salim, aisha = citizens[0], citizens[-1]
    engine = municipality.calendar.engine()
    first_day = (now - 12 * DAY).astimezone(municipality.zoneinfo).date()
    while not engine.is_working_day(first_day):
        first_day += DAY
    # A working morning: submitted at 08:00, reviewed by 13:00, paid at 13:30.
    start = dt.datetime.combine(first_day, dt.time(8), tzinfo=municipality.zoneinfo)

    # 1. Salim's villa: complete, approved within the day, paid, issued, foundations inspected.
    with clock.frozen_at(start):
        villa = _apply(
            municipality,
            salim,
            "new-minor",
            "seeb",
            "1520/7",
            land_use="residential",
            built_up_area="380",
            floors="2",
            estimated_cost="72000",
            description="فيلا سكنية من طابقين",
        )
        actions.do_submit_application(villa, actor=salim)
    _decide_all(villa, reviewers, start + 4 * HOUR)
    with clock.frozen_at(start + 5.5 * HOUR):
        invoice = Invoice.objects.get(application=villa)
        intent = actions.do_start_payment(invoice, gateway="fake", actor=salim)
        gateway = payments.FakeGateway()
        fields = {
            "intent": intent.nonce,
            "amount": f"{intent.amount:.3f}",
            "currency": intent.currency,
            "return": "/",
        }
        payments.handle_callback("fake", gateway.callback_fields(fields, succeeded=True))
    villa.refresh_from_db()
    day = (start + 2 * DAY).astimezone(municipality.zoneinfo).date()
    while not engine.is_working_day(day):
        day += DAY
    with clock.frozen_at(start + DAY):
        inspection = actions.do_schedule_inspection(
            villa.permit, kind="foundation", day=day, slot="morning", actor=salim
        )
    with clock.frozen_at(dt.datetime.combine(day, dt.time(9), tzinfo=municipality.zoneinfo)):
        actions.do_record_inspection(
            inspection, result="passed", notes="الأساسات مطابقة للمخططات", actor=noor
        )

    # 2. Salim's boundary wall: the plot sketch is unclear; changes requested.
    with clock.frozen_at(now - 3 * DAY):
        wall = _apply(
            municipality,
            salim,
            "boundary-wall",
            "seeb",
            "1520/7",
            land_use="residential",
            built_up_area="60",
            floors="1",
            estimated_cost="3500",
        )
        actions.do_submit_application(wall, actor=salim)
    # Decided after two working hours (office hours), unless that is still to come.
    decided = engine.add(now - 3 * DAY, 2 * HOUR)
    if decided >= now:
        decided = now - 2 * DAY
    with clock.frozen_at(decided):
        review = wall.active_round().reviews.first()  # type: ignore[union-attr]
        krooki = wall.documents.filter(document_type__code="krooki").first()
        actions.do_decide_review(
            review,  # type: ignore[arg-type]
            decision="changes_requested",
            actor=reviewers.get(review.department_id) or noor,  # type: ignore[union-attr]
            comments=[(krooki.pk if krooki else None, "الكروكي غير واضح؛ أرفق نسخة حديثة.")],
        )

    # 3. Aisha's commercial building: complete, in review since this morning.
    with clock.frozen_at(now - 2 * HOUR):
        shop = _apply(
            municipality,
            aisha,
            "new-major",
            "bawshar",
            "88/2",
            land_use="commercial",
            built_up_area="1250",
            floors="4",
            estimated_cost="410000",
            description="مبنى تجاري من أربعة طوابق",
        )
        actions.do_submit_application(shop, actor=aisha)

    # 4. Aisha's extension: a draft without its documents yet.
    with clock.frozen_at(now - HOUR):
        _apply(
            municipality,
            aisha,
            "extension",
            "muttrah",
            "301/12",
            documents=False,
            land_use="residential",
        )
    return 4
