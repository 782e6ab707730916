"""manage.py seed_demo: the demo municipalities, people and history, and --cases in bulk."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections import Counter as Tally

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from shapely.geometry import Point
from shapely.ops import unary_union

from baladiyati.accounts.models import CitizenProfile, Role, StaffMembership, User
from baladiyati.accounts.phones import normalize_phone
from baladiyati.cases.models import (
    Case,
    CaseNote,
    CaseRating,
    CaseUpdate,
    CloseReason,
    Status,
)
from baladiyati.cities.models import (
    Department,
    District,
    Holiday,
    Municipality,
    Service,
    ServiceQuestion,
)
from baladiyati.core import clock, geo
from baladiyati.core.models import AuditEvent
from baladiyati.demo import data

# Enough replayed cases for every status and reason, few enough for a fast test.
DEMO_CASES = 40


def seed_demo(*args: str) -> str:
    out = io.StringIO()
    call_command(
        "seed_demo", "--demo-cases", str(DEMO_CASES), *args, stdout=out, stderr=io.StringIO()
    )
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [
        Municipality,
        District,
        Department,
        Service,
        ServiceQuestion,
        Holiday,
        User,
        StaffMembership,
        CitizenProfile,
        Case,
        CaseUpdate,
        CaseNote,
        CaseRating,
    ]
    return {m.__name__: m.objects.count() for m in models}


class SeedDemoTest(TestCase):
    output: str

    @classmethod
    def setUpTestData(cls) -> None:
        cls.started = clock.now()
        cls.output = seed_demo()
        cls.muscat = Municipality.objects.get(slug="muscat")
        cls.sohar = Municipality.objects.get(slug="sohar")

    def test_it_creates_muscat_and_sohar(self) -> None:
        self.assertEqual(
            (self.muscat.code, self.muscat.name_ar, self.muscat.name_en),
            ("MCT", "بلدية مسقط", "Muscat Municipality"),
        )
        self.assertEqual(
            (self.muscat.timezone, self.muscat.currency, self.muscat.currency_decimals),
            ("Asia/Muscat", "OMR", 3),
        )
        self.assertEqual(self.muscat.contact_number, "1111")
        self.assertEqual(self.sohar.code, "SOH")
        self.assertEqual(self.sohar.districts.count(), 3)

    def test_muscats_six_wilayats_tile_its_boundary(self) -> None:
        wilayats = {d.code: geo.geometry(d.boundary) for d in self.muscat.districts.all()}
        boundary = geo.geometry(self.muscat.boundary)

        self.assertEqual(
            set(wilayats), {"muscat", "muttrah", "bawshar", "seeb", "amerat", "qurayyat"}
        )
        for (a, shape_a), (b, shape_b) in itertools.combinations(wilayats.items(), 2):
            with self.subTest(f"{a} and {b}"):
                self.assertAlmostEqual(shape_a.intersection(shape_b).area, 0)
        self.assertEqual(boundary.geom_type, "Polygon")
        self.assertAlmostEqual(
            unary_union(list(wilayats.values())).symmetric_difference(boundary).area, 0
        )

    def test_the_wilayats_lie_along_the_coast_from_seeb_to_qurayyat(self) -> None:
        centre = {d.code: geo.geometry(d.boundary).centroid for d in self.muscat.districts.all()}

        west_to_east = sorted(["seeb", "bawshar", "muttrah", "muscat"], key=lambda c: centre[c].x)
        self.assertEqual(west_to_east, ["seeb", "bawshar", "muttrah", "muscat"])
        self.assertLess(centre["amerat"].y, centre["muttrah"].y)  # inland, to the south
        self.assertGreater(centre["qurayyat"].x, centre["muscat"].x)  # south-east
        self.assertLess(centre["qurayyat"].y, centre["amerat"].y)
        old_muscat = Point(58.593, 23.614)
        self.assertTrue(
            geo.geometry(self.muscat.districts.get(code="muscat").boundary).covers(old_muscat)
        )

    def test_muscat_has_its_departments_and_at_least_twenty_services_with_questions(self) -> None:
        services = Service.objects.of(self.muscat).select_related("department", "group")

        self.assertEqual(
            set(self.muscat.departments.values_list("code", flat=True)),
            {"roads", "waste", "lighting", "parks", "health", "building"}
            # and the departments that review building permits (permits.catalogue)
            | {"planning", "structural", "civil_defence", "environment"},
        )
        self.assertGreaterEqual(services.count(), 20)
        for service in services:
            with self.subTest(service.code):
                self.assertEqual(service.department.municipality_id, self.muscat.pk)
                self.assertEqual(service.group.municipality_id, self.muscat.pk)
                self.assertTrue(service.name_ar and service.name_en)
                self.assertTrue(service.description_ar and service.description_en)
                self.assertTrue(service.keywords_ar and service.keywords_en)
                self.assertGreaterEqual(service.sla_hours, 1)
        datatypes = set(
            ServiceQuestion.objects.filter(service__municipality=self.muscat).values_list(
                "datatype", flat=True
            )
        )
        self.assertEqual(
            datatypes, {"string", "number", "datetime", "singlevaluelist", "multivaluelist"}
        )

    def test_sohars_services_belong_to_sohars_departments(self) -> None:
        services = Service.objects.of(self.sohar).select_related("department")

        self.assertGreaterEqual(services.count(), 3)
        self.assertTrue(all(s.department.municipality_id == self.sohar.pk for s in services))

    def test_the_calendar_has_omans_holidays_for_2026_and_2027(self) -> None:
        holidays = {
            h.date: h.name_en for h in Holiday.objects.filter(calendar__municipality=self.muscat)
        }

        for year in (2026, 2027):
            with self.subTest(year):
                names = {name for day, name in holidays.items() if day.year == year}
                self.assertTrue(
                    {
                        "National Day",
                        "Accession Day",
                        "Isra and Mi'raj",
                        "Eid al-Fitr holiday",
                        "Eid al-Adha holiday",
                        "Islamic New Year",
                        "Prophet's Birthday",
                    }
                    <= names
                )
                self.assertEqual(holidays[dt.date(year, 11, 18)], "National Day")
                self.assertEqual(holidays[dt.date(year, 11, 19)], "National Day")
                self.assertEqual(holidays[dt.date(year, 1, 11)], "Accession Day")
        self.assertEqual(self.muscat.calendar.weekend_days, [4, 5])  # Friday and Saturday
        self.assertFalse(self.muscat.calendar.engine().is_working_day(dt.date(2026, 11, 18)))

    def test_muscat_has_every_role_and_a_permit_reviewer_per_department(self) -> None:
        memberships = StaffMembership.objects.filter(municipality=self.muscat).select_related(
            "user", "department"
        )

        # noor (any department) and one reviewer for each of the four reviewing departments.
        expected = {**dict.fromkeys(Role.values, 1), Role.PERMIT_REVIEWER: 5}
        self.assertEqual(Tally(m.role for m in memberships), expected)
        by_role = {m.role: m for m in memberships if m.role != Role.PERMIT_REVIEWER}
        self.assertEqual(by_role[Role.CLERK].department.code, "roads")
        self.assertTrue(by_role[Role.ADMIN].user.is_staff)
        self.assertTrue(User.objects.filter(is_superuser=True, is_staff=True).exists())
        self.assertGreaterEqual(StaffMembership.objects.filter(municipality=self.sohar).count(), 2)

    def test_demo_users_sign_in_with_the_printed_password(self) -> None:
        for username in ("fatma", "khalid", "hilal", "noor", "ahmed", "root", "salim", "said"):
            with self.subTest(username):
                self.assertTrue(
                    User.objects.get(username=username).check_password(data.DEMO_PASSWORD)
                )
                self.assertIn(username, self.output)
        self.assertIn(data.DEMO_PASSWORD, self.output)

    def test_the_citizens_have_omani_mobile_numbers_and_profiles(self) -> None:
        citizens = User.objects.filter(citizen_profile__isnull=False)

        self.assertEqual(citizens.count(), 2)
        for citizen in citizens:
            self.assertTrue(citizen.phone.startswith("+968"))
            self.assertEqual(normalize_phone(citizen.phone), citizen.phone)
            self.assertEqual(citizen.citizen_profile.home_municipality, self.muscat)

    def test_the_cases_cover_every_status_and_close_reason(self) -> None:
        cases = Case.objects.of(self.muscat)

        self.assertEqual(cases.count(), DEMO_CASES)
        self.assertEqual(set(cases.values_list("status", flat=True)), set(Status.values))
        self.assertEqual(
            set(
                cases.filter(status=Status.CLOSED_NOT_FIXED).values_list("close_reason", flat=True)
            ),
            set(CloseReason.values),
        )
        self.assertTrue(Case.objects.of(self.sohar).exists())
        self.assertTrue(CaseNote.objects.exists())
        self.assertTrue(CaseRating.objects.exists())
        self.assertTrue(CaseUpdate.objects.filter(kind=CaseUpdate.Kind.REPLY).exists())
        self.assertTrue(cases.filter(reporter=None).exclude(contact_phone="").exists())
        self.assertTrue(cases.exclude(reporter=None).exists())
        self.assertGreater(len(set(cases.values_list("channel", flat=True))), 2)

    def test_every_case_was_filed_through_the_submit_action(self) -> None:
        submitted = AuditEvent.objects.filter(action="case.submitted", object_type="cases.case")

        self.assertEqual(
            set(submitted.values_list("object_id", flat=True)),
            {str(pk) for pk in Case.objects.values_list("pk", flat=True)},
        )
        self.assertTrue(AuditEvent.objects.filter(action="case.reopened").exists())
        self.assertTrue(AuditEvent.objects.filter(action="case.rated").exists())

    def test_each_history_lies_in_the_last_ninety_days_in_order(self) -> None:
        for case in Case.objects.prefetch_related("updates", "notes", "ratings"):
            with self.subTest(case.reference):
                moments = [u.created_at for u in case.updates.all()]
                self.assertEqual(moments, sorted(moments))
                self.assertEqual(moments[0], case.created_at)
                self.assertGreater(case.created_at, self.started - dt.timedelta(days=90))
                every = [
                    *moments,
                    *(n.created_at for n in case.notes.all()),
                    *(r.created_at for r in case.ratings.all()),
                    case.updated_at,
                ]
                self.assertLess(max(every), self.started)
                self.assertEqual(case.updates.last().status, case.status)

    def test_running_it_again_duplicates_nothing(self) -> None:
        before = counts()

        output = seed_demo()

        self.assertEqual(counts(), before)
        self.assertIn("exist already", output)

    def test_cases_option_adds_exactly_that_many_valid_cases(self) -> None:
        before = Case.objects.of(self.muscat).count()

        output = seed_demo("--cases", "2000")

        added = Case.objects.of(self.muscat).order_by("-id")[:2000]
        engine = self.muscat.calendar.engine()
        districts = {d.pk: geo.geometry(d.boundary) for d in self.muscat.districts.all()}
        self.assertEqual(Case.objects.of(self.muscat).count(), before + 2000)
        self.assertEqual(
            len(set(Case.objects.of(self.muscat).values_list("reference", flat=True))),
            before + 2000,
        )
        for case in added:
            self.assertEqual(case.close_reason != "", case.status == Status.CLOSED_NOT_FIXED)
            self.assertEqual(case.duplicate_of_id is not None, case.status == Status.DUPLICATE)
            self.assertTrue(districts[case.district_id].covers(Point(case.lon, case.lat)))
            self.assertTrue(engine.is_working_moment(case.due_at))
        self.assertEqual(AuditEvent.objects.get(action="case.bulk_generated").extra["count"], 2000)
        self.assertIn("Generated 2,000 cases", output)

    def test_cases_option_refuses_an_unknown_municipality(self) -> None:
        with self.assertRaisesMessage(CommandError, "nowhere"):
            seed_demo("--cases", "10", "--municipality", "nowhere")


class SeedDemoCasesOnAnEmptyDatabaseTest(TestCase):
    def test_cases_option_seeds_the_base_data_first(self) -> None:
        seed_demo("--cases", "100", "--demo-cases", "0")

        muscat = Municipality.objects.get(slug="muscat")
        self.assertEqual(muscat.districts.count(), 6)
        self.assertEqual(Case.objects.of(muscat).count(), 100)
        first = Case.objects.of(muscat).order_by("id").first()
        self.assertRegex(first.reference, r"^MCT-20\d\d-000001$")


class DemoApiKeyTest(TestCase):
    def test_the_published_demo_keys_post_to_open311_and_are_created_once(self) -> None:
        from baladiyati.open311.models import ApiKey

        seed_demo()
        seed_demo()
        self.assertEqual(ApiKey.objects.count(), 2)
        app = ApiKey.objects.verify(data.DEMO_APP_KEY)
        backend = ApiKey.objects.verify(data.DEMO_BACKEND_KEY)
        assert app is not None and backend is not None
        self.assertIsNone(app.user)
        self.assertEqual(backend.user.username if backend.user else "", "hilal")
        service = Service.objects.filter(municipality__slug="muscat").first()
        assert service is not None
        form = {
            "api_key": data.DEMO_APP_KEY,
            "jurisdiction_id": "muscat",
            "service_code": service.code,
            "lat": "23.61",
            "long": "58.54",
            "description": "عرض تجريبي",
        }
        samples = {"number": "2", "datetime": "2026-11-20", "string": "A-1", "text": "..."}
        for question in service.questions.filter(required=True):
            first = question.values[0]["key"] if question.values else None
            form[f"attribute[{question.code}]"] = first or samples[question.datatype]
        response = self.client.post("/open311/v2/requests.json", form)
        self.assertEqual(response.status_code, 200, response.content)
