"""The case page: facts, timeline, notes, photos, map, reporter panel by role, audit trail."""

from __future__ import annotations

import re
import shutil
import tempfile
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from baladiyati.accounts.models import User
from baladiyati.cases.actions import (
    do_add_note,
    do_assign_case,
    do_reopen_case,
    do_reply_to_case,
    do_transition_case,
)
from baladiyati.cases.models import Case, Status
from baladiyati.core.models import AuditEvent
from baladiyati.core.text import to_arabic_digits
from baladiyati.testing import jpeg_bytes

from .support import BackofficeTestCase


class CasePageTest(BackofficeTestCase):
    def setUp(self) -> None:
        media = tempfile.mkdtemp(prefix="backoffice-media-")
        self.addCleanup(shutil.rmtree, media, True)
        setting = override_settings(MEDIA_ROOT=media)
        setting.enable()
        self.addCleanup(setting.disable)
        self.case = self.submit(photos=[jpeg_bytes()])
        self.anon = self.submit(actor=AnonymousUser(), contact=self.anonymous)

    def page(self, case=None):
        return self.client.get(f"/backoffice/cases/{(case or self.case).reference}")

    def test_shows_the_timeline_notes_photos_map_and_audit_trail(self) -> None:
        do_reply_to_case(self.case, "سنرسل فريقاً", actor=self.clerk)
        do_add_note(self.case, "يحتاج معدات ثقيلة", actor=self.clerk)
        self.sign_in(self.clerk)
        response = self.page()
        self.assertContains(response, "سنرسل فريقاً")
        self.assertContains(response, "يحتاج معدات ثقيلة")
        photo = self.case.photos.get()
        self.assertContains(response, f"/photos/{photo.pk}.jpg")
        self.assertContains(response, 'data-map="view"')
        self.assertContains(response, "portal/vendor/leaflet/leaflet.js")
        self.assertContains(response, "case.submitted")
        self.assertContains(response, "case.replied")
        image = self.client.get(f"/backoffice/cases/{self.case.reference}/photos/{photo.pk}.jpg")
        self.assertEqual(image["Content-Type"], "image/jpeg")

    def test_reopen_history_lists_every_reopening(self) -> None:
        do_transition_case(self.case, Status.FIXED, actor=self.clerk)
        do_reopen_case(self.case, "ما زالت الحفرة موجودة", actor=self.citizen)
        self.sign_in(self.clerk)
        response = self.page()
        self.assertEqual(len(response.context["reopens"]), 1)
        self.assertContains(response, "ما زالت الحفرة موجودة")

    def test_agents_and_supervisors_see_contact_details_in_full(self) -> None:
        for user in (self.agent, self.supervisor):
            with self.subTest(user=user.username):
                self.sign_in(user)
                response = self.page(self.anon)
                self.assertContains(response, "+96899887766")
                self.assertContains(response, "hamad@example.om")
                self.assertContains(response, "/backoffice/contact?phone=")

    def test_a_clerk_sees_contact_details_masked(self) -> None:
        self.sign_in(self.clerk)
        response = self.page(self.anon)
        self.assertNotContains(response, "+96899887766")
        self.assertNotContains(response, "hamad@example.om")
        self.assertContains(response, "•766")
        self.assertContains(response, "h•••@example.om")
        response = self.page()
        self.assertNotContains(response, "+96891234567")

    def test_an_agent_reads_but_gets_no_work_forms(self) -> None:
        self.sign_in(self.agent)
        response = self.page()
        self.assertFalse(response.context["may_work"])
        self.assertNotContains(response, "/transition")
        self.assertContains(response, "/note")

    def test_an_unknown_reference_or_photo_is_404(self) -> None:
        self.sign_in(self.supervisor)
        self.assertEqual(self.client.get("/backoffice/cases/MCT-2026-999999").status_code, 404)
        url = f"/backoffice/cases/{self.case.reference}/photos/999999.jpg"
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(
            self.client.post(f"/backoffice/cases/{self.case.reference}/explode").status_code, 404
        )


class CasePageAuditAndQueriesTest(BackofficeTestCase):
    def test_the_audit_trail_names_what_changed(self) -> None:
        case = self.submit()
        do_transition_case(case, Status.ACKNOWLEDGED, actor=self.clerk)
        self.sign_in(self.clerk)
        response = self.client.get(f"/backoffice/cases/{case.reference}")
        rows = response.context["audit"]
        self.assertEqual([r["event"].action for r in rows], ["case.acknowledged", "case.submitted"])
        # Fields by the model's verbose names, in the page's language.
        submitted = {f: (b, a) for f, b, a in rows[1]["changes"]}
        self.assertEqual(submitted["القسم"], ("—", str(self.roads)))
        self.assertEqual(submitted["الخدمة"], ("—", str(self.pothole)))
        acknowledged = {f: (b, a) for f, b, a in rows[0]["changes"]}
        self.assertEqual(acknowledged["الحالة"], ("مُقدَّم", "تم الاستلام"))

    def test_the_page_costs_the_same_however_long_the_history(self) -> None:
        case = self.submit()
        # Every kind of name the audit trail looks up (department, service, assignee) is
        # already there: one query per kind, however many events name it.
        do_assign_case(case, actor=self.clerk, assignee=self.supervisor)
        self.sign_in(self.clerk)
        url = f"/backoffice/cases/{case.reference}"
        self.client.get(url)
        with CaptureQueriesContext(connection) as short:
            self.client.get(url)
        for n in range(4):
            do_reply_to_case(case, f"رد {n}", actor=self.clerk)
            do_add_note(case, f"ملاحظة {n}", actor=self.supervisor)
        do_transition_case(case, Status.FIXED, actor=self.clerk)
        do_reopen_case(case, "لم يصلح", actor=self.citizen)
        do_assign_case(case, actor=self.clerk, assignee=self.clerk)
        with CaptureQueriesContext(connection) as long:
            response = self.client.get(url)
        self.assertEqual(len(response.context["updates"]), 7)
        self.assertEqual(len(short), len(long), [q["sql"] for q in long.captured_queries])


def _text(response) -> str:
    """What a reader sees: the page without its tags and attributes."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


class CasePageReadsLikeThePageLanguageTest(BackofficeTestCase):
    """Answers, the audit trail and people's own words as staff read them, in both languages."""

    def page(self, case, language: str = "ar"):
        self.client.cookies["baladiyati_language"] = language
        return self.client.get(f"/backoffice/cases/{case.reference}")

    def test_answers_show_the_questions_and_the_chosen_options(self) -> None:
        case = self.submit(answers={"size": "large", "depth_cm": 12})
        lights = self.submit(
            self.streetlight, answers={"pole": "L-7", "hazards": ["wires", "dark"]}
        )
        self.sign_in(self.clerk)
        arabic = _text(self.page(case))
        self.assertIn("ما حجم الحفرة؟ كبيرة", arabic)
        self.assertIn("العمق بالسنتيمتر ١٢", arabic)
        self.assertNotIn("size large", arabic)
        english = _text(self.page(case, "en"))
        self.assertIn("How big is the pothole? Large", english)
        self.assertIn("Depth in centimetres 12", english)
        self.assertNotIn("size large", english)
        self.sign_in(self.supervisor)
        english = _text(self.page(lights, "en"))
        self.assertIn("Exposed wires, Complete darkness", english)
        arabic = _text(self.page(lights))
        self.assertIn("، ", arabic.split("أسلاك مكشوفة", 1)[1][:3])
        self.assertIn("Pole number L-7", english)

    def test_an_answer_whose_question_was_removed_still_shows_under_its_code(self) -> None:
        case = self.submit(answers={"size": "small"})
        Case.objects.filter(pk=case.pk).update(answers={"size": "small", "old_code": "kept"})
        self.sign_in(self.clerk)
        text = _text(self.page(case, "en"))
        self.assertIn("How big is the pothole? Small", text)
        self.assertIn("old_code kept", text)

    def audit_text(self, response) -> str:
        html = response.content.decode().split('id="audit"', 1)[1].split("</table>", 1)[0]
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))

    def test_the_audit_trail_is_translated_with_local_times_and_the_readers_digits(self) -> None:
        case = self.submit()
        do_transition_case(
            case, Status.CLOSED_NOT_FIXED, actor=self.clerk, reason="no_action_needed"
        )
        event = AuditEvent.objects.get(action="case.closed_not_fixed", object_id=str(case.pk))
        local = event.created_at.astimezone(ZoneInfo("Asia/Muscat")).strftime("%Y-%m-%d %H:%M")
        self.sign_in(self.clerk)
        english = self.audit_text(self.page(case, "en"))
        self.assertIn("Closed without fixing", english)
        self.assertIn("Request submitted", english)
        self.assertIn("Status: Submitted → Closed without fixing", english)
        self.assertIn("Reason for closing: — → No action needed", english)
        self.assertIn(local, english)
        self.assertNotIn("case.closed_not_fixed", english)
        self.assertNotIn("+00:00", english)
        self.assertNotRegex(english, "[٠-٩]")
        arabic = self.audit_text(self.page(case))
        self.assertIn("قُدِّم البلاغ", arabic)
        self.assertIn("الحالة: مُقدَّم ← مغلق دون معالجة", arabic)
        self.assertIn(to_arabic_digits(local), arabic)
        self.assertNotIn("case.closed_not_fixed", arabic)
        self.assertNotRegex(arabic, "[0-9]")

    def test_stored_times_in_changes_are_shown_in_the_municipalitys_time_zone(self) -> None:
        case = self.submit()
        self.sign_in(self.clerk)
        due = Case.objects.get(pk=case.pk).due_at
        local = due.astimezone(ZoneInfo("Asia/Muscat")).strftime("%Y-%m-%d %H:%M")
        english = self.audit_text(self.page(case, "en"))
        self.assertIn(f"Due: — → {local}", english)
        self.assertNotIn(due.isoformat(), english)

    def test_an_unknown_action_reads_as_words_and_a_chosen_digit_style_wins(self) -> None:
        case = self.submit()
        AuditEvent.objects.create(
            created_at=case.created_at,
            actor=None,
            actor_label="system",
            action="case.sms_bounced",
            object_type="cases.case",
            object_id=str(case.pk),
            municipality_id=case.municipality_id,
        )
        User.objects.filter(pk=self.clerk.pk).update(digit_preference="arab")
        self.sign_in(self.clerk)
        english = self.audit_text(self.page(case, "en"))
        self.assertIn("Sms bounced", english)
        self.assertIn("System", english)
        self.assertRegex(english, "[٠-٩]{4}-[٠-٩]{2}")

    def test_peoples_words_take_their_own_direction_on_either_page(self) -> None:
        case = self.submit(description="حفرة كبيرة أمام المسجد")
        do_reply_to_case(case, "سنرسل فريقاً", actor=self.clerk)
        do_add_note(case, "Needs heavy equipment", actor=self.clerk)
        self.sign_in(self.clerk)
        for language in ("en", "ar"):
            with self.subTest(language=language):
                html = self.page(case, language).content.decode()
                self.assertIn('class="description user-text" dir="auto">حفرة كبيرة', html)
                self.assertIn('class="user-text" dir="auto">سنرسل فريقاً', html)
                self.assertIn('class="user-text" dir="auto">Needs heavy equipment', html)
                self.assertRegex(html, r'<textarea id="f-reply" dir="auto"')
