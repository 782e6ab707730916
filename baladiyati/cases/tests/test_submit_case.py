"""do_submit_case: filing a new service request."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any
from unittest import mock, skipUnless

import h3
import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from baladiyati.cases.actions import Contact
from baladiyati.cases.models import Case, CaseFollower, CasePhoto, CaseUpdate, Channel, Status
from baladiyati.cases.tests.support import (
    WEDNESDAY,
    NotificationSpy,
    TempMediaMixin,
    muscat,
    png_of_size,
)
from baladiyati.cities.models import Service
from baladiyati.core import clock
from baladiyati.core.models import AuditEvent, Counter
from baladiyati.testing import (
    MUSCAT_POINT,
    MUTTRAH_POINT,
    OUTSIDE_POINT,
    BaseTestCase,
    jpeg_bytes,
)

SOHAR_POINT = (24.35, 56.70)
ARABIC_CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "ar" / "LC_MESSAGES" / "django.mo"


class SubmitCaseTest(TempMediaMixin, BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        frozen = clock.frozen_at(WEDNESDAY)
        frozen.__enter__()
        self.addCleanup(frozen.__exit__, None, None, None)

    # ------------------------------------------------------------------ what a case gets

    def test_it_gives_the_case_a_reference_of_the_municipality_and_year(self) -> None:
        case = self.submit()
        assert case.reference == "MCT-2026-000001"
        assert Case.objects.get(reference="MCT-2026-000001") == case

    def test_references_follow_each_other_within_a_municipality(self) -> None:
        references = [self.submit().reference for _ in range(3)]
        assert references == ["MCT-2026-000001", "MCT-2026-000002", "MCT-2026-000003"]

    def test_each_municipality_has_its_own_sequence(self) -> None:
        self.submit()
        self.submit()
        sohar_case = self.submit(self.sohar_pothole, lat=SOHAR_POINT[0], lon=SOHAR_POINT[1])
        assert sohar_case.reference == "SOH-2026-000001"
        assert sohar_case.municipality == self.sohar
        assert self.submit().reference == "MCT-2026-000003"

    def test_the_year_of_the_reference_is_the_municipality_local_year(self) -> None:
        new_year_in_muscat = dt.datetime(2026, 12, 31, 21, 0, tzinfo=dt.UTC)  # 01:00 on 1 Jan
        with clock.frozen_at(new_year_in_muscat):
            assert self.submit().reference == "MCT-2027-000001"

    def test_it_stores_the_location_its_h3_cell_and_wilayat(self) -> None:
        case = self.submit()
        assert (case.lat, case.lon) == MUTTRAH_POINT
        assert case.h3_cell == h3.latlng_to_cell(*MUTTRAH_POINT, 10)
        assert case.district == self.muttrah
        other = self.submit(lat=MUSCAT_POINT[0], lon=MUSCAT_POINT[1])
        assert other.district == self.muscat_wilayat

    def test_it_routes_the_case_to_the_service_department(self) -> None:
        case = self.submit(self.streetlight)
        assert (case.service, case.department) == (self.streetlight, self.lighting)
        assert case.status == Status.SUBMITTED
        assert case.answers == {"pole": "L-1"}

    def test_the_due_time_comes_from_the_sla_on_the_working_calendar(self) -> None:
        # 14 working hours from Wednesday 11:42: the Friday–Saturday weekend is skipped.
        assert self.submit().due_at == muscat(2026, 11, 29, 11, 42)
        # 21 hours for a street light: Wednesday, Thursday, Sunday, and Monday until 11:42.
        assert self.submit(self.streetlight).due_at == muscat(2026, 11, 30, 11, 42)

    def test_the_due_time_skips_a_holiday(self) -> None:
        with clock.frozen_at(muscat(2026, 11, 17, 11, 42)):  # the Tuesday before National Day
            assert self.submit().due_at == muscat(2026, 11, 22, 11, 42)

    def test_it_stores_answers_in_their_clean_form(self) -> None:
        case = self.submit(answers={"size": ["large"], "depth_cm": "١٢"})
        case.refresh_from_db()
        assert case.answers == {"size": "large", "depth_cm": 12}

    def test_it_starts_the_public_timeline(self) -> None:
        case = self.submit()
        update = CaseUpdate.objects.get(case=case)
        assert (update.kind, update.status, update.author) == (
            CaseUpdate.Kind.SUBMITTED,
            Status.SUBMITTED,
            self.citizen,
        )
        assert update.is_public
        assert update.created_at == WEDNESDAY

    def test_the_citizen_is_the_reporter_and_follows_the_case(self) -> None:
        case = self.submit()
        assert case.reporter == self.citizen
        assert list(CaseFollower.objects.filter(case=case).values_list("user", flat=True)) == [
            self.citizen.pk
        ]

    def test_it_writes_an_audit_row(self) -> None:
        case = self.submit(channel=Channel.WEB)
        event = AuditEvent.objects.get()
        assert event.actor == self.citizen
        assert event.action == "case.submitted"
        assert (event.object_type, event.object_id) == ("cases.case", str(case.pk))
        assert event.object_label == "MCT-2026-000001"
        assert event.municipality_id == self.muscat.pk
        assert event.created_at == WEDNESDAY
        assert event.changes == {
            "status": [None, "submitted"],
            "service": [None, self.pothole.pk],
            "department": [None, self.roads.pk],
            "due_at": [None, muscat(2026, 11, 29, 11, 42).astimezone(dt.UTC).isoformat()],
        }
        assert event.extra == {"channel": "web", "photos": 0}

    def test_it_indexes_the_description_for_arabic_search(self) -> None:
        case = self.submit(description="حفرة خطيرة في الطريق")
        assert "طريق" in case.search_text.split()
        assert "pothole" in case.search_text.split()

    # ------------------------------------------------------------------ notifications

    def test_it_notifies_only_after_the_transaction_commits(self) -> None:
        with NotificationSpy() as spy:
            with self.captureOnCommitCallbacks(execute=True) as callbacks:
                case = self.submit(actor=self.agent, channel=Channel.PHONE, reporter=self.citizen)
                assert spy.events == []  # nothing sent while the transaction is open
            # The event, then (from notify) the deliveries it queued.
            assert len(callbacks) == 2
        [event] = spy.events
        assert event.name == "case.submitted"
        assert (event.object_type, event.object_id) == ("cases.case", case.pk)
        assert event.municipality_id == self.muscat.pk
        assert event.actor_id == self.agent.pk
        assert event.recipient_ids == (self.citizen.pk,)
        assert event.context["reference"] == case.reference

    def test_the_reporter_is_told_their_own_report_arrived(self) -> None:
        with NotificationSpy() as spy, self.captureOnCommitCallbacks(execute=True):
            self.submit()
        assert [event.recipient_ids for event in spy.events] == [(self.citizen.pk,)]

    def test_a_rolled_back_submission_notifies_nobody(self) -> None:
        with (
            NotificationSpy() as spy,
            self.captureOnCommitCallbacks(execute=True) as callbacks,
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            self.submit()
            raise RuntimeError("the request failed after the case was written")
        assert callbacks == []
        assert spy.events == []
        assert not Case.objects.exists()

    # ------------------------------------------------------------------ validation first

    def assert_refused_without_writing(self, field: str, **kwargs: Any) -> list[str]:
        """Submitting with `kwargs` raises a field error and writes nothing at all."""
        with (
            translation.override("en"),
            pytest.raises(ValidationError) as exc,
            NotificationSpy() as spy,
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.submit(**kwargs)
        errors = exc.value.message_dict
        assert field in errors, errors
        assert Case.objects.count() == 0
        assert CasePhoto.objects.count() == 0
        assert CaseUpdate.objects.count() == 0
        assert AuditEvent.objects.count() == 0
        assert not Counter.objects.exists()  # no reference number was used up
        assert self.stored_files() == []
        assert spy.events == []
        return errors[field]

    def test_it_refuses_an_unknown_service(self) -> None:
        assert self.assert_refused_without_writing("service_code", service_code="graffiti") == [
            "This municipality has no active service with code “graffiti”."
        ]

    def test_it_refuses_an_inactive_service(self) -> None:
        self.assert_refused_without_writing("service_code", service_code=self.retired.code)

    def test_it_refuses_a_service_of_another_municipality(self) -> None:
        Service.objects.create(
            municipality=self.sohar,
            code="graffiti",
            group=self.sohar_pothole.group,
            department=self.sohar_pothole.department,
            name_ar="كتابة على الجدران",
            name_en="Graffiti",
        )
        self.assert_refused_without_writing("service_code", service_code="graffiti")

    def test_it_refuses_a_location_outside_the_municipality(self) -> None:
        messages = self.assert_refused_without_writing(
            "location", lat=OUTSIDE_POINT[0], lon=OUTSIDE_POINT[1]
        )
        assert messages == ["This location is outside Muscat Municipality."]

    def test_it_refuses_invalid_coordinates(self) -> None:
        for lat, lon in [(float("nan"), 58.5), (91.0, 58.5), (23.6, 181.0), ("north", 58.5)]:
            with self.subTest(lat=lat, lon=lon):
                messages = self.assert_refused_without_writing("location", lat=lat, lon=lon)
                assert messages == ["The location is not a valid latitude and longitude."]

    def test_it_refuses_a_description_over_4000_characters(self) -> None:
        messages = self.assert_refused_without_writing("description", description="ح" * 4001)
        assert messages == ["The description is longer than 4000 characters."]
        assert self.submit(description="ح" * 4000).description == "ح" * 4000

    def test_it_refuses_a_missing_required_answer(self) -> None:
        self.assert_refused_without_writing("attribute[size]", answers={"depth_cm": "10"})

    def test_it_refuses_an_answer_of_the_wrong_type(self) -> None:
        messages = self.assert_refused_without_writing(
            "attribute[depth_cm]", answers={"size": "large", "depth_cm": "deep"}
        )
        assert messages == ["“Depth in centimetres” must be a number."]

    def test_it_refuses_an_unknown_choice(self) -> None:
        self.assert_refused_without_writing("attribute[size]", answers={"size": "enormous"})

    def test_it_refuses_an_answer_to_a_question_the_service_does_not_ask(self) -> None:
        self.assert_refused_without_writing(
            "attribute[colour]", answers={"size": "large", "colour": "red"}
        )

    def test_it_refuses_more_than_five_photos(self) -> None:
        messages = self.assert_refused_without_writing("photos", photos=[jpeg_bytes()] * 6)
        assert messages == ["At most 5 photos may be attached."]

    def test_it_refuses_a_photo_over_10_mb(self) -> None:
        big = io.BytesIO(jpeg_bytes() + b"\x00" * (10 * 1024 * 1024))
        messages = self.assert_refused_without_writing("photos", photos=[jpeg_bytes(), big])
        assert messages == ["Photo 2: The photo is larger than 10 MB."]

    def test_it_refuses_a_file_that_is_not_an_image(self) -> None:
        messages = self.assert_refused_without_writing(
            "photos", photos=[b"%PDF-1.7 not a photo", jpeg_bytes()]
        )
        assert messages == [
            "Photo 1: The file is not a photo. Please send a JPEG, PNG or WebP image."
        ]

    def test_it_refuses_a_decompression_bomb(self) -> None:
        messages = self.assert_refused_without_writing(
            "photos", photos=[png_of_size(20_000, 20_000)]
        )
        assert messages == ["Photo 1: The photo has too many pixels."]

    def test_it_refuses_an_invalid_contact_email(self) -> None:
        self.assert_refused_without_writing(
            "email", actor=AnonymousUser(), contact=Contact(name="Hamad", email="hamad@")
        )

    def test_it_refuses_an_invalid_contact_phone(self) -> None:
        self.assert_refused_without_writing(
            "phone", actor=AnonymousUser(), contact=Contact(name="Hamad", phone="12345")
        )

    def test_it_refuses_an_unknown_channel_and_priority(self) -> None:
        self.assert_refused_without_writing("channel", channel="fax")
        self.assert_refused_without_writing("priority", priority=9)

    def test_it_names_every_problem_at_once(self) -> None:
        with translation.override("en"), pytest.raises(ValidationError) as exc:
            self.submit(
                lat=OUTSIDE_POINT[0],
                lon=OUTSIDE_POINT[1],
                description="ح" * 4001,
                answers={},
                photos=[b"not a photo"],
            )
        assert set(exc.value.message_dict) == {
            "location",
            "description",
            "attribute[size]",
            "photos",
        }

    @skipUnless(ARABIC_CATALOGUE.exists(), "the Arabic catalogue is not compiled (make messages)")
    def test_the_errors_are_in_the_language_of_the_reader(self) -> None:
        with translation.override("ar"), pytest.raises(ValidationError) as exc:
            self.submit(lat=OUTSIDE_POINT[0], lon=OUTSIDE_POINT[1])
        [message] = exc.value.message_dict["location"]
        with translation.override("ar"):
            expected = gettext("This location is outside %(municipality)s.") % {
                "municipality": "بلدية مسقط"
            }
        assert message == expected
        assert message != "This location is outside Muscat Municipality."

    # ------------------------------------------------------------------ photos

    def test_it_stores_the_photos_re_encoded_without_their_location(self) -> None:
        case = self.submit(photos=[jpeg_bytes(exif_gps=True), jpeg_bytes(size=(30, 20))])

        photos = list(case.photos.all())
        assert len(photos) == 2
        assert len(self.stored_files()) == 2
        first = photos[0]
        assert first.image.name.startswith(f"cases/{self.muscat.pk}/{clock.now():%Y/%m}/")
        assert first.image.name.endswith(".jpg")
        assert (first.width, first.height) == (64, 48)
        with Image.open(first.image.path) as stored:
            assert stored.format == "JPEG"
            assert len(stored.getexif()) == 0
        assert b"PhoneMaker" not in (self.media_root / first.image.name).read_bytes()
        assert AuditEvent.objects.get().extra["photos"] == 2

    def test_the_photos_are_written_before_the_transaction_and_only_their_rows_in_it(self) -> None:
        # On SQLite one writer at a time holds the write lock: files written inside the
        # transaction would keep every other submission waiting meanwhile.
        depth_outside = len(connection.atomic_blocks)
        depths: list[int] = []
        save = FileSystemStorage._save

        def recording(storage: Any, name: str, content: Any) -> str:
            depths.append(len(connection.atomic_blocks))
            return save(storage, name, content)

        with mock.patch.object(FileSystemStorage, "_save", recording):
            case = self.submit(photos=[jpeg_bytes(), jpeg_bytes()])

        assert depths == [depth_outside, depth_outside]
        assert case.photos.count() == 2
        assert case.reference not in case.photos.first().image.name

    def test_a_submission_that_fails_in_its_transaction_leaves_no_photo_behind(self) -> None:
        with (
            mock.patch("baladiyati.cases.actions._insert_update", side_effect=RuntimeError),
            pytest.raises(RuntimeError),
        ):
            self.submit(photos=[jpeg_bytes(), jpeg_bytes()])
        assert not Case.objects.exists()
        assert CasePhoto.objects.count() == 0
        assert self.stored_files() == []

    # ------------------------------------------------------------------ idempotency

    def test_a_repeated_idempotency_key_returns_the_first_case(self) -> None:
        with NotificationSpy() as spy, self.captureOnCommitCallbacks(execute=True):
            first = self.submit(idempotency_key="device-1:42")
            again = self.submit(idempotency_key="device-1:42", description="مرة ثانية")
        assert again.pk == first.pk
        assert again.description == first.description
        assert Case.objects.count() == 1
        assert AuditEvent.objects.filter(action="case.submitted").count() == 1
        assert len(spy.events) == 1
        assert self.submit(idempotency_key="device-1:43").pk != first.pk

    def test_a_retry_gets_the_first_case_even_if_it_would_now_be_refused(self) -> None:
        first = self.submit(idempotency_key="device-1:42")
        Service.objects.filter(pk=self.pothole.pk).update(is_active=False)
        assert self.submit(idempotency_key="device-1:42").pk == first.pk
        with pytest.raises(ValidationError):
            self.submit(idempotency_key="device-1:43")

    def test_idempotency_keys_are_per_municipality(self) -> None:
        muscat_case = self.submit(idempotency_key="k")
        sohar_case = self.submit(
            self.sohar_pothole, lat=SOHAR_POINT[0], lon=SOHAR_POINT[1], idempotency_key="k"
        )
        assert sohar_case.pk != muscat_case.pk

    # ------------------------------------------------------------------ who files

    def test_an_anonymous_report_keeps_its_contact_details(self) -> None:
        case = self.submit(
            actor=AnonymousUser(),
            contact=Contact(name=" Hamad ", email="Hamad@Example.OM", phone="9988 7766"),
        )
        assert case.reporter is None
        assert (case.contact_name, case.contact_email, case.contact_phone) == (
            "Hamad",
            "hamad@example.om",
            "+96899887766",
        )
        assert len(case.tracking_token) >= 30
        assert not case.followers.exists()
        event = AuditEvent.objects.get()
        assert (event.actor, event.actor_label) == (None, "anonymous")

    def test_an_agent_files_a_callers_report_by_phone(self) -> None:
        case = self.submit(actor=self.agent, channel=Channel.PHONE, contact=self.anonymous)
        assert case.channel == Channel.PHONE
        assert case.reporter is None  # staff are not the reporter of what they file for others
        assert case.contact_phone == "+96899887766"
        assert AuditEvent.objects.get().actor == self.agent

    def test_a_clerk_files_at_the_counter_for_a_registered_citizen(self) -> None:
        case = self.submit(actor=self.clerk, channel=Channel.COUNTER, reporter=self.citizen2)
        assert case.reporter == self.citizen2
        assert case.followers.get().user == self.citizen2

    def test_a_citizen_cannot_file_as_a_phone_call(self) -> None:
        for channel in (Channel.PHONE, Channel.COUNTER):
            with self.subTest(channel=channel), pytest.raises(PermissionDenied):
                self.submit(channel=channel)
        assert not Case.objects.exists()
        assert not AuditEvent.objects.exists()

    def test_staff_of_another_municipality_cannot_file_by_phone(self) -> None:
        with pytest.raises(PermissionDenied):
            self.submit(actor=self.stranger, channel=Channel.PHONE, contact=self.anonymous)
        assert not Case.objects.exists()

    def test_a_citizen_cannot_file_in_someone_elses_name(self) -> None:
        with pytest.raises(PermissionDenied):
            self.submit(reporter=self.citizen2)
        with pytest.raises(PermissionDenied):
            self.submit(actor=AnonymousUser(), reporter=self.citizen2)
        assert not Case.objects.exists()

    def test_a_private_service_makes_private_cases(self) -> None:
        assert not self.submit().is_private
        Service.objects.filter(pk=self.pothole.pk).update(is_private=True)
        assert self.submit().is_private
        assert not Case.objects.public().filter(is_private=True).exists()

    def test_a_reporter_may_ask_for_a_private_case(self) -> None:
        assert self.submit(is_private=True).is_private
