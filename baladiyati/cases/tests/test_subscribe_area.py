"""do_subscribe_area / do_unsubscribe and matching: told of new cases in a wilayat or circle."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from baladiyati.cases.actions import Contact, do_subscribe_area, do_unsubscribe
from baladiyati.cases.models import AreaSubscription
from baladiyati.cases.subscriptions import match
from baladiyati.cases.tests.support import WEDNESDAY, NotificationSpy, audit_rows
from baladiyati.core import clock
from baladiyati.notify import sms
from baladiyati.testing import MUSCAT_POINT, MUTTRAH_POINT, BaseTestCase


class SubscribeAreaTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        sms.outbox.clear()

    def circle(self, radius_m: float = 500, **kwargs: object) -> AreaSubscription:
        defaults: dict[str, object] = {
            "municipality": self.muscat,
            "actor": self.citizen2,
            "lat": MUTTRAH_POINT[0],
            "lon": MUTTRAH_POINT[1],
            "radius_m": radius_m,
        }
        defaults.update(kwargs)
        return do_subscribe_area(**defaults)  # type: ignore[arg-type]

    def submit_and_commit(self, **kwargs: object) -> NotificationSpy:
        with (
            NotificationSpy() as spy,
            clock.frozen_at(WEDNESDAY),
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.submit(**kwargs)
        return spy

    def test_a_new_case_in_the_wilayat_is_announced_to_its_subscriber(self) -> None:
        do_subscribe_area(municipality=self.muscat, actor=self.citizen2, district=self.muttrah)
        spy = self.submit_and_commit()
        self.assertEqual(spy.names, ["case.submitted", "case.new_in_area"])
        self.assertEqual(spy.events[1].recipient_ids, (self.citizen2.pk,))

    def test_a_circle_matches_by_distance_after_the_box_prefilter(self) -> None:
        near = self.circle(500)
        # 0.004° of latitude ≈ 445 m north: inside 500 m, outside 400 m.
        north = (MUTTRAH_POINT[0] + 0.004, MUTTRAH_POINT[1])
        small = self.circle(400, actor=self.citizen)
        with clock.frozen_at(WEDNESDAY):
            case = self.submit(lat=north[0], lon=north[1])
        self.assertEqual(match(case), [near])
        self.assertNotIn(small, match(case))
        # A point inside the box but outside the circle (the corner) does not match.
        corner = (MUTTRAH_POINT[0] + 0.0042, MUTTRAH_POINT[1] + 0.0046)
        with clock.frozen_at(WEDNESDAY):
            case = self.submit(lat=corner[0], lon=corner[1])
        self.assertEqual(match(case), [])

    def test_matching_is_one_query_whatever_the_number_of_subscriptions(self) -> None:
        for _ in range(5):
            self.circle(1000, actor=AnonymousUser(), contact=Contact(phone="+96890000003"))
        do_subscribe_area(municipality=self.muscat, actor=self.citizen2, district=self.muttrah)
        with clock.frozen_at(WEDNESDAY):
            case = self.submit()
        with self.assertNumQueries(1):
            self.assertEqual(len(match(case)), 6)

    def test_other_areas_services_and_cities_do_not_match(self) -> None:
        do_subscribe_area(
            municipality=self.muscat, actor=self.citizen2, district=self.muscat_wilayat
        )
        self.circle(500, service=self.streetlight)
        do_subscribe_area(
            municipality=self.sohar,
            actor=self.citizen2,
            lat=24.35,
            lon=56.70,
            radius_m=20_000,
        )
        spy = self.submit_and_commit()  # a pothole in Muttrah
        self.assertEqual(spy.names, ["case.submitted"])

    def test_private_cases_are_not_announced_and_the_reporter_is_not_told_of_their_own(
        self,
    ) -> None:
        do_subscribe_area(municipality=self.muscat, actor=self.citizen, district=self.muttrah)
        self.assertEqual(self.submit_and_commit().names, ["case.submitted"])
        do_subscribe_area(municipality=self.muscat, actor=self.citizen2, district=self.muttrah)
        self.assertEqual(self.submit_and_commit(is_private=True).names, ["case.submitted"])

    def test_an_anonymous_subscriber_gets_an_sms_in_their_language_with_an_unsubscribe_link(
        self,
    ) -> None:
        self.circle(
            800, actor=AnonymousUser(), contact=Contact(phone="+96890000004", language="en")
        )
        self.submit_and_commit()
        (text,) = [m.text for m in sms.outbox if m.to == "+96890000004"]
        self.assertIn("New request MCT-2026-", text)
        self.assertIn("(Pothole) in Muttrah", text)
        self.assertIn("/notify/unsubscribe/", text)
        self.assertEqual(mail.outbox[-1].to, ["salim@example.om"])  # only the reporter's email

    def test_an_anonymous_subscriber_must_leave_a_phone_or_an_email(self) -> None:
        with self.assertRaises(ValidationError) as raised:
            self.circle(actor=AnonymousUser())
        self.assertEqual(set(raised.exception.message_dict), {"contact"})

    def test_bad_areas_are_refused_with_field_errors(self) -> None:
        cases = [
            ({"radius_m": 50}, "radius_m"),
            ({"radius_m": 50_000}, "radius_m"),
            ({"lat": 24.35, "lon": 56.70}, "location"),  # in Sohar
            ({"lat": "north"}, "area"),
            ({"district": self.muttrah}, "area"),  # both a wilayat and a circle
            ({"service": self.sohar_pothole}, "service_code"),
        ]
        for kwargs, field in cases:
            with self.subTest(field=field, kwargs=kwargs), self.assertRaises(ValidationError) as e:
                self.circle(**kwargs)
            self.assertIn(field, e.exception.message_dict)
        with self.assertRaises(ValidationError) as raised:
            do_subscribe_area(municipality=self.sohar, actor=self.citizen2, district=self.muttrah)
        self.assertIn("area", raised.exception.message_dict)
        self.assertFalse(AreaSubscription.objects.exists())

    def test_subscribing_twice_is_a_no_op_and_it_is_audited_once(self) -> None:
        first = self.circle(500)
        self.assertEqual(self.circle(500), first)
        self.assertEqual(AreaSubscription.objects.count(), 1)
        self.assertEqual(len(audit_rows(first, "case.area_subscribed")), 1)

    def test_unsubscribing_stops_the_announcements_and_only_the_owner_may(self) -> None:
        sub = do_subscribe_area(
            municipality=self.muscat, actor=self.citizen2, district=self.muttrah
        )
        for actor in (self.citizen, self.clerk, self.stranger):
            with self.subTest(actor=actor.username), self.assertRaises(PermissionDenied):
                do_unsubscribe(sub, actor=actor)
        do_unsubscribe(sub, actor=self.citizen2)
        do_unsubscribe(sub, actor=self.citizen2)  # twice: a no-op
        self.assertEqual(len(audit_rows(sub, "case.area_unsubscribed")), 1)
        self.assertEqual(self.submit_and_commit().names, ["case.submitted"])
        other = self.circle(500)
        do_unsubscribe(other, actor=self.admin)  # the municipality's admin may end any
        self.assertFalse(AreaSubscription.objects.get(pk=other.pk).is_active)

    def test_the_wilayat_subscriber_is_not_told_of_a_case_in_the_next_wilayat(self) -> None:
        do_subscribe_area(municipality=self.muscat, actor=self.citizen2, district=self.muttrah)
        spy = self.submit_and_commit(lat=MUSCAT_POINT[0], lon=MUSCAT_POINT[1])
        self.assertEqual(spy.names, ["case.submitted"])
