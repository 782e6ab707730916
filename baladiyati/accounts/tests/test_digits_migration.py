"""Migration 0003: digits nobody chose are forgotten (they follow the language); choices stay."""

from __future__ import annotations

import importlib

from django.apps import apps

from baladiyati.accounts.actions import do_update_preferences
from baladiyati.accounts.models import User
from baladiyati.testing import BaseTestCase

migration = importlib.import_module(
    "baladiyati.accounts.migrations.0003_digits_follow_the_language_by_default"
)


class ForgetDigitsNobodyChoseTests(BaseTestCase):
    def test_stored_defaults_are_cleared_and_explicit_choices_are_kept(self) -> None:
        # As accounts were stored before: "arab" by default, "latn" for an English sign-up.
        User.objects.filter(pk=self.clerk.pk).update(digit_preference="arab")
        User.objects.filter(pk=self.supervisor.pk).update(digit_preference="latn")
        do_update_preferences(self.citizen, digits="arab")  # chosen on /settings
        migration.forget_digits_nobody_chose(apps, None)
        stored = dict(
            User.objects.filter(
                pk__in=[self.clerk.pk, self.supervisor.pk, self.citizen.pk]
            ).values_list("pk", "digit_preference")
        )
        self.assertEqual(
            stored, {self.clerk.pk: "", self.supervisor.pk: "", self.citizen.pk: "arab"}
        )
