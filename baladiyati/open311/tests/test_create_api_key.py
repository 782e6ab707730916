from io import StringIO

from django.core.management import CommandError, call_command

from baladiyati.core.models import AuditEvent
from baladiyati.open311.models import ApiKey
from baladiyati.testing import BaseTestCase


class CreateApiKeyCommandTests(BaseTestCase):
    def test_it_prints_the_key_alone_on_its_last_line_and_stores_only_a_hash(self) -> None:
        out = StringIO()
        call_command("create_api_key", "Muscat 311 app", stdout=out)
        raw = out.getvalue().strip().splitlines()[-1]
        self.assertTrue(raw.startswith("b311_"))
        self.assertEqual(raw, raw.strip())
        key = ApiKey.objects.get()
        self.assertEqual(key.name, "Muscat 311 app")
        self.assertNotEqual(key.hashed, raw)
        self.assertEqual(ApiKey.objects.verify(raw), key)
        self.assertIsNone(ApiKey.objects.verify(raw + "x"))
        self.assertTrue(AuditEvent.objects.filter(action="open311.key_issued").exists())

    def test_it_can_limit_a_key_to_a_municipality_and_a_staff_member(self) -> None:
        out = StringIO()
        call_command(
            "create_api_key", "Works", "--municipality", "muscat", "--as-user", "hilal", stdout=out
        )
        key = ApiKey.objects.get()
        self.assertEqual((key.municipality, key.user), (self.muscat, self.supervisor))
        self.assertTrue(key.works_in(self.muscat))
        self.assertFalse(key.works_in(self.sohar))

    def test_an_unknown_municipality_is_an_error(self) -> None:
        with self.assertRaises(CommandError):
            call_command("create_api_key", "X", "--municipality", "nowhere", stdout=StringIO())
        self.assertFalse(ApiKey.objects.exists())
