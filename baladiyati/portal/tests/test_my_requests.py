"""GET /requests: what the signed-in citizen reported or follows, and nothing else."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from baladiyati.cases.actions import do_follow_case

from .support import PortalTestCase


class MyRequestsTests(PortalTestCase):
    def test_it_lists_what_i_reported_and_what_i_follow_only(self) -> None:
        mine = self.submit(actor=self.citizen)
        followed = self.submit(actor=self.citizen2)
        do_follow_case(followed, actor=self.citizen)
        theirs = self.submit(actor=self.citizen2)
        anonymous = self.submit(actor=AnonymousUser(), contact=self.anonymous)
        self.client.force_login(self.citizen)
        response = self.client.get("/requests")
        refs = [c.reference for c in response.context["page"]]
        self.assertEqual(refs, [followed.reference, mine.reference])
        html = self.text(response)
        self.assertNotIn(theirs.reference, html)
        self.assertNotIn(anonymous.reference, html)
        # My own report opens on its private page; one I follow on its public page.
        self.assertIn(f"/track/{mine.tracking_token}", html)
        self.assertIn(f"/cases/muscat/{followed.reference}", html)
        self.assertNotIn(followed.tracking_token, html)

    def test_someone_else_sees_their_own_list(self) -> None:
        self.submit(actor=self.citizen)
        self.client.force_login(self.citizen2)
        self.assertEqual(list(self.client.get("/requests").context["page"]), [])

    def test_without_signing_in_it_invites_to_sign_in(self) -> None:
        self.submit(actor=self.citizen)
        response = self.client.get("/requests")
        self.assertIsNone(response.context["page"])
        self.assertContains(response, "/signin?next=/requests")
        self.english()
        self.assertContains(self.client.get("/requests"), "Sign in with your phone or email")

    def test_it_is_never_cached_by_others(self) -> None:
        self.client.force_login(self.citizen)
        self.assertEqual(self.client.get("/requests")["Cache-Control"], "private, no-store")

    def test_it_reads_a_constant_number_of_queries(self) -> None:
        self.client.force_login(self.citizen)
        for _ in range(2):
            self.submit(actor=self.citizen)
        # Session, user, count, page (with services, wilayats, municipalities).
        with self.assertNumQueries(4):
            self.client.get("/requests")
        for _ in range(5):
            self.submit(actor=self.citizen)
        with self.assertNumQueries(4):
            self.client.get("/requests")
