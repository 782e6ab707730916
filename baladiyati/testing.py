"""The shared test base: two municipalities and a named persona for every kind of user.

Muscat (slug "muscat") has two wilayats, roads and lighting departments and three services;
Sohar is the other tenant, whose staff member `stranger` must never see anything of Muscat.

    citizen      Salim, a signed-in resident of Muscat (phone +96891234567)
    citizen2     Aisha, another resident
    anonymous    contact details of someone reporting without an account (a Contact)
    agent        Fatma, contact centre 1111 (files for callers, reads everything)
    clerk        Khalid, roads department clerk
    lighting_clerk  Maryam, lighting department clerk
    supervisor   Hilal, supervises all of Muscat
    reviewer     Noor, permit reviewer
    admin        Ahmed, Muscat's administrator (Django admin, his city only)
    stranger     Said, supervisor in Sohar
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.test import TestCase
from PIL import Image

from baladiyati.accounts.models import Role, StaffMembership, User
from baladiyati.cases.actions import Contact, do_submit_case
from baladiyati.cases.models import Case, Channel
from baladiyati.cities.models import (
    Datatype,
    Department,
    District,
    Holiday,
    Municipality,
    Service,
    ServiceGroup,
    ServiceQuestion,
)


def box(lon1: float, lat1: float, lon2: float, lat2: float) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [[[lon1, lat1], [lon2, lat1], [lon2, lat2], [lon1, lat2], [lon1, lat1]]],
    }


# Inside Muscat's test boundary: Muttrah (west half) and Muscat wilayat (east half).
MUTTRAH_POINT = (23.60, 58.50)
MUSCAT_POINT = (23.60, 58.60)
OUTSIDE_POINT = (24.40, 56.70)  # Sohar


def jpeg_bytes(
    size: tuple[int, int] = (64, 48), color: str = "orange", exif_gps: bool = False
) -> bytes:
    img = Image.new("RGB", size, color)
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (23.0, 36.0, 0.0), 3: "E", 4: (58.0, 30.0, 0.0)}
        exif[0x010F] = "PhoneMaker"
        img.save(out, format="JPEG", exif=exif)
    else:
        img.save(out, format="JPEG")
    return out.getvalue()


def make_staff(
    username: str,
    municipality: Municipality,
    role: str,
    department: Department | None = None,
    **extra: Any,
) -> User:
    user = User.objects.create_user(username=username, password="password", **extra)
    StaffMembership.objects.create(
        user=user, municipality=municipality, role=role, department=department
    )
    return user


class BaseTestCase(TestCase):
    muscat: Municipality
    sohar: Municipality
    muttrah: District
    muscat_wilayat: District
    roads: Department
    lighting: Department
    pothole: Service
    streetlight: Service
    retired: Service
    sohar_pothole: Service
    citizen: User
    citizen2: User
    anonymous: Contact
    agent: User
    clerk: User
    lighting_clerk: User
    supervisor: User
    reviewer: User
    admin: User
    stranger: User

    @classmethod
    def setUpTestData(cls) -> None:
        cls.muscat = Municipality.objects.create(
            slug="muscat",
            code="MCT",
            name_ar="بلدية مسقط",
            name_en="Muscat Municipality",
            boundary=box(58.40, 23.50, 58.70, 23.70),
        )
        cls.muttrah = District.objects.create(
            municipality=cls.muscat,
            code="muttrah",
            name_ar="مطرح",
            name_en="Muttrah",
            boundary=box(58.40, 23.50, 58.55, 23.70),
        )
        cls.muscat_wilayat = District.objects.create(
            municipality=cls.muscat,
            code="muscat",
            name_ar="مسقط",
            name_en="Muscat",
            boundary=box(58.55, 23.50, 58.70, 23.70),
            order=1,
        )
        cls.roads = Department.objects.create(
            municipality=cls.muscat, code="roads", name_ar="الطرق", name_en="Roads"
        )
        cls.lighting = Department.objects.create(
            municipality=cls.muscat, code="lighting", name_ar="الإنارة", name_en="Lighting"
        )
        group = ServiceGroup.objects.create(
            municipality=cls.muscat, code="streets", name_ar="الشوارع", name_en="Streets"
        )
        cls.pothole = Service.objects.create(
            municipality=cls.muscat,
            code="pothole",
            group=group,
            department=cls.roads,
            name_ar="حفرة في الطريق",
            name_en="Pothole",
            sla_hours=14,
        )
        ServiceQuestion.objects.create(
            service=cls.pothole,
            code="size",
            datatype=Datatype.SINGLE,
            required=True,
            description_ar="ما حجم الحفرة؟",
            description_en="How big is the pothole?",
            values=[
                {"key": "small", "name_ar": "صغيرة", "name_en": "Small"},
                {"key": "large", "name_ar": "كبيرة", "name_en": "Large"},
            ],
        )
        ServiceQuestion.objects.create(
            service=cls.pothole,
            code="depth_cm",
            datatype=Datatype.NUMBER,
            order=1,
            description_ar="العمق بالسنتيمتر",
            description_en="Depth in centimetres",
        )
        cls.streetlight = Service.objects.create(
            municipality=cls.muscat,
            code="streetlight",
            group=group,
            department=cls.lighting,
            name_ar="إنارة معطلة",
            name_en="Street light out",
            sla_hours=21,
        )
        ServiceQuestion.objects.create(
            service=cls.streetlight,
            code="pole",
            datatype=Datatype.STRING,
            required=True,
            description_ar="رقم العمود",
            description_en="Pole number",
        )
        ServiceQuestion.objects.create(
            service=cls.streetlight,
            code="hazards",
            datatype=Datatype.MULTI,
            order=1,
            description_ar="مخاطر",
            description_en="Hazards",
            values=[
                {"key": "wires", "name_ar": "أسلاك مكشوفة", "name_en": "Exposed wires"},
                {"key": "dark", "name_ar": "ظلام تام", "name_en": "Complete darkness"},
            ],
        )
        cls.retired = Service.objects.create(
            municipality=cls.muscat,
            code="retired",
            group=group,
            department=cls.roads,
            name_ar="خدمة متوقفة",
            name_en="Retired service",
            is_active=False,
        )
        Holiday.objects.create(
            calendar=cls.muscat.calendar,
            date=dt.date(2026, 11, 18),
            name_ar="العيد الوطني",
            name_en="National Day",
        )

        cls.sohar = Municipality.objects.create(
            slug="sohar",
            code="SOH",
            name_ar="بلدية صحار",
            name_en="Sohar Municipality",
            boundary=box(56.60, 24.25, 56.85, 24.45),
        )
        sohar_roads = Department.objects.create(
            municipality=cls.sohar, code="roads", name_ar="الطرق", name_en="Roads"
        )
        sohar_group = ServiceGroup.objects.create(
            municipality=cls.sohar, code="streets", name_ar="الشوارع", name_en="Streets"
        )
        cls.sohar_pothole = Service.objects.create(
            municipality=cls.sohar,
            code="pothole",
            group=sohar_group,
            department=sohar_roads,
            name_ar="حفرة",
            name_en="Pothole",
            sla_hours=14,
        )

        cls.citizen = User.objects.create_user(
            "salim",
            password="password",
            first_name="سالم",
            phone="+96891234567",
            email="salim@example.om",
        )
        cls.citizen2 = User.objects.create_user("aisha", password="password", first_name="عائشة")
        cls.anonymous = Contact(name="Hamad", email="hamad@example.om", phone="+96899887766")
        cls.agent = make_staff("fatma", cls.muscat, Role.AGENT)
        cls.clerk = make_staff("khalid", cls.muscat, Role.CLERK, cls.roads)
        cls.lighting_clerk = make_staff("maryam", cls.muscat, Role.CLERK, cls.lighting)
        cls.supervisor = make_staff("hilal", cls.muscat, Role.SUPERVISOR)
        cls.reviewer = make_staff("noor", cls.muscat, Role.PERMIT_REVIEWER)
        cls.admin = make_staff("ahmed", cls.muscat, Role.ADMIN, is_staff=True)
        cls.stranger = make_staff("said", cls.sohar, Role.SUPERVISOR, is_staff=True)

    def submit(self, service: Service | None = None, *, actor: Any = None, **kwargs: Any) -> Case:
        """A valid report (a pothole in Muttrah by default), by the citizen unless told otherwise.

        Pass actor=AnonymousUser() with contact=self.anonymous for an anonymous report.
        """
        service = service or self.pothole
        defaults: dict[str, Any] = {
            "municipality": service.municipality,
            "service_code": service.code,
            "lat": MUTTRAH_POINT[0],
            "lon": MUTTRAH_POINT[1],
            "channel": Channel.APP,
            "description": "حفرة كبيرة أمام المسجد",
            "answers": {
                self.pothole.pk: {"size": "large"},
                self.streetlight.pk: {"pole": "L-1"},
            }.get(service.pk, {}),
        }
        defaults.update(kwargs)
        return do_submit_case(actor=self.citizen if actor is None else actor, **defaults)
