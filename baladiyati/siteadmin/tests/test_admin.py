from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baladiyati.accounts.models import User
from baladiyati.cities.models import Service
from baladiyati.core.text import search_terms
from baladiyati.testing import BaseTestCase, verified_login


class AdminLanguageTests(BaseTestCase):
    def setUp(self) -> None:
        self.root = User.objects.create_superuser("root", "root@example.om", "password")
        verified_login(self.client, self.root)

    def test_the_admin_is_in_arabic_and_right_to_left_by_default(self) -> None:
        response = self.client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, 'lang="ar" dir="rtl"')
        self.assertContains(response, "إدارة بلديتي")
        self.assertContains(response, "الخدمات")

    def test_the_admin_switches_to_english(self) -> None:
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
        response = self.client.get("/admin/")
        self.assertContains(response, 'lang="en" dir="ltr"')
        self.assertContains(response, "Baladiyati administration")
        self.assertContains(response, 'value="ar"')

    def test_the_service_list_shows_both_names(self) -> None:
        response = self.client.get(reverse("admin:cities_service_changelist"))
        self.assertContains(response, "حفرة في الطريق")
        self.assertContains(response, "Pothole")


class AdminTenancyTests(BaseTestCase):
    def test_a_municipal_admin_sees_only_their_municipality(self) -> None:
        verified_login(self.client, self.admin)
        response = self.client.get(reverse("admin:cities_service_changelist"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "حفرة في الطريق")
        self.assertNotContains(response, "صحار")
        codes = {s.code for s in response.context["cl"].result_list}
        self.assertEqual(codes, {"pothole", "streetlight", "retired"})
        # The sidebar filters offer only Muscat's groups and departments.
        self.assertNotContains(response, f"group__id__exact={self.sohar_pothole.group_id}")
        self.assertNotContains(
            response, f"department__id__exact={self.sohar_pothole.department_id}"
        )

    def test_another_municipalitys_row_is_not_found_for_a_municipal_admin(self) -> None:
        verified_login(self.client, self.admin)
        url = reverse("admin:cities_service_change", args=[self.sohar_pothole.pk])
        response = self.client.get(url)
        # The admin redirects to its index with "doesn't exist", never showing the row.
        self.assertEqual(response.status_code, 302)
        self.assertNotContains(self.client.get(response["Location"]), "حفرة")

    def test_staff_without_the_admin_role_see_no_catalogue(self) -> None:
        verified_login(self.client, self.stranger)
        response = self.client.get(reverse("admin:cities_service_changelist"))
        self.assertEqual(response.status_code, 403)
        response = self.client.get(reverse("admin:cities_municipality_changelist"))
        self.assertEqual(response.status_code, 403)

    def test_a_municipal_admin_can_only_pick_their_own_departments(self) -> None:
        verified_login(self.client, self.admin)
        response = self.client.get(reverse("admin:cities_service_add"))
        departments = response.context["adminform"].form.fields["department"].queryset
        self.assertEqual(set(departments), {self.roads, self.lighting})

    def test_a_municipal_admin_adds_a_service_with_a_question(self) -> None:
        verified_login(self.client, self.admin)
        group = self.pothole.group
        data = {
            "municipality": self.muscat.pk,
            "code": "graffiti",
            "group": group.pk,
            "department": self.roads.pk,
            "is_active": "on",
            "order": 3,
            "name_ar": "كتابة على الجدران",
            "name_en": "Graffiti",
            "sla_hours": 35,
            "questions-TOTAL_FORMS": 1,
            "questions-INITIAL_FORMS": 0,
            "questions-0-code": "surface",
            "questions-0-datatype": "singlevaluelist",
            "questions-0-required": "on",
            "questions-0-variable": "on",
            "questions-0-order": 0,
            "questions-0-description_ar": "على أي سطح؟",
            "questions-0-description_en": "On what surface?",
            "questions-0-values": '[{"key": "wall", "name_ar": "جدار", "name_en": "Wall"}]',
        }
        response = self.client.post(reverse("admin:cities_service_add"), data)
        self.assertEqual(
            response.status_code,
            302,
            getattr(response, "context", None) and response.context["errors"],
        )
        service = Service.objects.get(code="graffiti")
        self.assertEqual(service.questions.get().values[0]["key"], "wall")
        # Indexed for Arabic search: "كتابه" (a common misspelling) finds it.
        self.assertIn(search_terms("كتابه"), service.search_text.split())


class AdminReadOnlyCasesTests(BaseTestCase):
    def test_cases_cannot_be_changed_in_the_admin(self) -> None:
        case = self.submit()
        root = User.objects.create_superuser("root", "root@example.om", "password")
        verified_login(self.client, root)
        url = reverse("admin:cases_case_change", args=[case.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        self.client.post(url, {"status": "fixed"})
        case.refresh_from_db()
        self.assertEqual(case.status, "submitted")
        self.assertEqual(self.client.get(reverse("admin:cases_case_add")).status_code, 403)

    def test_the_case_list_costs_a_fixed_number_of_queries(self) -> None:
        for _ in range(3):
            self.submit()
        root = User.objects.create_superuser("root", "root@example.om", "password")
        verified_login(self.client, root)
        url = reverse("admin:cases_case_changelist")
        self.client.get(url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for _ in range(5):
            self.submit()
        with CaptureQueriesContext(connection) as more:
            response = self.client.get(url)
        self.assertEqual(len(response.context["cl"].result_list), 8)
        self.assertEqual(len(few), len(more))


class AdminNotificationTests(BaseTestCase):
    def test_default_templates_are_listed_and_deliveries_hide_addresses(self) -> None:
        root = User.objects.create_superuser("root", "root@example.om", "password")
        verified_login(self.client, root)
        response = self.client.get(reverse("admin:notify_messagetemplate_changelist"))
        self.assertContains(response, "case.submitted")
        with self.captureOnCommitCallbacks(execute=True):
            self.submit()
        response = self.client.get(reverse("admin:notify_delivery_changelist"))
        self.assertContains(response, "case.submitted")
        self.assertNotContains(response, "+96891234567")
