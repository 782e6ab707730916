"""The catalogue in the Django admin (baladiyati.siteadmin): scoped to the admin's city."""

from __future__ import annotations

from django.urls import reverse

from baladiyati.permits.catalogue import install_default_catalogue
from baladiyati.testing import verified_login

from .world import PermitTestCase


class CatalogueAdminTest(PermitTestCase):
    def test_a_municipal_admin_configures_only_their_citys_permit_types(self) -> None:
        install_default_catalogue(self.sohar)
        verified_login(self.client, self.admin)
        response = self.client.get(reverse("admin:permits_permittype_changelist"))
        self.assertContains(response, "new-major")
        self.assertNotContains(response, "boundary-wall")  # Sohar's only (Muscat has "wall")
        page = self.client.get(reverse("admin:permits_permittype_change", args=[self.major.pk]))
        self.assertContains(page, "التخطيط")
        choices = page.context["adminform"].form.fields["review_departments"].queryset
        self.assertEqual({d.municipality_id for d in choices}, {self.muscat.pk})

    def test_fee_rules_are_edited_inline_with_three_decimals(self) -> None:
        verified_login(self.client, self.admin)
        page = self.client.get(reverse("admin:permits_permittype_change", args=[self.wall.pk]))
        self.assertContains(page, "20.000")
