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


def build_world(world: Any) -> None:
    """Create the two municipalities and the personas, as attributes of `world`."""
    world.muscat = Municipality.objects.create(
        slug="muscat",
        code="MCT",
        name_ar="بلدية مسقط",
        name_en="Muscat Municipality",
        boundary=box(58.40, 23.50, 58.70, 23.70),
    )
    world.muttrah = District.objects.create(
        municipality=world.muscat,
        code="muttrah",
        name_ar="مطرح",
        name_en="Muttrah",
        boundary=box(58.40, 23.50, 58.55, 23.70),
    )
    world.muscat_wilayat = District.objects.create(
        municipality=world.muscat,
        code="muscat",
        name_ar="مسقط",
        name_en="Muscat",
        boundary=box(58.55, 23.50, 58.70, 23.70),
        order=1,
    )
    world.roads = Department.objects.create(
        municipality=world.muscat, code="roads", name_ar="الطرق", name_en="Roads"
    )
    world.lighting = Department.objects.create(
        municipality=world.muscat, code="lighting", name_ar="الإنارة", name_en="Lighting"
    )
    group = ServiceGroup.objects.create(
        municipality=world.muscat, code="streets", name_ar="الشوارع", name_en="Streets"
    )
    world.pothole = Service.objects.create(
        municipality=world.muscat,
        code="pothole",
        group=group,
        department=world.roads,
        name_ar="حفرة في الطريق",
        name_en="Pothole",
        sla_hours=14,
    )
    ServiceQuestion.objects.create(
        service=world.pothole,
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
        service=world.pothole,
        code="depth_cm",
        datatype=Datatype.NUMBER,
        order=1,
        description_ar="العمق بالسنتيمتر",
        description_en="Depth in centimetres",
    )
    world.streetlight = Service.objects.create(
        municipality=world.muscat,
        code="streetlight",
        group=group,
        department=world.lighting,
        name_ar="إنارة معطلة",
        name_en="Street light out",
        sla_hours=21,
    )
    ServiceQuestion.objects.create(
        service=world.streetlight,
        code="pole",
        datatype=Datatype.STRING,
        required=True,
        description_ar="رقم العمود",
        description_en="Pole number",
    )
    ServiceQuestion.objects.create(
        service=world.streetlight,
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
    world.retired = Service.objects.create(
        municipality=world.muscat,
        code="retired",
        group=group,
        department=world.roads,
        name_ar="خدمة متوقفة",
        name_en="Retired service",
        is_active=False,
    )
    Holiday.objects.create(
        calendar=world.muscat.calendar,
        date=dt.date(2026, 11, 18),
        name_ar="العيد الوطني",
        name_en="National Day",
    )

    world.sohar = Municipality.objects.create(
        slug="sohar",
        code="SOH",
        name_ar="بلدية صحار",
        name_en="Sohar Municipality",
        boundary=box(56.60, 24.25, 56.85, 24.45),
    )
    sohar_roads = Department.objects.create(
        municipality=world.sohar, code="roads", name_ar="الطرق", name_en="Roads"
    )
    sohar_group = ServiceGroup.objects.create(
        municipality=world.sohar, code="streets", name_ar="الشوارع", name_en="Streets"
    )
    world.sohar_pothole = Service.objects.create(
        municipality=world.sohar,
        code="pothole",
        group=sohar_group,
        department=sohar_roads,
        name_ar="حفرة",
        name_en="Pothole",
        sla_hours=14,
    )

    world.citizen = User.objects.create_user(
        "salim",
        password="password",
        first_name="سالم",
        phone="+96891234567",
        email="salim@example.om",
    )
    world.citizen2 = User.objects.create_user("aisha", password="password", first_name="عائشة")
    world.anonymous = Contact(name="Hamad", email="hamad@example.om", phone="+96899887766")
    world.agent = make_staff("fatma", world.muscat, Role.AGENT)
    world.clerk = make_staff("khalid", world.muscat, Role.CLERK, world.roads)
    world.lighting_clerk = make_staff("maryam", world.muscat, Role.CLERK, world.lighting)
    world.supervisor = make_staff("hilal", world.muscat, Role.SUPERVISOR)
    world.reviewer = make_staff("noor", world.muscat, Role.PERMIT_REVIEWER)
    world.admin = make_staff("ahmed", world.muscat, Role.ADMIN, is_staff=True)
    world.stranger = make_staff("said", world.sohar, Role.SUPERVISOR, is_staff=True)


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
        build_world(cls)

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


def verified_login(client: Any, user: Any) -> None:
    """Sign `user` in as the two sign-in steps (password, then a TOTP code) leave the session:
    what the back office and the Django admin (siteadmin/sites.py) require."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
