"""Working a case from its page: every transition, assignment, priority, reply, note,
reopen and merge, through the actions; bad input re-shows the page with the reason."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from baladiyati.cases.actions import do_transition_case
from baladiyati.cases.models import CaseFollower, ResponseTemplate, Status
from baladiyati.core.models import AuditEvent

from .support import BackofficeTestCase


class CaseActionsTest(BackofficeTestCase):
    def setUp(self) -> None:
        self.case = self.submit()
        self.sign_in(self.clerk)

    def post(self, action: str, **data):
        return self.client.post(f"/backoffice/cases/{self.case.reference}/{action}", data)

    def reload(self):
        self.case.refresh_from_db()
        return self.case

    def test_acknowledge_then_in_progress_then_fixed(self) -> None:
        self.assertEqual(self.post("acknowledge").status_code, 302)
        self.assertEqual(self.reload().status, Status.ACKNOWLEDGED)
        self.post("transition", status="in_progress")
        self.assertEqual(self.reload().status, Status.IN_PROGRESS)
        response = self.post("transition", status="fixed", message="تم الإصلاح")
        self.assertRedirects(
            response, f"/backoffice/cases/{self.case.reference}", fetch_redirect_response=False
        )
        self.assertEqual(self.reload().status, Status.FIXED)
        self.assertTrue(self.case.updates.filter(message="تم الإصلاح").exists())

    def test_closing_without_fixing_needs_a_reason(self) -> None:
        response = self.post("transition", status="closed_not_fixed")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.reload().status, Status.SUBMITTED)
        self.assertTrue(response.context["error"])
        self.post("transition", status="closed_not_fixed", reason="could_not_locate")
        self.assertEqual(self.reload().close_reason, "could_not_locate")

    def test_an_impossible_transition_is_refused_with_the_reason(self) -> None:
        do_transition_case(self.case, Status.FIXED, actor=self.clerk)
        response = self.post("transition", status="in_progress")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.reload().status, Status.FIXED)
        self.assertEqual(self.post("transition", status="sideways").status_code, 400)

    def test_assign_priority_reply_and_note(self) -> None:
        self.post("assign", assignee=str(self.clerk.pk))
        self.assertEqual(self.reload().assignee, self.clerk)
        self.post("assign", assignee="none")
        self.assertIsNone(self.reload().assignee)
        self.post("priority", priority="4")
        self.assertEqual(self.reload().priority, 4)
        self.post("reply", message="شكراً لبلاغك")
        self.assertTrue(self.case.updates.filter(kind="reply", message="شكراً لبلاغك").exists())
        self.post("note", text="تم الاتصال بالمقاول")
        self.assertTrue(self.case.notes.filter(text="تم الاتصال بالمقاول").exists())
        actions = set(
            AuditEvent.objects.filter(object_id=str(self.case.pk)).values_list("action", flat=True)
        )
        self.assertTrue(
            {"case.assigned", "case.prioritised", "case.replied", "case.noted"} <= actions
        )

    def test_empty_reply_and_bad_priority_are_400_and_keep_the_text(self) -> None:
        response = self.post("reply", message="  ")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.post("priority", priority="9").status_code, 400)
        response = self.post("note", text="x" * 5000)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.case.notes.count(), 0)

    def test_only_a_supervisor_moves_a_case_to_another_department(self) -> None:
        response = self.post("assign", department=str(self.lighting.pk))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.reload().department, self.roads)
        self.client.logout()
        self.sign_in(self.supervisor)
        self.post("assign", department=str(self.lighting.pk), assignee=str(self.lighting_clerk.pk))
        self.assertEqual(self.reload().department, self.lighting)
        self.assertEqual(self.case.assignee, self.lighting_clerk)

    def test_merge_as_duplicate_carries_reporter_and_followers_over(self) -> None:
        original = self.submit(actor=self.citizen2)
        follower = self.agent  # any account following the duplicate
        CaseFollower.objects.create(case=self.case, user=follower)
        response = self.post("merge", into=original.reference.lower())
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.reload().status, Status.DUPLICATE)
        self.assertEqual(self.case.duplicate_of, original)
        followers = set(original.followers.values_list("user_id", flat=True))
        self.assertTrue({self.citizen.pk, follower.pk} <= followers)

    def test_merge_into_an_unknown_or_other_city_reference_is_refused(self) -> None:
        other = self.submit(
            self.sohar_pothole, lat=24.35, lon=56.70, actor=AnonymousUser(), answers={}
        )
        for into in ("", "MCT-2026-999999", other.reference):
            with self.subTest(into=into):
                response = self.post("merge", into=into)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(self.reload().status, Status.SUBMITTED)

    def test_staff_reopen_a_closed_case(self) -> None:
        do_transition_case(self.case, Status.FIXED, actor=self.clerk)
        self.assertEqual(self.post("reopen", message="").status_code, 400)
        self.post("reopen", message="المواطن اتصل مجدداً")
        self.assertEqual(self.reload().status, Status.REOPENED)
        self.assertEqual(self.case.reopen_count, 1)

    def test_the_page_after_an_action_is_in_arabic_and_english(self) -> None:
        response = self.client.post(
            f"/backoffice/cases/{self.case.reference}/acknowledge", follow=True
        )
        self.assertContains(response, "تم استلام البلاغ")
        self.client.cookies["baladiyati_language"] = "en"
        response = self.client.post(
            f"/backoffice/cases/{self.case.reference}/transition",
            {"status": "in_progress"},
            follow=True,
        )
        self.assertContains(response, "Status changed to")


class PauseAndTemplatesTest(BackofficeTestCase):
    def setUp(self) -> None:
        self.case = self.submit()
        self.sign_in(self.clerk)

    def post(self, action: str, **data):
        return self.client.post(f"/backoffice/cases/{self.case.reference}/{action}", data)

    def test_awaiting_the_citizen_pauses_and_resume_restarts(self) -> None:
        self.assertEqual(self.post("await", message="").status_code, 400)
        self.assertEqual(self.post("await", message="أرسل صورة أوضح من فضلك").status_code, 302)
        self.case.refresh_from_db()
        self.assertTrue(self.case.is_awaiting_citizen)
        page = self.client.get(f"/backoffice/cases/{self.case.reference}")
        self.assertContains(page, 'id="sla-paused"')
        self.assertContains(page, "/resume")
        self.assertEqual(self.post("resume").status_code, 302)
        self.case.refresh_from_db()
        self.assertFalse(self.case.is_awaiting_citizen)
        self.assertEqual(self.post("resume").status_code, 400)  # not paused any more

    def test_response_templates_are_offered_in_both_languages_with_placeholders(self) -> None:
        ResponseTemplate.objects.create(
            municipality=self.muscat,
            service=self.pothole,
            name_ar="شكر",
            name_en="Thanks",
            text_ar="شكراً، بلاغك {reference} قيد المعالجة",
            text_en="Thank you, {reference} is being handled",
        )
        ResponseTemplate.objects.create(
            municipality=self.muscat,
            service=self.streetlight,
            name_ar="إنارة",
            name_en="Lights",
            text_ar="x",
            text_en="x",
        )
        page = self.client.get(f"/backoffice/cases/{self.case.reference}")
        templates = page.context["templates"]
        self.assertEqual([t["name"] for t in templates], ["شكر"])
        self.assertIn(self.case.reference, templates[0]["ar"])
        self.assertIn(f"Thank you, {self.case.reference}", templates[0]["en"])
        self.assertContains(page, "data-templates")
