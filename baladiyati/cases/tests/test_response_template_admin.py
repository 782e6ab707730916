"""The admin page of response templates (siteadmin): scoped, placeholders checked on saving."""

from __future__ import annotations

from django.urls import reverse

from baladiyati.cases.models import ResponseTemplate
from baladiyati.testing import BaseTestCase, verified_login


class ResponseTemplateAdminTest(BaseTestCase):
    def data(self, **overrides: object) -> dict[str, object]:
        data: dict[str, object] = {
            "municipality": self.muscat.pk,
            "service": self.pothole.pk,
            "status": "acknowledged",
            "name_ar": "استلام",
            "name_en": "Received",
            "text_ar": "استلمنا بلاغك {reference}",
            "text_en": "We received {reference}",
            "is_active": "on",
        }
        data.update(overrides)
        return data

    def test_a_municipal_admin_adds_a_template(self) -> None:
        verified_login(self.client, self.admin)
        response = self.client.post(reverse("admin:cases_responsetemplate_add"), self.data())
        self.assertEqual(response.status_code, 302)
        self.assertTrue(ResponseTemplate.objects.filter(name_en="Received").exists())

    def test_an_unknown_placeholder_is_refused_with_the_reason_in_arabic(self) -> None:
        verified_login(self.client, self.admin)
        response = self.client.post(
            reverse("admin:cases_responsetemplate_add"), self.data(text_ar="مرحباً {name}")
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "{name}")
        self.assertIn("text_ar", response.context["adminform"].form.errors)
        self.assertFalse(ResponseTemplate.objects.exists())

    def test_only_the_admins_services_are_offered_and_other_cities_templates_hidden(self) -> None:
        ResponseTemplate.objects.create(
            municipality=self.sohar, name_ar="صحار", name_en="Sohar", text_ar=".", text_en="."
        )
        verified_login(self.client, self.admin)
        response = self.client.get(reverse("admin:cases_responsetemplate_add"))
        services = response.context["adminform"].form.fields["service"].queryset
        self.assertNotIn(self.sohar_pothole, set(services))
        response = self.client.get(reverse("admin:cases_responsetemplate_changelist"))
        self.assertNotContains(response, "Sohar")
