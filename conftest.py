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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Refuse a TransactionTestCase without `serialized_rollback`.

    Its flush would empty what migrations wrote (content types, message templates) and let
    post_migrate make the content types again under other ids; a later test that restores the
    database's first state (`serialized_rollback`) then collides with them. With every such
    test restoring instead, the rows keep their ids whatever order the workers run tests in.
    """
    from django.test import TestCase, TransactionTestCase

    wrong = sorted(
        {
            f"{cls.__module__}.{cls.__qualname__}"
            for item in items
            if (cls := getattr(item, "cls", None)) is not None
            and issubclass(cls, TransactionTestCase)
            and not issubclass(cls, TestCase)
            and not cls.serialized_rollback
        }
    )
    if wrong:
        raise pytest.UsageError(
            "Set serialized_rollback = True on these TransactionTestCase classes: "
            + ", ".join(wrong)
        )
