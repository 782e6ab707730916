"""Every persona against every back-office page and action: the expected status per cell.

302 for someone not signed in (to the sign-in page); 403 for accounts without the role;
404 for what lies outside the member's scope (another municipality, another department),
so that nothing tells the object exists; 200 for pages and 302 (back to the case) for actions
that are allowed.
"""

from __future__ import annotations

import shutil
import tempfile
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.test import override_settings

from baladiyati.cases.actions import do_transition_case
from baladiyati.cases.models import Case, Status
from baladiyati.testing import jpeg_bytes

from .support import BackofficeTestCase

PERSONAS = ["anonymous", "citizen", "agent", "clerk", "supervisor", "reviewer", "admin", "stranger"]

# page: expected status per persona (in PERSONAS order)
# fmt: off
PAGES: dict[str, list[int]] = {
    #                   anon cit  agent clerk sup  rev  admin stranger
    "inbox":           [302, 403, 200,  200,  200, 403, 200,  200],
    "case":            [302, 403, 200,  200,  200, 403, 200,  404],
    "case_other_dept": [302, 403, 200,  404,  200, 403, 200,  404],
    "photo":           [302, 403, 200,  200,  200, 403, 200,  404],
    "export":          [302, 403, 200,  200,  200, 403, 200,  200],
    "call":            [302, 403, 200,  200,  200, 403, 200,  200],
    "call_history":    [302, 403, 200,  200,  200, 403, 200,  200],
    "find":            [302, 403, 200,  403,  200, 403, 200,  200],
    "citizen":         [302, 403, 200,  403,  200, 403, 200,  404],
    "contact":         [302, 403, 200,  403,  200, 403, 200,  404],
    "login":           [200, 302, 302,  302,  302, 302, 302,  302],
    "cities":          [302, 403, 200,  200,  200, 200, 200,  200],
}

# action on the clerk's department's case: expected status per persona
ACTIONS: dict[str, list[int]] = {
    #               anon cit  agent clerk sup  rev  admin stranger
    "acknowledge": [302, 403, 403,  302,  302, 403, 302,  404],
    "transition":  [302, 403, 403,  302,  302, 403, 302,  404],
    "assign":      [302, 403, 403,  302,  302, 403, 302,  404],
    "priority":    [302, 403, 403,  302,  302, 403, 302,  404],
    "reply":       [302, 403, 403,  302,  302, 403, 302,  404],
    "note":        [302, 403, 302,  302,  302, 403, 302,  404],
    "reopen":      [302, 403, 403,  302,  302, 403, 302,  404],
    "merge":       [302, 403, 403,  302,  302, 403, 302,  404],
    "await":       [302, 403, 403,  302,  302, 403, 302,  404],
    "call_file":   [302, 403, 302,  302,  302, 403, 302,  400],
    "bulk":        [302, 403, 403,  302,  302, 403, 302,  302],
}
# fmt: on


class PermissionMatrixTest(BackofficeTestCase):
    def setUp(self) -> None:
        media = tempfile.mkdtemp(prefix="backoffice-media-")
        self.addCleanup(shutil.rmtree, media, True)
        setting = override_settings(MEDIA_ROOT=media)
        setting.enable()
        self.addCleanup(setting.disable)
        self.case = self.submit(photos=[jpeg_bytes()])
        self.other_dept = self.submit(self.streetlight)
        self.anonymous_case = self.submit(actor=AnonymousUser(), contact=self.anonymous)

    def as_persona(self, persona: str) -> None:
        self.client.logout()
        if persona != "anonymous":
            self.sign_in(getattr(self, persona))

    def url(self, page: str) -> str:
        ref = self.case.reference
        return {
            "inbox": "/backoffice/",
            "case": f"/backoffice/cases/{ref}",
            "case_other_dept": f"/backoffice/cases/{self.other_dept.reference}",
            "photo": f"/backoffice/cases/{ref}/photos/{self.case.photos.get().pk}.jpg",
            "export": "/backoffice/inbox.csv",
            "call": "/backoffice/call",
            "call_history": "/backoffice/call/history?phone=91234567",
            "find": "/backoffice/citizens",
            "citizen": f"/backoffice/citizens/{self.citizen.pk}",
            "contact": "/backoffice/contact?phone=%2B96899887766",
            "login": "/backoffice/login",
            "cities": "/backoffice/cities",
        }[page]

    def test_pages(self) -> None:
        for page, expected in PAGES.items():
            for persona, status in zip(PERSONAS, expected, strict=True):
                with self.subTest(page=page, persona=persona):
                    self.as_persona(persona)
                    response = self.client.get(self.url(page))
                    self.assertEqual(response.status_code, status)
                    if status == 302 and page != "login":
                        self.assertTrue(response["Location"].startswith("/backoffice/login"))

    def post_action(self, action: str) -> tuple[Any, Case]:
        case = self.submit()
        ref = case.reference
        base = f"/backoffice/cases/{ref}"
        if action == "reopen":
            case = do_transition_case(case, Status.FIXED, actor=self.supervisor)
            return self.client.post(f"{base}/reopen", {"message": "لم يصلح"}), case
        if action == "merge":
            target = self.submit()
            return self.client.post(f"{base}/merge", {"into": target.reference}), case
        if action == "call_file":
            data = {
                "phone": "91112222",
                "service": "pothole",
                "wilayat": str(self.muttrah.pk),
                "a-pothole-size": "small",
            }
            return self.client.post("/backoffice/call", data), case
        if action == "bulk":
            data = {"action": "acknowledge", "case": [str(case.pk)]}
            return self.client.post("/backoffice/bulk", data), case
        data = {
            "acknowledge": {},
            "transition": {"status": "in_progress"},
            "assign": {"assignee": str(self.clerk.pk)},
            "priority": {"priority": "4"},
            "reply": {"message": "سنقوم بالإصلاح"},
            "note": {"text": "ملاحظة"},
            "await": {"message": "أرسل صورة من فضلك"},
        }[action]
        return self.client.post(f"{base}/{action}", data), case

    def test_actions(self) -> None:
        for action, expected in ACTIONS.items():
            for persona, status in zip(PERSONAS, expected, strict=True):
                with self.subTest(action=action, persona=persona):
                    self.as_persona(persona)
                    response, case = self.post_action(action)
                    self.assertEqual(response.status_code, status)
                    before = case.status
                    case.refresh_from_db()
                    if status in (403, 404) or persona == "stranger":
                        # Refused: nothing changed.
                        self.assertEqual(case.status, before)
                        self.assertEqual(case.notes.count(), 0)
                        self.assertEqual(case.updates.filter(kind="reply").count(), 0)

    def test_a_clerk_cannot_act_on_another_departments_case(self) -> None:
        self.sign_in(self.clerk)
        for action in ("acknowledge", "note", "reply"):
            with self.subTest(action=action):
                response = self.client.post(
                    f"/backoffice/cases/{self.other_dept.reference}/{action}",
                    {"message": "x", "text": "x"},
                )
                self.assertEqual(response.status_code, 404)
        self.other_dept.refresh_from_db()
        self.assertEqual(self.other_dept.status, Status.SUBMITTED)

    def test_a_signed_in_member_without_the_code_step_is_sent_to_sign_in(self) -> None:
        self.client.force_login(self.supervisor)  # password only: not verified
        response = self.client.get("/backoffice/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/backoffice/login"))
