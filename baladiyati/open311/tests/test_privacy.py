"""One named test per privacy rule of the Open311 interface."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from baladiyati.cases.actions import do_reply_to_case
from baladiyati.cases.models import Case
from baladiyati.open311.tests.support import Open311TestCase
from baladiyati.testing import OUTSIDE_POINT


class Open311PrivacyTests(Open311TestCase):
    def all_gets(self, case: Case) -> list[bytes]:
        responses = []
        for fmt in ("json", "xml"):
            for path, query in [
                (f"requests.{fmt}", {}),
                (f"requests.{fmt}", {"extensions": "true"}),
                (f"requests/{case.reference}.{fmt}", {"extensions": "true"}),
                (f"servicerequestupdates.{fmt}", {}),
                (f"tokens/{case.reference}.{fmt}", {}),
            ]:
                responses.append(self.get(path, **query).content)
        return responses

    def test_reporter_email_phone_names_and_account_ids_never_appear(self) -> None:
        anonymous = self.submit(
            actor=AnonymousUser(), contact=self.anonymous, description="public words"
        )
        self.assertIsNone(anonymous.reporter_id)
        signed_in = self.submit(description="more public words")
        do_reply_to_case(signed_in, "reply", actor=self.clerk)
        secrets = [
            self.anonymous.email,
            self.anonymous.phone,
            self.anonymous.name,
            "Hamad",
            self.citizen.email,
            self.citizen.phone,
            self.citizen.first_name,
            self.citizen.username,
            self.clerk.username,
            anonymous.tracking_token,
            signed_in.tracking_token,
        ]
        bodies = self.all_gets(anonymous) + self.all_gets(signed_in)
        self.assertTrue(any(b"public words" in body for body in bodies))
        for body in bodies:
            for secret in secrets:
                self.assertNotIn(secret.encode(), body)
            self.assertNotIn(b"account_id", body)

    def test_private_cases_never_appear_in_lists_fetches_updates_or_counts(self) -> None:
        public = self.submit()
        private = self.submit(is_private=True)
        self.assert_unpublished(private, public)

    def test_hidden_cases_never_appear_in_lists_fetches_updates_or_counts(self) -> None:
        public = self.submit()
        hidden = self.submit()
        Case.objects.filter(pk=hidden.pk).update(is_hidden=True)
        self.assert_unpublished(hidden, public)

    def assert_unpublished(self, secret: Case, public: Case) -> None:
        do_reply_to_case(secret, "secret reply", actor=self.clerk)
        listed = self.get("requests.json")
        self.assertEqual([r["service_request_id"] for r in self.json(listed)], [public.reference])
        self.assertEqual(listed["X-Result-Count"], "1")
        self.assertSpecError(self.get(f"requests/{secret.reference}.json"), 404)
        self.assertSpecError(self.get(f"tokens/{secret.reference}.json"), 404)
        by_id = self.json(self.get("requests.json", service_request_id=secret.reference))
        self.assertEqual(by_id, [])
        updates = self.get("servicerequestupdates.json")
        refs = {u["service_request_id"] for u in self.json(updates)}
        self.assertEqual(refs, {public.reference})
        self.assertNotIn(b"secret reply", updates.content)
        self.assertEqual(updates["X-Result-Count"], "1")

    def test_another_municipalitys_cases_never_appear_under_a_jurisdiction(self) -> None:
        muscat_case = self.submit()
        sohar_case = self.submit(self.sohar_pothole, lat=OUTSIDE_POINT[0], lon=OUTSIDE_POINT[1])
        sohar_refs = {
            r["service_request_id"]
            for r in self.json(self.get("requests.json", jurisdiction_id="sohar"))
        }
        muscat_refs = {r["service_request_id"] for r in self.json(self.get("requests.json"))}
        self.assertEqual(sohar_refs, {sohar_case.reference})
        self.assertEqual(muscat_refs, {muscat_case.reference})
        self.assertSpecError(
            self.get(f"requests/{muscat_case.reference}.json", jurisdiction_id="sohar"), 404
        )
        by_id = self.get(
            "requests.json", jurisdiction_id="sohar", service_request_id=muscat_case.reference
        )
        self.assertEqual(self.json(by_id), [])
        updates = self.json(self.get("servicerequestupdates.json", jurisdiction_id="sohar"))
        self.assertEqual({u["service_request_id"] for u in updates}, {sohar_case.reference})
