"""Who may read, work and file cases: every persona, for a roads and a lighting case."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser

from baladiyati.accounts.models import Role, StaffMembership
from baladiyati.accounts.permissions import can_file_for_caller, can_read_case, can_work_case
from baladiyati.testing import BaseTestCase, make_staff

# persona: (read roads, read lighting, work roads, work lighting, file for a caller)
EXPECTED: dict[str, tuple[bool, bool, bool, bool, bool]] = {
    "citizen": (False, False, False, False, False),
    "citizen2": (False, False, False, False, False),
    "anonymous_user": (False, False, False, False, False),
    "nobody": (False, False, False, False, False),
    "agent": (True, True, False, False, True),
    "clerk": (True, False, True, False, True),
    "lighting_clerk": (False, True, False, True, True),
    "supervisor": (True, True, True, True, True),
    "reviewer": (False, False, False, False, False),
    "admin": (True, True, True, True, True),
    "stranger": (False, False, False, False, False),
}


class PermissionMatrixTest(BaseTestCase):
    def persona(self, name: str) -> Any:
        if name == "anonymous_user":
            return AnonymousUser()
        if name == "nobody":
            return None
        return getattr(self, name)

    def rights(self, user: Any, municipality_id: int) -> tuple[bool, bool, bool, bool, bool]:
        return (
            can_read_case(user, municipality_id, self.roads.pk),
            can_read_case(user, municipality_id, self.lighting.pk),
            can_work_case(user, municipality_id, self.roads.pk),
            can_work_case(user, municipality_id, self.lighting.pk),
            can_file_for_caller(user, municipality_id),
        )

    def test_every_persona_has_exactly_its_rights_in_muscat(self) -> None:
        for name, expected in EXPECTED.items():
            with self.subTest(persona=name):
                assert self.rights(self.persona(name), self.muscat.pk) == expected

    def test_the_stranger_has_every_right_in_sohar_and_none_in_muscat(self) -> None:
        sohar_roads = self.sohar_pothole.department_id
        assert can_read_case(self.stranger, self.sohar.pk, sohar_roads)
        assert can_work_case(self.stranger, self.sohar.pk, sohar_roads)
        assert can_file_for_caller(self.stranger, self.sohar.pk)
        assert self.rights(self.stranger, self.muscat.pk) == (False,) * 5

    def test_muscat_staff_have_no_rights_in_sohar(self) -> None:
        sohar_roads = self.sohar_pothole.department_id
        for name in ("agent", "clerk", "supervisor", "admin"):
            with self.subTest(persona=name):
                user = self.persona(name)
                assert not can_read_case(user, self.sohar.pk, sohar_roads)
                assert not can_work_case(user, self.sohar.pk, sohar_roads)
                assert not can_file_for_caller(user, self.sohar.pk)

    def test_a_case_without_a_department_is_for_city_wide_staff_only(self) -> None:
        assert can_work_case(self.supervisor, self.muscat.pk, None)
        assert not can_work_case(self.clerk, self.muscat.pk, None)
        assert not can_read_case(self.clerk, self.muscat.pk, None)

    def test_an_inactive_membership_gives_no_rights(self) -> None:
        StaffMembership.objects.filter(user=self.supervisor).update(is_active=False)
        supervisor = type(self.supervisor).objects.get(pk=self.supervisor.pk)
        assert self.rights(supervisor, self.muscat.pk) == (False,) * 5

    def test_a_django_superuser_without_a_membership_has_no_case_rights(self) -> None:
        root = type(self.citizen).objects.create_superuser("root", password="x")
        assert self.rights(root, self.muscat.pk) == (False,) * 5

    def test_a_new_clerk_works_only_their_department(self) -> None:
        clerk = make_staff("rashid", self.muscat, Role.CLERK, self.lighting)
        assert self.rights(clerk, self.muscat.pk) == (False, True, False, True, True)
