"""do_update_preferences: how a citizen reads the app (language and digits)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from baladiyati.accounts.actions import do_update_preferences
from baladiyati.accounts.models import User
from baladiyati.core.models import AuditEvent
from baladiyati.testing import BaseTestCase


class UpdatePreferencesTests(BaseTestCase):
    def test_it_saves_the_choice_and_audits_the_change(self) -> None:
        do_update_preferences(self.citizen, language="en", digits="latn")
        user = User.objects.get(pk=self.citizen.pk)
        self.assertEqual((user.preferred_language, user.digit_preference), ("en", "latn"))
        event = AuditEvent.objects.get(action="account.preferences_changed")
        self.assertEqual(event.changes["preferred_language"], ["ar", "en"])
        # Never chosen before: blank, digits followed the language until now.
        self.assertEqual(event.changes["digit_preference"], ["", "latn"])

    def test_an_explicit_choice_of_the_languages_own_digits_is_kept(self) -> None:
        do_update_preferences(self.citizen, language="ar", digits="arab")
        self.assertEqual(User.objects.get(pk=self.citizen.pk).digit_preference, "arab")
        event = AuditEvent.objects.get(action="account.preferences_changed")
        self.assertEqual(event.changes, {"digit_preference": ["", "arab"]})

    def test_the_same_choice_again_writes_nothing(self) -> None:
        do_update_preferences(self.citizen, language="ar")
        self.assertFalse(AuditEvent.objects.filter(action="account.preferences_changed").exists())

    def test_unknown_values_are_refused(self) -> None:
        with self.assertRaises(ValidationError):
            do_update_preferences(self.citizen, language="fr")
        with self.assertRaises(ValidationError):
            do_update_preferences(self.citizen, digits="roman")
        self.assertEqual(User.objects.get(pk=self.citizen.pk).preferred_language, "ar")
