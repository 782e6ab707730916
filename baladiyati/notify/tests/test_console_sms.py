"""The console SMS adapter (development, `make demo`): each text appears once."""

from __future__ import annotations

import contextlib
import io
import logging

from django.test import SimpleTestCase, override_settings

from baladiyati.notify.sms import send_sms


@override_settings(SMS_BACKEND="console")
class ConsoleSmsTests(SimpleTestCase):
    def test_a_text_is_printed_once_and_not_logged_again(self) -> None:
        out = io.StringIO()
        with self.assertNoLogs(level=logging.DEBUG), contextlib.redirect_stdout(out):
            send_sms("+96891234567", "Your Baladiyati code is 123456.")
        self.assertEqual(out.getvalue().count("Your Baladiyati code is 123456."), 1)
        self.assertIn("[SMS to +96891234567]", out.getvalue())
