"""do_merge_case: close a case as a duplicate of an open one, carrying its people over."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from baladiyati.cases.actions import Contact, do_follow_case, do_merge_case, do_transition_case
from baladiyati.cases.models import Case, CaseFollower, Status
from baladiyati.cases.tests.support import WEDNESDAY, NotificationSpy, audit_rows
from baladiyati.core import clock
from baladiyati.testing import BaseTestCase


class MergeCaseTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        with clock.frozen_at(WEDNESDAY):
            self.original = self.submit(actor=self.citizen2)
            self.case = self.submit()  # Salim's report of the same pothole

    def followers(self, case: Case) -> set[object]:
        return {
            f.user_id or f.contact_phone or f.contact_email
            for f in CaseFollower.objects.filter(case=case)
        }

    def test_the_reporter_and_followers_follow_the_original_and_both_sides_are_audited(
        self,
    ) -> None:
        do_follow_case(self.case, actor=AnonymousUser(), contact=Contact(phone="+96890000001"))
        with NotificationSpy() as spy, self.captureOnCommitCallbacks(execute=True):
            merged = do_merge_case(self.case, self.original, actor=self.clerk, message="نفس الحفرة")
        self.assertEqual(
            (merged.status, merged.duplicate_of_id), (Status.DUPLICATE, self.original.pk)
        )
        self.assertEqual(
            self.followers(self.original), {self.citizen2.pk, self.citizen.pk, "+96890000001"}
        )
        self.assertEqual(len(audit_rows(merged, "case.duplicate")), 1)
        (into,) = audit_rows(self.original, "case.merged_into")
        self.assertEqual(into.extra["reference"], self.case.reference)
        self.assertEqual(into.extra["followers_added"], 2)
        # The merged case's people are told (the "duplicate" message says they now follow).
        self.assertEqual(spy.names, ["case.duplicate"])

    def test_an_anonymous_reporter_is_carried_with_their_contact_details(self) -> None:
        with clock.frozen_at(WEDNESDAY):
            anonymous = self.submit(actor=AnonymousUser(), contact=self.anonymous)
        do_merge_case(anonymous, self.original, actor=self.clerk)
        follower = CaseFollower.objects.get(case=self.original, user=None)
        self.assertEqual(
            (follower.contact_phone, follower.contact_email),
            (self.anonymous.phone, self.anonymous.email),
        )

    def test_merging_twice_into_the_same_case_adds_no_duplicate_followers(self) -> None:
        with clock.frozen_at(WEDNESDAY):
            third = self.submit()  # Salim again
        do_merge_case(self.case, self.original, actor=self.clerk)
        do_merge_case(third, self.original, actor=self.clerk)
        self.assertEqual(CaseFollower.objects.filter(case=self.original).count(), 2)

    def test_it_refuses_a_closed_or_duplicate_target(self) -> None:
        do_transition_case(self.original, Status.FIXED, actor=self.clerk)
        with self.assertRaises(ValidationError) as raised:
            do_merge_case(self.case, self.original, actor=self.clerk)
        self.assertEqual(raised.exception.code, "target_closed")
        with clock.frozen_at(WEDNESDAY):
            other, dup = self.submit(), self.submit()
        do_merge_case(dup, other, actor=self.clerk)
        with self.assertRaises(ValidationError) as raised:
            do_merge_case(self.case, dup, actor=self.clerk)
        self.assertEqual(raised.exception.code, "target_closed")
        self.assertEqual(Case.objects.get(pk=self.case.pk).status, Status.SUBMITTED)

    def test_it_refuses_another_municipality_and_the_same_case(self) -> None:
        with clock.frozen_at(WEDNESDAY):
            sohar_case = self.submit(self.sohar_pothole, lat=24.35, lon=56.70)
        with self.assertRaises(ValidationError) as raised:
            do_merge_case(self.case, sohar_case, actor=self.supervisor)
        self.assertEqual(raised.exception.code, "tenant")
        with self.assertRaises(ValidationError) as raised:
            do_merge_case(self.case, self.case, actor=self.clerk)
        self.assertEqual(raised.exception.code, "same_case")

    def test_only_staff_who_work_the_case_may_merge_it(self) -> None:
        for actor in (self.citizen, self.agent, self.lighting_clerk, self.stranger):
            with self.subTest(actor=actor.username), self.assertRaises(PermissionDenied):
                do_merge_case(self.case, self.original, actor=actor)
        self.assertEqual(Case.objects.get(pk=self.case.pk).status, Status.SUBMITTED)
        self.assertEqual(audit_rows(self.original, "case.merged_into"), [])

    def test_a_clerk_cannot_merge_into_a_case_they_may_not_read(self) -> None:
        with clock.frozen_at(WEDNESDAY):
            light = self.submit(self.streetlight)
        with self.assertRaises(PermissionDenied):
            do_merge_case(self.case, light, actor=self.clerk)
        merged = do_merge_case(self.case, light, actor=self.supervisor)
        self.assertEqual(merged.duplicate_of_id, light.pk)
