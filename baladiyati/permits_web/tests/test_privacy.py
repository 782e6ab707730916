"""An applicant never sees another applicant's file: every page answers 404."""

from __future__ import annotations

from django.urls import reverse

from baladiyati.permits.models import Application
from baladiyati.permits.tests.world import PDF, PermitTestCase


class PrivacyTest(PermitTestCase):
    def test_another_applicant_gets_404_on_every_page_of_the_file(self) -> None:
        application = self.submitted()
        document = application.documents.first()
        self.client.force_login(self.citizen2)
        ref = application.reference
        gets = ["application", "certificate"]
        for name in gets:
            response = self.client.get(reverse(f"permits_web:{name}", args=[ref]))
            self.assertEqual(response.status_code, 404, name)
        posts = {
            "save": {"plot_number": "1"},
            "submit": {},
            "upload": {"document_type": "site_plan", "file": PDF},
            "pay": {},
            "renew": {},
            "inspect": {"kind": "final", "day": "2030-01-01", "slot": "morning"},
        }
        for name, data in posts.items():
            response = self.client.post(reverse(f"permits_web:{name}", args=[ref]), data)
            self.assertEqual(response.status_code, 404, name)
        response = self.client.post(reverse("permits_web:remove_document", args=[ref, document.pk]))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(
            self.client.get(reverse("permits_web:applications")).content.count(ref.encode()), 0
        )
        application.refresh_from_db()
        self.assertEqual(application.documents.count(), 3)

    def test_office_members_see_their_offices_files_only(self) -> None:
        mine = self.draft(actor=self.consultant, organisation=self.office, owner_name="خميس")
        other = self.draft()
        self.client.force_login(self.consultant)
        self.assertEqual(
            self.client.get(reverse("permits_web:application", args=[mine.reference])).status_code,
            200,
        )
        self.assertEqual(
            self.client.get(reverse("permits_web:application", args=[other.reference])).status_code,
            404,
        )

    def test_signed_out_visitors_are_sent_to_sign_in(self) -> None:
        response = self.client.get(reverse("permits_web:applications"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("portal:signin"), response["Location"])
        self.assertEqual(Application.objects.count(), 0)

    def test_my_applications_lists_mine_in_a_fixed_number_of_queries(self) -> None:
        for _ in range(3):
            self.draft()
        self.client.force_login(self.citizen)
        with self.assertNumQueries(3):
            response = self.client.get(reverse("permits_web:applications"))
        self.assertEqual(response.content.count(b'class="title"'), 3)
