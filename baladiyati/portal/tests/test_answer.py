"""POST /track/<token>/answer: the reporter answers the municipality's question, and the
request's clock starts again (cases.actions.do_resume_case)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from baladiyati.cases.actions import do_await_citizen
from baladiyati.cases.models import Case, CaseUpdate

from .support import PortalTestCase

QUESTION = "أين تقع الحفرة بالضبط؟"


class AnswerTests(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.submit(actor=AnonymousUser(), contact=self.anonymous)
        do_await_citizen(self.case, QUESTION, actor=self.clerk)
        self.page = f"/track/{self.case.tracking_token}"
        self.url = f"{self.page}/answer"

    def test_the_tracking_page_asks_for_an_answer_in_arabic(self) -> None:
        response = self.client.get(self.page)
        self.assertContains(response, QUESTION)
        self.assertContains(response, "بانتظار ردّك")
        self.assertContains(response, f'action="{self.url}"')

    def test_the_tracking_page_asks_for_an_answer_in_english(self) -> None:
        self.english()
        response = self.client.get(self.page)
        self.assertContains(response, "The municipality is waiting for your answer")
        self.assertContains(response, "Waiting for the citizen")
        self.assertContains(response, "Send my answer")

    def test_the_reporter_answers_and_work_resumes(self) -> None:
        response = self.client.post(self.url, {"answer": "أمام المسجد الكبير"})
        self.assertRedirects(response, self.page, fetch_redirect_response=False)
        self.case.refresh_from_db()
        self.assertFalse(self.case.is_awaiting_citizen)
        update = self.case.updates.get(kind=CaseUpdate.Kind.RESUMED)
        self.assertEqual(update.message, "أمام المسجد الكبير")
        page = self.client.get(self.page)
        self.assertContains(page, "شكراً")
        self.assertContains(page, "أمام المسجد الكبير")
        self.assertNotContains(page, f'action="{self.url}"')

    def test_an_answer_is_required_in_both_languages(self) -> None:
        response = self.client.post(self.url, {"answer": "  "})
        self.assertContains(response, "يرجى كتابة", status_code=400)
        self.english()
        response = self.client.post(self.url, {"answer": ""})
        self.assertContains(response, "Please write a message.", status_code=400)
        self.assertTrue(Case.objects.get().is_awaiting_citizen)

    def test_a_request_that_is_not_waiting_cannot_be_answered(self) -> None:
        self.client.post(self.url, {"answer": "أمام المسجد"})
        self.english()
        response = self.client.post(self.url, {"answer": "again"})
        self.assertContains(response, "not waiting for the citizen", status_code=400)
        self.assertEqual(self.case.updates.filter(kind=CaseUpdate.Kind.RESUMED).count(), 1)

    def test_a_wrong_token_is_not_found(self) -> None:
        response = self.client.post("/track/not-the-token/answer", {"answer": "x"})
        self.assertEqual(response.status_code, 404)
        self.assertTrue(Case.objects.get().is_awaiting_citizen)

    def test_a_case_that_is_not_waiting_shows_no_answer_form(self) -> None:
        other = self.submit()
        response = self.client.get(f"/track/{other.tracking_token}")
        self.assertNotContains(response, "/answer")

    def test_answering_needs_a_post(self) -> None:
        self.assertEqual(self.client.get(self.url).status_code, 405)
