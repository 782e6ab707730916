"""Permit personas and catalogue on top of the shared test world (baladiyati.testing).

planning, structural   Muscat departments that review new buildings
planner, engineer_reviewer   permit reviewers of those departments
office                 Al Noor Engineering Consultancy; `consultant` (Huda) is a member
major                  "new building (major)" with three required documents
"""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from baladiyati.accounts.models import Role
from baladiyati.cities.models import Department
from baladiyati.permits import actions
from baladiyati.permits.models import (
    Application,
    Decision,
    DocumentType,
    FeeKind,
    FeeRule,
    Kind,
    Organisation,
    OrganisationMember,
    PermitType,
)
from baladiyati.testing import MUSCAT_POINT, BaseTestCase, make_staff

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DWG = b"AC1032" + b"\x00" * 64


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, format="PNG")
    return out.getvalue()


FIELDS: dict[str, Any] = {
    "plot_number": "123/4",
    "title_deed_number": "TD-998877",
    "lat": MUSCAT_POINT[0],
    "lon": MUSCAT_POINT[1],
    "land_use": "residential",
    "built_up_area": "420.50",
    "floors": "2",
    "estimated_cost": "85000",
    "description": "فيلا سكنية من طابقين",
}


def build_permits_world(world: Any) -> None:
    world.planning = Department.objects.create(
        municipality=world.muscat, code="planning", name_ar="التخطيط", name_en="Planning"
    )
    world.structural = Department.objects.create(
        municipality=world.muscat, code="structural", name_ar="الإنشاءات", name_en="Structural"
    )
    world.planner = make_staff("rashid", world.muscat, Role.PERMIT_REVIEWER, world.planning)
    world.engineer_reviewer = make_staff(
        "zainab", world.muscat, Role.PERMIT_REVIEWER, world.structural
    )
    world.site_plan = DocumentType.objects.create(
        municipality=world.muscat,
        code="site_plan",
        name_ar="المخطط الموقعي",
        name_en="Site plan",
        formats=["pdf"],
    )
    world.deed = DocumentType.objects.create(
        municipality=world.muscat,
        code="title_deed",
        name_ar="سند الملكية",
        name_en="Title deed",
        formats=["pdf", "jpeg", "png"],
        order=1,
    )
    world.drawings = DocumentType.objects.create(
        municipality=world.muscat,
        code="drawings",
        name_ar="المخططات الهندسية",
        name_en="Drawings",
        formats=["pdf", "dwg"],
        order=2,
    )
    world.major = PermitType.objects.create(
        municipality=world.muscat,
        code="new-major",
        kind=Kind.NEW_MAJOR,
        name_ar="بناء جديد (رئيسي)",
        name_en="New building (major)",
        conditions_ar="الالتزام بالمخططات المعتمدة",
        conditions_en="Build as approved",
    )
    world.major.required_documents.set([world.site_plan, world.deed, world.drawings])
    world.major.review_departments.set([world.planning, world.structural])
    world.wall = PermitType.objects.create(
        municipality=world.muscat,
        code="wall",
        kind=Kind.BOUNDARY_WALL,
        name_ar="سور",
        name_en="Boundary wall",
    )
    world.wall.required_documents.set([world.site_plan])
    world.wall.review_departments.set([world.planning])
    FeeRule.objects.create(permit_type=world.wall, kind=FeeKind.SERVICE, amount="20.000")
    world.office = Organisation.objects.create(
        name_ar="مكتب النور للاستشارات الهندسية",
        name_en="Al Noor Engineering Consultancy",
        licence_number="ENG-001",
    )
    from baladiyati.accounts.models import User

    world.consultant = User.objects.create_user("huda", password="password", first_name="هدى")
    OrganisationMember.objects.create(organisation=world.office, user=world.consultant)


class PermitHelpers:
    """Applying and reviewing in one call each; mixed into test cases that built the world."""

    muscat: Any
    major: PermitType
    citizen: Any
    planning: Department
    planner: Any
    engineer_reviewer: Any

    def draft(self, *, actor: Any = None, permit_type: PermitType | None = None, **values: Any):
        values = {**FIELDS, **values}
        return actions.do_create_draft(
            municipality=self.muscat,
            permit_type_code=(permit_type or self.major).code,
            actor=actor or self.citizen,
            **values,
        )

    def complete_draft(self, **kwargs: Any) -> Application:
        application = self.draft(**kwargs)
        actor = kwargs.get("actor") or self.citizen
        for code, data in (("site_plan", PDF), ("title_deed", png_bytes()), ("drawings", DWG)):
            if application.permit_type.required_documents.filter(code=code).exists():
                actions.do_upload_document(
                    application, document_type_code=code, upload=data, name=f"{code}.x", actor=actor
                )
        return application

    def submitted(self, **kwargs: Any) -> Application:
        application = self.complete_draft(**kwargs)
        return actions.do_submit_application(application, actor=kwargs.get("actor") or self.citizen)

    def approve_all(self, application: Application) -> Application:
        round_ = application.active_round()
        assert round_ is not None
        for review in round_.reviews.filter(decision=Decision.PENDING):
            reviewer = (
                self.planner if review.department == self.planning else self.engineer_reviewer
            )
            actions.do_decide_review(review, decision="approved", actor=reviewer)
        application.refresh_from_db()
        return application


class PermitTestCase(PermitHelpers, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_permits_world(cls)
