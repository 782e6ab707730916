"""POST /report: filing a report from the form (plain post) or from the app (JSON)."""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from baladiyati.cases.models import Case, Channel
from baladiyati.testing import MUSCAT_POINT, MUTTRAH_POINT, OUTSIDE_POINT, jpeg_bytes

from .support import PortalTestCase


def photo(name: str = "photo.jpg", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or jpeg_bytes(), content_type="image/jpeg")


class ReportSubmitTests(PortalTestCase):
    def form(self, **extra: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "m": "muscat",
            "lat": str(MUTTRAH_POINT[0]),
            "lon": str(MUTTRAH_POINT[1]),
            "service": "pothole",
            "a-pothole-size": "large",
            "description": "حفرة أمام المسجد",
            "submission_id": str(uuid.uuid4()),
            "channel": "web",
        }
        data.update(extra)
        return {k: v for k, v in data.items() if v is not None}

    def post(self, json: bool = False, **extra: Any) -> Any:
        headers = {"Accept": "application/json"} if json else {}
        return self.client.post("/report", self.form(**extra), headers=headers)

    def stored(self) -> list[str]:
        return [str(p) for p in self.media_root.rglob("*") if p.is_file()]

    # ------------------------------------------------------------------ success

    def test_an_anonymous_report_is_filed_and_leads_to_its_confirmation(self) -> None:
        response = self.post(name="Hamad", phone="99887766", photos=[photo(), photo("b.jpg")])
        case = Case.objects.get()
        self.assertRedirects(response, f"/report/sent/{case.tracking_token}")
        self.assertIsNone(case.reporter)
        self.assertEqual(case.service, self.pothole)
        self.assertEqual(case.district, self.muttrah)
        self.assertEqual(case.channel, Channel.WEB)
        self.assertEqual((case.contact_name, case.contact_phone), ("Hamad", "+96899887766"))
        self.assertEqual(case.answers, {"size": "large"})
        self.assertEqual(case.photos.count(), 2)

    def test_a_signed_in_citizen_reports_as_themselves_and_contact_fields_are_ignored(
        self,
    ) -> None:
        self.client.force_login(self.citizen)
        self.post(email="someone@example.om")
        case = Case.objects.get()
        self.assertEqual(case.reporter, self.citizen)
        self.assertEqual(case.contact_email, "")
        self.assertTrue(case.followers.filter(user=self.citizen).exists())

    def test_the_app_gets_json_with_the_reference_and_the_private_link(self) -> None:
        response = self.post(json=True, channel="app")
        self.assertEqual(response.status_code, 201)
        case = Case.objects.get()
        body = response.json()
        self.assertEqual(body["reference"], case.reference)
        self.assertEqual(body["tracking_url"], f"http://testserver/track/{case.tracking_token}")
        self.assertEqual(body["sent_url"], f"/report/sent/{case.tracking_token}")
        self.assertEqual(case.channel, Channel.APP)

    def test_a_resent_report_with_the_same_submission_id_files_one_case(self) -> None:
        key = str(uuid.uuid4())
        first = self.post(json=True, submission_id=key, photos=[photo()])
        second = self.post(json=True, submission_id=key, photos=[photo()])
        self.assertEqual(first.json()["reference"], second.json()["reference"])
        self.assertEqual(Case.objects.count(), 1)
        self.assertEqual(Case.objects.get().idempotency_key, f"portal:{key}")

    def test_a_malformed_submission_id_is_not_used_as_a_key(self) -> None:
        self.post(submission_id="not-a-uuid")
        self.assertIsNone(Case.objects.get().idempotency_key)

    def test_a_wilayat_alone_places_the_report_inside_it(self) -> None:
        self.post(lat="", lon="", district=str(self.muscat_wilayat.pk))
        case = Case.objects.get()
        self.assertEqual(case.district, self.muscat_wilayat)
        self.assertTrue(self.muscat.contains(case.lat, case.lon))

    def test_arabic_indic_digits_are_accepted_in_coordinates_and_numbers(self) -> None:
        self.post(lat="٢٣٫٦", lon="٥٨٫٦", **{"a-pothole-depth_cm": "١٥"})
        case = Case.objects.get()
        self.assertEqual((case.lat, case.lon), MUSCAT_POINT)
        self.assertEqual(case.answers["depth_cm"], 15)

    def test_only_the_chosen_services_answers_are_read(self) -> None:
        self.post(**{"a-streetlight-pole": "L-1"})
        self.assertEqual(Case.objects.get().answers, {"size": "large"})

    def test_several_choices_are_kept_as_a_list(self) -> None:
        data = self.form(service="streetlight", **{"a-streetlight-pole": "L-9"})
        data["a-streetlight-hazards"] = ["wires", "dark"]
        self.client.post("/report", data)
        self.assertEqual(Case.objects.get().answers, {"pole": "L-9", "hazards": ["wires", "dark"]})

    def test_long_text_and_date_and_time_answers_are_read_from_their_fields(self) -> None:
        from baladiyati.cities.models import Datatype, ServiceQuestion

        ServiceQuestion.objects.create(
            service=self.pothole,
            code="details",
            datatype=Datatype.TEXT,
            order=5,
            description_ar="تفاصيل أخرى",
            description_en="Other details",
        )
        ServiceQuestion.objects.create(
            service=self.pothole,
            code="seen_at",
            datatype=Datatype.DATETIME,
            required=True,
            order=6,
            description_ar="متى رأيتها؟",
            description_en="When did you see it?",
        )
        page = self.client.get("/report?service=pothole").content.decode()
        self.assertIn('<textarea id="f-a-pothole-details" name="a-pothole-details"', page)
        self.assertIn('type="datetime-local" id="f-a-pothole-seen_at"', page)

        refused = self.post(**{"a-pothole-details": "Two holes"})
        self.assertEqual(refused.status_code, 400)
        self.assertFalse(Case.objects.exists())
        self.assertContains(refused, "Two holes", status_code=400)  # kept while correcting

        self.post(
            **{
                "a-pothole-details": "Two holes\nnext to each other",
                "a-pothole-seen_at": "2026-03-01T07:45",
            }
        )
        answers = Case.objects.get().answers
        self.assertEqual(answers["details"], "Two holes\nnext to each other")
        self.assertTrue(answers["seen_at"].startswith("2026-03-01T07:45"), answers)

    # ------------------------------------------------------------------ similar cases first

    def test_similar_open_cases_nearby_are_shown_before_a_new_one_is_made(self) -> None:
        existing = self.submit(actor=self.citizen2)
        response = self.post(similar_checked="0")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, existing.reference)
        self.assertContains(response, f"/cases/muscat/{existing.reference}/follow")
        self.assertContains(response, 'name="similar_checked" value="1"')
        self.assertEqual(Case.objects.count(), 1)

    def test_the_app_is_told_of_similar_cases_with_a_409(self) -> None:
        existing = self.submit(actor=self.citizen2)
        response = self.post(json=True, similar_checked="0")
        self.assertEqual(response.status_code, 409)
        self.assertIn(existing.reference, response.json()["similar"])
        self.assertEqual(Case.objects.count(), 1)

    def test_once_the_similar_cases_were_seen_the_report_is_filed(self) -> None:
        self.submit(actor=self.citizen2)
        self.post(similar_checked="1")
        self.assertEqual(Case.objects.count(), 2)

    # ------------------------------------------------------------------ bad input

    def assert_refused(self, response: Any, key: str, arabic: str) -> None:
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, arabic, status_code=400)
        self.assertContains(response, f'id="error-{key}"', status_code=400)
        self.assertEqual(Case.objects.count(), 0)
        self.assertEqual(self.stored(), [])

    def test_a_file_that_is_not_an_image_is_refused_in_arabic(self) -> None:
        fake = SimpleUploadedFile("x.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
        response = self.post(photos=[photo(), fake])
        self.assert_refused(response, "photos", "الملف ليس صورة")

    def test_a_file_that_is_not_an_image_is_refused_in_english(self) -> None:
        self.english()
        fake = SimpleUploadedFile("x.txt", b"hello", content_type="text/plain")
        response = self.post(photos=[fake])
        self.assert_refused(response, "photos", "The file is not a photo")

    @override_settings(CASE_MAX_PHOTO_BYTES=1024 * 1024)
    def test_a_photo_over_the_limit_is_refused_in_both_languages(self) -> None:
        big = photo(content=jpeg_bytes() + b"\0" * (1024 * 1024))
        self.assert_refused(self.post(photos=[big]), "photos", "أكبر من 1")
        self.english()
        big = photo(content=jpeg_bytes() + b"\0" * (1024 * 1024))
        self.assert_refused(self.post(photos=[big]), "photos", "larger than 1 MB")

    def test_a_sixth_photo_is_refused_in_both_languages(self) -> None:
        response = self.post(photos=[photo(f"{i}.jpg") for i in range(6)])
        self.assert_refused(response, "photos", "5")
        self.assertContains(response, "صور", status_code=400)
        self.english()
        response = self.post(photos=[photo(f"{i}.jpg") for i in range(6)])
        self.assert_refused(response, "photos", "At most 5 photos")

    def test_a_point_outside_every_municipality_is_refused_in_both_languages(self) -> None:
        response = self.post(lat="21.0", lon="50.0")
        self.assert_refused(response, "location", "خارج البلديات")
        self.english()
        response = self.post(lat="21.0", lon="50.0")
        self.assert_refused(response, "location", "outside the municipalities served")

    def test_a_point_in_another_municipality_says_which_one(self) -> None:
        response = self.post(lat=str(OUTSIDE_POINT[0]), lon=str(OUTSIDE_POINT[1]))
        self.assert_refused(response, "location", "بلدية صحار")
        self.english()
        response = self.post(lat=str(OUTSIDE_POINT[0]), lon=str(OUTSIDE_POINT[1]))
        self.assert_refused(response, "location", "Sohar Municipality")

    def test_no_place_at_all_is_refused(self) -> None:
        self.english()
        response = self.post(lat=None, lon=None)
        self.assert_refused(response, "location", "Choose the place of the problem")

    def test_a_missing_required_answer_is_refused_in_place_in_both_languages(self) -> None:
        response = self.post(**{"a-pothole-size": ""})
        self.assert_refused(response, "a-pothole-size", "يرجى الإجابة عن")
        self.assertContains(response, "ما حجم الحفرة؟", status_code=400)
        self.english()
        response = self.post(**{"a-pothole-size": ""})
        self.assert_refused(response, "a-pothole-size", "Please answer “How big is the pothole?”")

    def test_no_service_chosen_is_refused(self) -> None:
        self.english()
        self.assert_refused(self.post(service=""), "service_code", "Choose what the problem is.")

    def test_an_inactive_service_is_refused(self) -> None:
        self.assert_refused(self.post(service="retired"), "service_code", "retired")

    def test_the_app_gets_the_errors_as_json_keyed_by_field(self) -> None:
        self.english()
        response = self.post(json=True, lat="21.0", lon="50.0", **{"a-pothole-size": ""})
        self.assertEqual(response.status_code, 400)
        errors = response.json()["errors"]
        self.assertEqual(set(errors), {"location", "attribute[size]"})
        self.assertEqual(Case.objects.count(), 0)

    def test_the_refused_form_keeps_what_was_typed(self) -> None:
        response = self.post(description="عمود مائل", **{"a-pothole-size": ""}, name="Hamad")
        self.assertContains(response, "عمود مائل", status_code=400)
        self.assertContains(response, 'value="Hamad"', status_code=400)
        self.assertContains(response, 'id="s-pothole" value="pothole" checked', status_code=400)

    def test_a_refused_plain_post_asks_for_its_photos_again_in_both_languages(self) -> None:
        # A browser never fills a file field again: the page says so where the photos go.
        response = self.post(**{"a-pothole-size": ""}, photos=[photo(), photo("b.jpg")])
        self.assertContains(response, "لم نحتفظ بالصورتين", count=2, status_code=400)
        self.english()
        response = self.post(**{"a-pothole-size": ""}, photos=[photo()])
        self.assertContains(
            response, "The photo you chose was not kept. Please choose it again", status_code=400
        )
        self.assertEqual(Case.objects.count(), 0)
        self.assertEqual(self.stored(), [])
        # The app keeps its photos itself: no such message in its answer.
        answer = self.post(json=True, **{"a-pothole-size": ""}, photos=[photo()])
        self.assertNotIn("not kept", answer.content.decode())

    def test_similar_cases_shown_first_ask_for_the_photos_again(self) -> None:
        self.english()
        self.submit(actor=self.citizen2)
        response = self.post(similar_checked="0", photos=[photo(), photo("b.jpg")])
        self.assertContains(response, "The 2 photos you chose were not kept", count=2)
        self.assertEqual(Case.objects.count(), 1)

    def test_a_bad_email_or_phone_is_refused(self) -> None:
        self.english()
        response = self.post(email="not-an-email", phone="12")
        self.assertContains(response, "Enter a valid email address.", status_code=400)
        self.assertContains(response, "Enter a valid phone number.", status_code=400)
        self.assertEqual(Case.objects.count(), 0)

    def test_an_anonymous_report_with_a_big_real_photo_is_reencoded(self) -> None:
        buffer = io.BytesIO()
        from PIL import Image

        Image.new("RGB", (3000, 2000), "teal").save(buffer, format="PNG")
        self.post(photos=[photo("big.png", buffer.getvalue())])
        stored = Case.objects.get().photos.get()
        self.assertLessEqual(max(stored.width, stored.height), 2560)
        self.assertEqual(AnonymousUser().is_authenticated, False)
