"""Test-run settings that only make the suite faster, never change what it proves."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Personas are created per test class; PBKDF2's deliberate slowness costs ~2 s each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Texts are kept in baladiyati.notify.sms.outbox, like Django's mail.outbox.
    settings.SMS_BACKEND = "memory"
    # Tasks run at once in tests; the database backend's worker is exercised separately.
    # django-tasks has read TASKS already: tell it the setting changed, as override_settings does.
    from django.core.signals import setting_changed

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    setting_changed.send(sender=type(settings), setting="TASKS", value=settings.TASKS, enter=True)
