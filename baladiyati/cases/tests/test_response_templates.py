"""cases.responses: bilingual reply templates rendered in the citizen's language, safely."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import translation

from baladiyati.cases.actions import Contact
from baladiyati.cases.models import ResponseTemplate, Status
from baladiyati.cases.responses import (
    create_defaults,
    render_response,
    templates_for,
)
from baladiyati.cases.tests.support import WEDNESDAY
from baladiyati.core import clock
from baladiyati.testing import BaseTestCase


class ResponseTemplateTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        with clock.frozen_at(WEDNESDAY):
            self.case = self.submit()
        self.template = ResponseTemplate.objects.create(
            municipality=self.muscat,
            name_ar="استلام",
            name_en="Received",
            text_ar="مرحباً {citizen_name}، بلاغك {reference} ({service}) في {wilayat}، "
            "الموعد {due_date}. {{مثال}}",
            text_en="Hello {citizen_name}, request {reference} ({service}) in {wilayat} "
            "is due {due_date}; status: {status}.",
        )

    def test_it_renders_in_the_citizens_language_whatever_the_staff_member_reads(self) -> None:
        with translation.override("en"):  # the clerk works in English
            text = render_response(self.template, self.case)
        self.assertEqual(
            text,
            f"مرحباً سالم، بلاغك {self.case.reference} (حفرة في الطريق) في مطرح، "
            "الموعد 2026-11-29. {مثال}",
        )

    def test_an_english_speaking_citizen_gets_english_with_the_status_in_english(self) -> None:
        self.citizen.preferred_language = "en"
        self.citizen.save(update_fields=["preferred_language"])
        self.case.refresh_from_db()
        text = render_response(self.template, self.case)
        self.assertEqual(
            text,
            f"Hello سالم, request {self.case.reference} (Pothole) in Muttrah "
            "is due 2026-11-29; status: Submitted.",
        )

    def test_an_anonymous_reporter_gets_the_language_they_reported_in(self) -> None:
        with clock.frozen_at(WEDNESDAY), translation.override("en"):
            case = self.submit(actor=AnonymousUser(), contact=self.anonymous)
        self.assertEqual(case.contact_language, "en")
        self.assertTrue(render_response(self.template, case).startswith("Hello Hamad,"))
        with clock.frozen_at(WEDNESDAY):
            case = self.submit(
                actor=AnonymousUser(), contact=Contact(phone="+96890000002", language="ar")
            )
        self.assertTrue(render_response(self.template, case).startswith("مرحباً ،"))

    def test_an_unknown_or_unsafe_placeholder_is_a_clear_error_not_a_crash(self) -> None:
        for text in (
            "{name}",
            "{reference.__class__}",
            "{service!r}",
            "{due_date:>99999}",
            "{0}",
            "{}",
        ):
            with self.subTest(text=text):
                self.template.text_ar = text
                with self.assertRaises(ValidationError) as raised:
                    render_response(self.template, self.case, "ar")
                self.assertEqual(raised.exception.code, "unknown_placeholder")
        self.template.text_ar = "unbalanced {reference"
        with self.assertRaises(ValidationError) as raised:
            render_response(self.template, self.case, "ar")
        self.assertEqual(raised.exception.code, "malformed")

    def test_the_error_names_the_placeholder_in_both_languages(self) -> None:
        self.template.text_en = "{name}"
        with translation.override("en"), self.assertRaises(ValidationError) as raised:
            render_response(self.template, self.case, "en")
        self.assertIn("Unknown placeholder {name}", raised.exception.messages[0])
        with translation.override("ar"), self.assertRaises(ValidationError) as raised:
            render_response(self.template, self.case, "en")
        self.assertIn("{name}", raised.exception.messages[0])
        self.assertNotIn("Unknown placeholder", raised.exception.messages[0])

    def test_saving_a_bad_template_is_refused_by_clean(self) -> None:
        bad = ResponseTemplate(
            municipality=self.muscat,
            service=self.sohar_pothole,
            name_ar="x",
            name_en="x",
            text_ar="{oops}",
            text_en="fine {reference}",
        )
        with self.assertRaises(ValidationError) as raised:
            bad.full_clean()
        self.assertEqual(set(raised.exception.message_dict), {"text_ar", "service"})

    def test_a_template_of_another_municipality_is_refused(self) -> None:
        other = ResponseTemplate.objects.create(
            municipality=self.sohar, name_ar="x", name_en="x", text_ar="x", text_en="x"
        )
        with self.assertRaises(ValidationError) as raised:
            render_response(other, self.case)
        self.assertEqual(raised.exception.code, "tenant")

    def test_templates_for_a_case_fit_its_service_and_status_most_specific_first(self) -> None:
        def make(name: str, **kwargs: object) -> ResponseTemplate:
            return ResponseTemplate.objects.create(
                municipality=self.muscat,
                name_ar=name,
                name_en=name,
                text_ar=".",
                text_en=".",
                **kwargs,  # type: ignore[arg-type]
            )

        both = make("both", service=self.pothole, status=Status.SUBMITTED)
        service = make("service", service=self.pothole)
        status = make("status", status=Status.SUBMITTED)
        make("other service", service=self.streetlight)
        make("other status", status=Status.FIXED)
        make("inactive", is_active=False)
        ResponseTemplate.objects.create(
            municipality=self.sohar, name_ar="s", name_en="s", text_ar=".", text_en="."
        )
        with self.assertNumQueries(1):
            found = list(templates_for(self.case))
        self.assertEqual(found, [both, service, status, self.template])

    def test_the_defaults_render_and_are_added_once(self) -> None:
        self.assertEqual(create_defaults(self.muscat), 3)
        self.assertEqual(create_defaults(self.muscat), 0)
        for template in ResponseTemplate.objects.filter(municipality=self.muscat):
            for language in ("ar", "en"):
                self.assertIn(self.case.reference, render_response(template, self.case, language))
