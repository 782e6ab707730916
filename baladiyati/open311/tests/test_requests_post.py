from __future__ import annotations

import io
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings

from baladiyati.cases.models import Case, CasePhoto
from baladiyati.core.models import AuditEvent
from baladiyati.open311.models import ApiKey
from baladiyati.open311.tests.support import Open311TestCase
from baladiyati.testing import MUTTRAH_POINT, OUTSIDE_POINT, jpeg_bytes


class PostRequestTests(Open311TestCase):
    def valid(self, **extra: object) -> dict[str, object]:
        data: dict[str, object] = {
            "api_key": self.raw_key,
            "service_code": "pothole",
            "lat": str(MUTTRAH_POINT[0]),
            "long": str(MUTTRAH_POINT[1]),
            "attribute[size]": "large",
            "description": "حفرة عميقة",
            "email": "reporter@example.om",
            "first_name": "Hamad",
            "last_name": "Al Harthy",
            "phone": "+968 9988 7766",
        }
        data.update(extra)
        return data

    def assertNothingWritten(self) -> None:
        self.assertEqual(Case.objects.count(), 0)
        self.assertEqual(AuditEvent.objects.filter(action="case.submitted").count(), 0)

    def test_it_creates_a_request_and_returns_its_id_in_json(self) -> None:
        response = self.post("requests.json", self.valid())
        self.assertEqual(response.status_code, 200, response.content)
        body = self.json(response)
        case = Case.objects.get()
        self.assertEqual(
            body,
            [
                {
                    "service_request_id": case.reference,
                    "token": case.reference,
                    "service_notice": "",
                    "account_id": "",
                }
            ],
        )
        self.assertEqual(case.channel, "open311")
        self.assertEqual(case.answers, {"size": "large"})
        self.assertEqual(case.contact_name, "Hamad Al Harthy")
        self.assertEqual(case.contact_phone, "+96899887766")
        self.assertIsNone(case.reporter_id)

    def test_it_creates_a_request_in_xml(self) -> None:
        root = self.xml(self.post("requests.xml", self.valid()))
        self.assertEqual(root.tag, "service_requests")
        self.assertEqual(root.findtext("request/service_request_id"), Case.objects.get().reference)

    def test_the_specs_example_body_is_accepted(self) -> None:
        # GeoReport v2's example POST, with our service code, jurisdiction and a Muscat point.
        body = (
            f"api_key={self.raw_key}&jurisdiction_id=muscat&service_code=streetlight"
            "&lat=23.60&long=58.50&address_string=&email=smit222%40sfgov.edu"
            "&device_id=tt222111&account_id=123456&first_name=john&last_name=smith"
            "&phone=111111111&description=A+large+sinkhole+is+destroying+the+street"
            "&media_url=http%3A%2F%2Fcitysourced.com%2Fmedia%2F1.jpg&attribute[pole]=L-17"
        )
        response = self.client.post(
            "/open311/v2/requests.xml", body, content_type="application/x-www-form-urlencoded"
        )
        self.assertEqual(response.status_code, 400)  # 111111111 is not a phone number …
        body = body.replace("phone=111111111", "phone=91234567")
        response = self.client.post(
            "/open311/v2/requests.xml", body, content_type="application/x-www-form-urlencoded"
        )
        self.assertEqual(response.status_code, 200, response.content)
        case = Case.objects.get()
        self.assertEqual(case.media_url, "http://citysourced.com/media/1.jpg")
        self.assertEqual(case.device_id, "tt222111")
        self.assertEqual(case.answers, {"pole": "L-17"})

    def test_a_multi_value_attribute_round_trips(self) -> None:
        data = self.valid(service_code="streetlight", **{"attribute[pole]": "P-9"})
        del data["attribute[size]"]
        data["attribute[hazards][]"] = ["wires", "dark"]
        self.assertEqual(self.post("requests.json", data).status_code, 200)
        case = Case.objects.get()
        self.assertEqual(case.answers["hazards"], ["wires", "dark"])

    def test_an_address_naming_a_wilayat_is_located(self) -> None:
        data = self.valid(address_string="سوق مطرح، مسقط")
        del data["lat"], data["long"]
        self.assertEqual(self.post("requests.json", data).status_code, 200)
        case = Case.objects.get()
        self.assertEqual(case.district, self.muttrah)
        self.assertEqual(case.address, "سوق مطرح، مسقط")

    def test_an_address_that_cannot_be_located_is_a_spec_error(self) -> None:
        data = self.valid(address_string="somewhere nice")
        del data["lat"], data["long"]
        self.assertSpecError(self.post("requests.json", data), 400)
        self.assertNothingWritten()

    def test_a_missing_or_wrong_api_key_is_403(self) -> None:
        data = self.valid()
        del data["api_key"]
        self.assertSpecError(self.post("requests.json", data), 403)
        self.assertSpecError(
            self.post("requests.xml", self.valid(api_key="b311_wrong")), 403, "xml"
        )
        self.assertNothingWritten()

    def test_a_disabled_key_is_403(self) -> None:
        ApiKey.objects.filter(pk=self.key.pk).update(is_active=False)
        self.assertSpecError(self.post("requests.json", self.valid()), 403)

    def test_a_key_for_another_municipality_is_403(self) -> None:
        data = self.valid(
            api_key=self.raw_backend_key,
            jurisdiction_id="sohar",
            service_code="pothole",
            lat=str(OUTSIDE_POINT[0]),
            long=str(OUTSIDE_POINT[1]),
        )
        del data["attribute[size]"]
        self.assertSpecError(self.post("requests.json", data), 403)

    def test_bad_input_is_a_translated_400_and_writes_nothing(self) -> None:
        cases = [
            {"service_code": "nothing"},
            {"service_code": ""},
            {"lat": str(OUTSIDE_POINT[0]), "long": str(OUTSIDE_POINT[1])},
            {"lat": "abc"},
            {"lat": "95"},
            {"long": ""},
            {"attribute[size]": "enormous"},
            {"attribute[size]": ""},
            {"description": "x" * 4001},
            {"email": "not-an-email"},
            {"media_url": "javascript:alert(1)"},
        ]
        for change in cases:
            with self.subTest(change=change):
                message = self.assertSpecError(
                    self.post("requests.json", self.valid(**change)), 400
                )
                self.assertTrue(any("\u0600" <= ch <= "\u06ff" for ch in message), message)
        self.assertNothingWritten()

    def test_errors_are_in_english_when_asked(self) -> None:
        message = self.assertSpecError(
            self.post("requests.json?locale=en", self.valid(service_code="nothing")), 400
        )
        self.assertIn("no active service", message)

    def test_an_idempotency_key_returns_the_first_request(self) -> None:
        first = self.json(self.post("requests.json", self.valid(), HTTP_IDEMPOTENCY_KEY="abc-1"))
        again = self.json(self.post("requests.json", self.valid(), HTTP_IDEMPOTENCY_KEY="abc-1"))
        self.assertEqual(first, again)
        self.assertEqual(Case.objects.count(), 1)
        other = self.json(self.post("requests.json", self.valid(), HTTP_IDEMPOTENCY_KEY="abc-2"))
        self.assertNotEqual(other, first)

    def test_the_same_device_and_body_within_a_day_returns_the_first_request(self) -> None:
        first = self.json(self.post("requests.json", self.valid(device_id="phone-1")))
        again = self.json(self.post("requests.json", self.valid(device_id="phone-1")))
        self.assertEqual(first, again)
        changed = self.json(
            self.post("requests.json", self.valid(device_id="phone-1", description="أخرى"))
        )
        self.assertNotEqual(changed, first)
        self.assertEqual(Case.objects.count(), 2)

    def test_a_photo_can_be_sent_as_multipart_media(self) -> None:
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            upload = SimpleUploadedFile(
                "p.jpg", jpeg_bytes(exif_gps=True), content_type="image/jpeg"
            )
            response = self.post("requests.json", self.valid(media=upload))
            self.assertEqual(response.status_code, 200, response.content)
            photo = CasePhoto.objects.get()
            self.assertNotIn(b"PhoneMaker", photo.image.read())

    def test_a_file_that_is_not_an_image_is_refused(self) -> None:
        upload = SimpleUploadedFile("p.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
        self.assertSpecError(self.post("requests.json", self.valid(media=upload)), 400)
        self.assertNothingWritten()

    def test_non_utf8_bytes_are_a_spec_error_or_accepted_never_a_500(self) -> None:
        body = (
            f"api_key={self.raw_key}&jurisdiction_id=muscat&service_code=%FF%FE&lat=23.6&long=58.5"
        )
        response = self.client.post(
            "/open311/v2/requests.json", body, content_type="application/x-www-form-urlencoded"
        )
        self.assertSpecError(response, 400)

    def test_xml_metacharacters_are_escaped_on_the_way_out(self) -> None:
        self.post("requests.json", self.valid(description="<b>&\"'</b>\x01"))
        root = self.xml(self.get("requests.xml"))
        self.assertEqual(root.findtext("request/description"), "<b>&\"'</b>")

    def test_a_jurisdiction_is_needed_when_several_are_hosted(self) -> None:
        response = self.client.post("/open311/v2/requests.json", {**self.valid()})
        self.assertSpecError(response, 400)


class UploadLimitTests(Open311TestCase):
    def test_a_photo_over_the_limit_is_refused(self) -> None:
        with override_settings(CASE_MAX_PHOTO_BYTES=1000):
            upload = SimpleUploadedFile("big.jpg", jpeg_bytes((400, 400)) + b"\0" * 2000)
            response = self.post(
                "requests.json",
                {
                    "api_key": self.raw_key,
                    "service_code": "streetlight",
                    "lat": "23.6",
                    "long": "58.5",
                    "attribute[pole]": "1",
                    "media": upload,
                },
            )
        self.assertSpecError(response, 400)
        self.assertEqual(Case.objects.count(), 0)
        self.assertIsInstance(io.BytesIO(), io.BytesIO)


class OversizedBodyTests(Open311TestCase):
    def test_a_body_over_the_upload_limit_is_a_spec_error(self) -> None:
        with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000):
            response = self.post(
                "requests.xml", {"api_key": self.raw_key, "description": "x" * 5000}
            )
        self.assertSpecError(response, 400, fmt="xml")
        self.assertEqual(Case.objects.count(), 0)

    def test_too_many_fields_is_a_spec_error(self) -> None:
        with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=10):
            data = {f"attribute[q{i}]": "1" for i in range(20)}
            response = self.post("requests.json", {"api_key": self.raw_key, **data})
        self.assertSpecError(response, 400)
