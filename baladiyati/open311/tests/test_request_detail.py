from baladiyati.cases.actions import do_transition_case
from baladiyati.cases.models import CloseReason
from baladiyati.open311.tests.support import Open311TestCase


class RequestDetailTests(Open311TestCase):
    def test_a_single_request_is_a_one_item_list_in_json(self) -> None:
        case = self.submit()
        body = self.json(self.get(f"requests/{case.reference}.json"))
        self.assertIsInstance(body, list)
        self.assertEqual(len(body), 1)
        self.assertEqual(body[0]["service_request_id"], case.reference)

    def test_a_single_request_in_xml(self) -> None:
        case = self.submit()
        do_transition_case(
            case, "closed_not_fixed", reason=CloseReason.NOT_MUNICIPALITY, actor=self.clerk
        )
        root = self.xml(self.get(f"requests/{case.reference}.xml", locale="en"))
        self.assertEqual(root.tag, "service_requests")
        self.assertEqual(root.findtext("request/status"), "closed")
        self.assertEqual(
            root.findtext("request/status_notes"),
            "Closed without fixing: Not the municipality's responsibility",
        )

    def test_a_duplicate_names_its_original_in_the_notes(self) -> None:
        original, copy = self.submit(), self.submit()
        do_transition_case(copy, "duplicate", duplicate_of=original, actor=self.clerk)
        body = self.json(self.get(f"requests/{copy.reference}.json", locale="en"))
        self.assertEqual(body[0]["status_notes"], f"Duplicate of {original.reference}")

    def test_an_unknown_request_is_not_found(self) -> None:
        self.assertSpecError(self.get("requests/MCT-2026-999999.xml"), 404, fmt="xml")

    def test_another_jurisdictions_request_is_not_found(self) -> None:
        case = self.submit()
        self.assertSpecError(
            self.get(f"requests/{case.reference}.json", jurisdiction_id="sohar"), 404
        )


class TokenTests(Open311TestCase):
    def test_the_token_is_the_request_id(self) -> None:
        case = self.submit()
        body = self.json(self.get(f"tokens/{case.reference}.json"))
        self.assertEqual(body, [{"service_request_id": case.reference, "token": case.reference}])
        root = self.xml(self.get(f"tokens/{case.reference}.xml"))
        self.assertEqual(root.findtext("request/token"), case.reference)

    def test_an_unknown_token_is_not_found(self) -> None:
        self.assertSpecError(self.get("tokens/nothing.json"), 404)
