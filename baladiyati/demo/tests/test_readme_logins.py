"""The README's demo logins match the demo data: a newcomer can sign in with what it says."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import SimpleTestCase

from baladiyati.demo import data

README = Path(__file__).resolve().parents[3] / "README.md"
MAKEFILE = README.parent / "Makefile"


class ReadmeLoginsTest(SimpleTestCase):
    def setUp(self) -> None:
        self.readme = README.read_text(encoding="utf-8")

    def test_every_demo_staff_member_is_listed(self) -> None:
        for people in data.STAFF.values():
            for username, *_rest in people:
                with self.subTest(username):
                    self.assertIn(f"`{username}`", self.readme)

    def test_citizens_are_told_to_sign_in_with_a_code_to_their_real_number(self) -> None:
        self.assertIn("/signin", self.readme)
        for username, _first, _last, phone, email in data.CITIZENS:
            with self.subTest(username):
                self.assertIn(f"`{phone}`", self.readme)
                self.assertIn(f"`{email}`", self.readme)
        # No table row offers a citizen a password.
        self.assertIsNone(re.search(r"^\|[^\n]*`salim`[^\n]*citizen", self.readme, re.M))

    def test_the_demo_serves_links_on_its_own_port(self) -> None:
        demo = MAKEFILE.read_text(encoding="utf-8").split("\ndemo:", 1)[1].split("\n\n", 1)[0]
        self.assertIn("SITE_ROOT", demo)
        self.assertIn("http://$(HOST):$(PORT)", demo)
        for name in ("SITE_ROOT", "PERMIT_PUBLIC_URL"):
            self.assertIn(f"| `{name}` |", self.readme)
