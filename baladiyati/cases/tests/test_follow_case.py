"""do_follow_case: "this is my problem too" instead of a duplicate report."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from baladiyati.cases.actions import Contact, do_follow_case, do_transition_case
from baladiyati.cases.models import Case, CaseFollower
from baladiyati.core.models import AuditEvent
from baladiyati.testing import BaseTestCase


class FollowCaseTests(BaseTestCase):
    def test_a_citizen_follows_an_open_case_once(self) -> None:
        case = self.submit()
        do_follow_case(case, actor=self.citizen2)
        do_follow_case(case, actor=self.citizen2)
        self.assertEqual(CaseFollower.objects.filter(case=case, user=self.citizen2).count(), 1)
        self.assertIn(case, Case.objects.followed_by(self.citizen2))
        self.assertEqual(AuditEvent.objects.filter(action="case.followed").count(), 1)

    def test_someone_without_an_account_leaves_a_phone(self) -> None:
        case = self.submit()
        follower = do_follow_case(case, actor=AnonymousUser(), contact=Contact(phone="9988 7766"))
        self.assertIsNone(follower.user_id)
        self.assertEqual(follower.contact_phone, "+96899887766")

    def test_a_bad_phone_is_refused_and_nothing_written(self) -> None:
        case = self.submit()
        before = CaseFollower.objects.count()
        with self.assertRaises(ValidationError):
            do_follow_case(case, actor=AnonymousUser(), contact=Contact(phone="12"))
        self.assertEqual(CaseFollower.objects.count(), before)

    def test_a_closed_case_cannot_be_followed(self) -> None:
        case = self.submit()
        do_transition_case(case, "fixed", actor=self.clerk)
        with self.assertRaises(ValidationError):
            do_follow_case(case, actor=self.citizen2)

    def test_a_private_case_cannot_be_followed(self) -> None:
        case = self.submit(is_private=True)
        with self.assertRaises(PermissionDenied):
            do_follow_case(case, actor=self.citizen2)


class SimilarCasesTests(BaseTestCase):
    def test_open_public_cases_of_the_same_service_within_50_metres_are_found(self) -> None:
        here = self.submit(lat=23.6000, lon=58.5000)
        self.submit(lat=23.6003, lon=58.5000)  # ~33 m north
        far = self.submit(lat=23.6010, lon=58.5000)  # ~111 m
        other_service = self.submit(self.streetlight, lat=23.6000, lon=58.5001)
        private = self.submit(lat=23.6000, lon=58.5001, is_private=True)
        closed = self.submit(lat=23.6000, lon=58.5002)
        do_transition_case(closed, "fixed", actor=self.clerk)
        found = list(Case.objects.similar_open(self.pothole, 23.6001, 58.5000))
        self.assertEqual(len(found), 2)
        self.assertEqual(found[0], here)
        for excluded in (far, other_service, private, closed):
            self.assertNotIn(excluded, found)

    def test_near_agrees_with_the_great_circle_distance(self) -> None:
        from baladiyati.core.geo import distance_m

        points = [(23.6 + i * 0.0001, 58.5 + i * 0.0001) for i in range(10)]
        for lat, lon in points:
            self.submit(lat=lat, lon=lon)
        got = set(Case.objects.near(23.6, 58.5, 100).values_list("lat", "lon"))
        expected = {(lat, lon) for lat, lon in points if distance_m(23.6, 58.5, lat, lon) <= 100}
        self.assertEqual(got, expected)
