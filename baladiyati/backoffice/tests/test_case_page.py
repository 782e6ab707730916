"""The case page: facts, timeline, notes, photos, map, reporter panel by role, audit trail."""

from __future__ import annotations

import shutil
import tempfile

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from baladiyati.cases.actions import (
    do_add_note,
    do_assign_case,
    do_reopen_case,
    do_reply_to_case,
    do_transition_case,
)
from baladiyati.cases.models import Status
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
        submitted = {f: (b, a) for f, b, a in rows[1]["changes"]}
        self.assertEqual(submitted["department"], ("—", str(self.roads)))
        self.assertEqual(submitted["service"], ("—", str(self.pothole)))
        acknowledged = {f: (b, a) for f, b, a in rows[0]["changes"]}
        self.assertEqual(acknowledged["status"], ("مُقدَّم", "تم الاستلام"))

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
