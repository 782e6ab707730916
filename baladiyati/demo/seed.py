"""Building the demo: municipalities, their catalogue and calendar, people, and a history of cases.

The history is replayed through `baladiyati.cases.actions` at the moments it happened
(`clock.frozen_at`), so every case has the timeline, audit trail and SLA a real one would
have. Everything is drawn from a seeded `random.Random`: the same seed and the same day give
the same demo.

Citizens file and rate at any hour; staff act only in working hours on working days (the
city's calendar). The seeding runs in notify's replay mode (`notify.events.replaying`): the
messages the history would have sent are recorded as skipped, not sent, and the SLA checks
the past would have made are made at their own moments (`settle_deadlines`), so the worker
starts on `make demo` with nothing from the past to send or escalate.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from shapely.geometry import mapping
from shapely.ops import unary_union

from baladiyati.accounts.models import CitizenProfile, Role, StaffMembership, User
from baladiyati.cases import actions
from baladiyati.cases.bulk import AnswerSampler, Place, SyntheticSpec
from baladiyati.cases.models import Case, Channel, CloseReason, Priority, Rating, Status
from baladiyati.cases.responses import create_defaults as create_default_responses
from baladiyati.cities.models import (
    Department,
    District,
    Holiday,
    Municipality,
    Service,
    ServiceGroup,
    ServiceQuestion,
)
from baladiyati.core import clock, geo
from baladiyati.notify.events import replaying
from baladiyati.open311.actions import do_issue_key
from baladiyati.open311.models import ApiKey, hash_key
from baladiyati.permits.catalogue import install_default_catalogue

from . import data, texts
from .permit_history import replay_permits

# Permit fees in OMR per municipality (none: the installation's defaults, Muscat's amounts).
PERMIT_FEES = {"sohar": {"application": "20.000", "service": "50.000", "resubmission": "5.000"}}
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


class Step(Protocol):
    """The next moment of a case's story, `low`–`high` hours on (see Replay.tell)."""

    def __call__(
        self, hours_low: float, hours_high: float, *, citizen: bool = False
    ) -> dt.datetime: ...


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    municipality: str = ""
    # Citizens sign in with a one-time code, not a password: their phone and email.
    phone: str = ""
    email: str = ""

    @property
    def is_citizen(self) -> bool:
        return bool(self.phone or self.email)


@dataclass
class CityStaff:
    filer: User  # takes calls at 1111 and the counter
    supervisor: User
    clerks: dict[int, User] = field(default_factory=dict)  # department id → clerk

    def worker(self, case: Case) -> User:
        """Who works the case: its department's clerk, else the supervisor."""
        return self.clerks.get(case.department_id, self.supervisor)


# ---------------------------------------------------------------------------- base data


def boundary_of(districts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The municipality's boundary: the union of its districts, as a GeoJSON Polygon."""
    union = unary_union([geo.geometry(data.polygon(d["ring"])) for d in districts])
    geojson = mapping(union)
    return {
        "type": geojson["type"],
        "coordinates": [[[x, y] for x, y in ring] for ring in geojson["coordinates"]],
    }


def create_city(spec: dict[str, Any]) -> Municipality:
    """A municipality with its districts, departments, catalogue and holidays."""
    municipality = Municipality(
        boundary=boundary_of(spec["districts"]),
        **{
            k: spec[k]
            for k in (
                "slug",
                "code",
                "name_ar",
                "name_en",
                "timezone",
                "currency",
                "currency_decimals",
                "contact_number",
                "email",
                "website",
            )
        },
    )
    municipality.full_clean()
    municipality.save()  # the working calendar (Friday–Saturday weekend) comes with it
    for order, d in enumerate(spec["districts"]):
        district = District(
            municipality=municipality,
            code=d["code"],
            name_ar=d["name_ar"],
            name_en=d["name_en"],
            boundary=data.polygon(d["ring"]),
            order=order,
        )
        district.full_clean()
        district.save()
    departments = {}
    for code in spec["departments"]:
        name_ar, name_en = data.DEPARTMENTS[code]
        departments[code] = Department.objects.create(
            municipality=municipality,
            code=code,
            name_ar=name_ar,
            name_en=name_en,
            email=f"{code}@{spec['slug']}.baladiyati.example",
        )
    wanted = spec["services"]
    services = [s for s in data.SERVICES if wanted is None or s["code"] in wanted]
    groups = {}
    for order, (code, name_ar, name_en) in enumerate(data.SERVICE_GROUPS):
        if any(s["group"] == code for s in services):
            groups[code] = ServiceGroup.objects.create(
                municipality=municipality, code=code, name_ar=name_ar, name_en=name_en, order=order
            )
    for order, s in enumerate(services):
        service = Service(
            municipality=municipality,
            code=s["code"],
            group=groups[s["group"]],
            department=departments[s["department"]],
            name_ar=s["name_ar"],
            name_en=s["name_en"],
            description_ar=s["description_ar"],
            description_en=s["description_en"],
            keywords_ar=s["keywords_ar"],
            keywords_en=s["keywords_en"],
            service_notice_ar=s.get("notice_ar", ""),
            service_notice_en=s.get("notice_en", ""),
            sla_hours=s["sla_hours"],
            is_private=s.get("is_private", False),
            order=order,
        )
        service.full_clean()
        service.save()
        for q_order, question in enumerate(s["questions"]):
            row = ServiceQuestion(service=service, order=q_order, **question)
            row.full_clean()
            row.save()
    for day, name_ar, name_en in data.HOLIDAYS:
        # One by one, not bulk_create: saving a holiday refreshes the cached calendar engine.
        Holiday.objects.create(
            calendar=municipality.calendar, date=day, name_ar=name_ar, name_en=name_en
        )
    # Re-read: saving districts and holidays bumped the versions the geo and calendar caches key on.
    return Municipality.objects.select_related("calendar").get(pk=municipality.pk)


def ensure_user(username: str, first_name: str, last_name: str, **extra: Any) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username,
            password=data.DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
            **extra,
        )
    return user


def demo_totp_key() -> str:
    """DEMO_TOTP_SECRET as django-otp stores keys (hex)."""
    return base64.b32decode(data.DEMO_TOTP_SECRET).hex()


def ensure_demo_totp(user: User) -> None:
    """Give a demo staff member the published TOTP key, unless they enrolled a device."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="demo", key=demo_totp_key(), confirmed=True)


def ensure_staff(municipality: Municipality) -> tuple[CityStaff, list[Login]]:
    departments = {d.code: d for d in municipality.departments.all()}
    users: dict[str, User] = {}
    logins = []
    clerks = {}
    for username, first, last, role, department_code, is_staff in data.STAFF[municipality.slug]:
        user = ensure_user(
            username,
            first,
            last,
            is_staff=is_staff,
            email=f"{username}@{municipality.slug}.baladiyati.example",
        )
        department = departments.get(department_code) if department_code else None
        if department_code and department is None:
            continue  # a municipality made before the demo, without this department
        StaffMembership.objects.get_or_create(
            user=user, municipality=municipality, defaults={"role": role, "department": department}
        )
        ensure_demo_totp(user)
        users[role] = user
        if role == Role.CLERK and department is not None:
            clerks[department.pk] = user
        label = f"{role} ({department.name_en})" if department else role
        logins.append(Login(username, label, municipality.name_en))
    supervisor = users[Role.SUPERVISOR]
    return CityStaff(
        filer=users.get(Role.AGENT, supervisor), supervisor=supervisor, clerks=clerks
    ), logins


def ensure_citizens(home: Municipality) -> tuple[list[User], list[Login]]:
    citizens, logins = [], []
    for username, first, last, phone, email in data.CITIZENS:
        user = ensure_user(username, first, last, phone=phone, email=email)
        CitizenProfile.objects.get_or_create(user=user, defaults={"home_municipality": home})
        citizens.append(user)
        logins.append(Login(username, "citizen", home.name_en, phone=phone, email=email))
    return citizens, logins


def ensure_superuser() -> Login:
    username, first, last = data.SUPERUSER
    user = User.objects.filter(username=username).first()
    if user is None:
        User.objects.create_superuser(
            username=username,
            password=data.DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            email=f"{username}@baladiyati.example",
        )
        user = User.objects.get(username=username)
    # The admin asks for a TOTP code too (siteadmin/sites.py): the published demo key.
    ensure_demo_totp(user)
    return Login(username, "superuser (Django admin, every municipality)")


# ---------------------------------------------------------------------------- case history

# The story of a case, and how often each is told.
SCENARIOS = {
    "submitted": 10,
    "acknowledged": 10,
    "in_progress": 17,
    "fixed": 38,
    "closed_not_fixed": 9,
    "duplicate": 6,
    "reopened": 4,
    "fixed_again": 6,
}
# Told once each before the others, so that a small demo still shows every status and reason.
FIRST = [
    ("fixed", ""),
    ("submitted", ""),
    ("acknowledged", ""),
    ("in_progress", ""),
    ("closed_not_fixed", CloseReason.NOT_MUNICIPALITY),
    ("closed_not_fixed", CloseReason.NO_ACTION_NEEDED),
    ("closed_not_fixed", CloseReason.COULD_NOT_LOCATE),
    ("duplicate", ""),
    ("reopened", ""),
]


def places_of(spec: dict[str, Any]) -> list[Place]:
    return [
        Place(lat=lat, lon=lon, address_ar=ar, address_en=en, weight=weight)
        for d in spec["districts"]
        for ar, en, lat, lon, weight in d["places"]
    ]


def synthetic_spec(spec: dict[str, Any]) -> SyntheticSpec:
    """How `seed_demo --cases` makes its generated cases look like this city's."""
    return SyntheticSpec(
        places=places_of(spec),
        service_weights={s["code"]: s.get("weight", 1) for s in data.SERVICES},
        descriptions=texts.DESCRIPTIONS,
        contact_names=[name for name, _ in texts.CALLERS],
        answer_examples=data.ANSWER_EXAMPLES,
    )


def latest_working_moment(engine: Any, before: dt.datetime) -> dt.datetime:
    """The last moment at or before `before` inside working hours (staff's latest step)."""
    if engine.is_working_moment(before):
        return before
    day = before.astimezone(engine.tz).date()
    for _ in range(60):
        if engine.is_working_day(day):
            closes = dt.datetime.combine(day, engine.day_end, tzinfo=engine.tz)
            if closes <= before:
                return closes
        day -= DAY
    return before


def settle_deadlines(municipality: Municipality, now: dt.datetime) -> int:
    """Make the SLA checks the past would have made, each at its own moment.

    Without this, the worker's first scan would warn about and escalate every overdue seeded
    case at once. Here each case is warned at its warning time and escalated at its due time,
    as the scan would have done then (run in replay mode: recorded, nobody messaged). Returns
    the number of checks made.
    """
    checks = 0
    for _ in range(3):  # a warning, then a breach: two rounds settle every case
        due = list(
            Case.objects.of(municipality)
            .sla_check_due(now)
            .order_by("sla_next_check_at", "pk")
            .values_list("pk", "sla_next_check_at")
        )
        if not due:
            break
        for pk, moment in due:
            assert moment is not None  # sla_check_due: a check time has come
            with clock.frozen_at(moment):
                actions.do_check_case_deadline(Case(pk=pk), at=moment)
            checks += 1
    return checks


class Replay:
    """Files and works `count` cases of one municipality over the last 90 days."""

    def __init__(
        self,
        municipality: Municipality,
        spec: dict[str, Any],
        staff: CityStaff,
        citizens: Sequence[User],
        *,
        seed: int,
        now: dt.datetime,
    ) -> None:
        self.municipality = municipality
        self.staff = staff
        self.citizens = list(citizens)
        self.rng = random.Random(seed)
        self.now = now
        self.places = places_of(spec)
        self.boundary = geo.geometry(municipality.boundary)
        self.services = list(
            Service.objects.of(municipality)
            .active()
            .select_related("department")
            .prefetch_related("questions")
            .order_by("id")
        )
        self.weights = {s["code"]: s.get("weight", 1) for s in data.SERVICES}
        self.samplers = {
            s.pk: AnswerSampler(list(s.questions.all()), data.ANSWER_EXAMPLES)
            for s in self.services
        }
        self.engine = municipality.calendar.engine()
        self.latest_working = latest_working_moment(self.engine, now - dt.timedelta(minutes=5))
        self.filed: list[Case] = []
        # Pks of the cases made duplicates: the Case objects in `filed` keep their first status.
        self.duplicates: set[int] = set()

    # -- planning

    def plan(self, count: int) -> list[tuple[dt.datetime, str, str]]:
        """(created, scenario, close reason) for each case, oldest first."""
        stories = FIRST[:count]
        names, weights = list(SCENARIOS), list(SCENARIOS.values())
        while len(stories) < count:
            name = self.rng.choices(names, weights)[0]
            reason = ""
            if name == "closed_not_fixed":
                reason = self.rng.choices(list(CloseReason.values), [4, 4, 2])[0]
            stories.append((name, reason))
        planned = []
        for index, (name, reason) in enumerate(stories):
            if name == "submitted":
                earliest, latest = self.now - 4 * DAY, self.now - 2 * HOUR
            elif name in ("acknowledged", "in_progress"):
                earliest, latest = self.now - 20 * DAY, self.now - 2 * DAY
            else:
                earliest, latest = self.now - 88 * DAY, self.now - 20 * DAY
            if name != "submitted":  # staff act on it: filed before their last working moment
                latest = min(latest, self.latest_working - HOUR)
            if index == 0:  # the first case is the oldest: a duplicate always has an original
                earliest, latest = self.now - 89 * DAY, self.now - 88 * DAY
            created = earliest + (latest - earliest) * self.rng.random()
            planned.append((created.replace(microsecond=0), name, reason))
        return sorted(planned, key=lambda item: item[0])

    # -- steps

    def office_hours(self, moment: dt.datetime) -> dt.datetime:
        """`moment`, or when it falls outside working time, a little after the next opening."""
        if self.engine.is_working_moment(moment):
            return moment
        return self.engine.add(moment, dt.timedelta(minutes=self.rng.uniform(5, 120)))

    def run(self, count: int, progress: Callable[[], Any] | None = None) -> None:
        for created, scenario, reason in self.plan(count):
            self.tell(created, scenario, reason)
            if progress is not None:
                progress()

    def tell(self, created: dt.datetime, scenario: str, reason: str) -> None:
        rng = self.rng
        case, reporter, lang = self.submit(created)  # lang: 0 Arabic, 1 English replies
        worker = self.staff.worker(case)
        # Moments advance from the filing; `at` keeps every step in the past and in order.
        # Staff steps count working hours on the city's calendar, so they fall in office
        # hours on working days; a citizen's step (`citizen=True`) may come at any hour.
        moment = created

        def at(hours_low: float, hours_high: float, *, citizen: bool = False) -> dt.datetime:
            nonlocal moment
            step = dt.timedelta(hours=rng.uniform(hours_low, hours_high))
            if citizen:
                candidate = min(moment + step, self.now - dt.timedelta(minutes=5))
            else:
                candidate = min(self.office_hours(moment + step), self.latest_working)
            moment = max(moment, candidate)
            return moment

        if scenario == "submitted":
            return
        if scenario == "duplicate":
            original = self.original_for(case)
            with clock.frozen_at(at(0.5, 20)):
                actions.do_transition_case(
                    case,
                    Status.DUPLICATE,
                    actor=worker,
                    duplicate_of=original,
                    message=rng.choice(texts.DUPLICATE_MESSAGES)[lang],
                )
            self.duplicates.add(case.pk)
            return
        # A case left acknowledged gets no promise of a visit that has not happened.
        replies = (
            texts.WAITING_ACKNOWLEDGEMENTS if scenario == "acknowledged" else texts.ACKNOWLEDGEMENTS
        )
        with clock.frozen_at(at(0.3, 10)):
            case = actions.do_acknowledge_case(
                case, actor=worker, message=rng.choice(replies)[lang]
            )
        if rng.random() < 0.3:
            with clock.frozen_at(at(0.1, 3)):
                actions.do_add_note(case, rng.choice(texts.NOTES), actor=self.staff.filer)
        if scenario == "acknowledged":
            return
        if scenario == "closed_not_fixed" and rng.random() < 0.5:
            with clock.frozen_at(at(2, 72)):
                actions.do_transition_case(
                    case,
                    Status.CLOSED_NOT_FIXED,
                    actor=worker,
                    reason=reason,
                    message=texts.CLOSE_MESSAGES[reason][lang],
                )
            self.maybe_rate(case, reporter, at, lang, happy=False)
            return
        self.work(case, worker, at, lang)
        if scenario == "in_progress":
            return
        if scenario == "closed_not_fixed":
            with clock.frozen_at(at(2, 72)):
                actions.do_transition_case(
                    case,
                    Status.CLOSED_NOT_FIXED,
                    actor=worker,
                    reason=reason,
                    message=texts.CLOSE_MESSAGES[reason][lang],
                )
            self.maybe_rate(case, reporter, at, lang, happy=False)
            return
        self.fix(case, worker, at, lang)
        if scenario == "fixed":
            self.maybe_rate(case, reporter, at, lang, happy=True)
            return
        # Reopened by the reporter within the window, then (perhaps) fixed again.
        token = None if reporter is not None else case.tracking_token
        with clock.frozen_at(at(2, 24 * 9, citizen=True)):
            case = actions.do_reopen_case(
                case,
                rng.choice(texts.REOPEN_REASONS)[lang],
                actor=reporter or AnonymousUser(),
                token=token,
            )
        if scenario == "reopened":
            return
        with clock.frozen_at(at(1, 30)):
            case = actions.do_transition_case(case, Status.IN_PROGRESS, actor=worker)
        self.fix(case, worker, at, lang)
        self.maybe_rate(case, reporter, at, lang, happy=True)

    def work(self, case: Case, worker: User, at: Step, lang: int) -> None:
        rng = self.rng
        with clock.frozen_at(at(0.1, 4)):
            actions.do_assign_case(case, actor=self.staff.supervisor, assignee=worker)
        with clock.frozen_at(at(1, 30)):
            actions.do_transition_case(case, Status.IN_PROGRESS, actor=worker)
        if rng.random() < 0.5:
            with clock.frozen_at(at(1, 24)):
                actions.do_reply_to_case(
                    case, rng.choice(texts.PROGRESS_REPLIES)[lang], actor=worker
                )
        if rng.random() < 0.3:
            with clock.frozen_at(at(0.5, 12)):
                actions.do_add_note(case, rng.choice(texts.NOTES), actor=worker)

    def fix(self, case: Case, worker: User, at: Step, lang: int) -> None:
        with clock.frozen_at(at(2, 96)):
            actions.do_transition_case(
                case,
                Status.FIXED,
                actor=worker,
                message=self.rng.choice(texts.FIXED_MESSAGES)[lang],
            )

    def maybe_rate(
        self,
        case: Case,
        reporter: User | None,
        at: Step,
        lang: int,
        *,
        happy: bool,
    ) -> None:
        rng = self.rng
        if rng.random() > 0.45:
            return
        score = rng.choices(Rating.values, [1, 2, 6] if happy else [5, 3, 1])[0]
        comment = rng.choice(texts.RATING_COMMENTS[score])[lang] if rng.random() < 0.6 else ""
        token = None if reporter is not None else case.tracking_token
        with clock.frozen_at(at(1, 48, citizen=True)):
            actions.do_rate_case(
                case, score, actor=reporter or AnonymousUser(), comment=comment, token=token
            )

    # -- filing

    def submit(self, created: dt.datetime) -> tuple[Case, User | None, int]:
        """File a case at `created`: by a citizen, anonymously, or by staff for a caller."""
        rng = self.rng
        service = rng.choices(self.services, [self.weights.get(s.code, 1) for s in self.services])[
            0
        ]
        place = rng.choices(self.places, [p.weight for p in self.places])[0]
        lat, lon = self.point_near(place)
        english = rng.random() < 0.25
        pool = texts.DESCRIPTIONS.get(service.code, {}).get("en" if english else "ar") or [
            service.name_en if english else service.name_ar
        ]
        way = rng.randrange(1000, 9999)
        address = f"{place.address_en}, Way {way}" if english else f"{place.address_ar}، سكة {way}"
        kwargs: dict[str, Any] = {
            "municipality": self.municipality,
            "service_code": service.code,
            "lat": lat,
            "lon": lon,
            "description": rng.choice(pool),
            "address": address,
            "answers": self.samplers[service.pk].sample(rng, created, self.municipality.zoneinfo),
            "priority": rng.choices(Priority.values, [1, 6, 2, 1])[0],
        }
        who = rng.random()
        reporter: User | None = None
        caller_name, caller_phone = rng.choice(texts.CALLERS)
        if who < 0.35:
            reporter = rng.choice(self.citizens)
            kwargs.update(
                actor=reporter, channel=rng.choice([Channel.APP, Channel.APP, Channel.WEB])
            )
        elif who < 0.6:
            kwargs.update(
                actor=AnonymousUser(),
                channel=rng.choice([Channel.WEB, Channel.APP, Channel.OPEN311, Channel.REST]),
                contact=actions.Contact(
                    name=caller_name, email=rng.choice(texts.CONTACT_EMAILS), phone=caller_phone
                ),
            )
        elif not self.engine.is_working_moment(created):
            # Out of office hours the caller files it themselves, on the web.
            kwargs.update(
                actor=AnonymousUser(),
                channel=Channel.WEB,
                contact=actions.Contact(name=caller_name, phone=caller_phone),
            )
        else:
            kwargs.update(
                actor=self.staff.filer,
                channel=Channel.PHONE if who < 0.92 else Channel.COUNTER,
                contact=actions.Contact(name=caller_name, phone=caller_phone),
            )
        with clock.frozen_at(created):
            case = actions.do_submit_case(**kwargs)
        self.filed.append(case)
        return case, reporter, int(english)

    def point_near(self, place: Place) -> tuple[float, float]:
        spread = place.spread_m / 111_000
        for _ in range(100):
            lat = place.lat + self.rng.gauss(0, spread)
            lon = place.lon + self.rng.gauss(0, spread / math.cos(math.radians(place.lat)))
            if self.municipality.contains(lat, lon):
                return round(lat, 6), round(lon, 6)
        return place.lat, place.lon

    def original_for(self, case: Case) -> Case:
        """An earlier report of the same problem: the nearest earlier case of the service."""
        earlier = [c for c in self.filed if c.pk != case.pk and c.pk not in self.duplicates]
        same = [c for c in earlier if c.service_id == case.service_id] or earlier
        return min(same, key=lambda c: geo.distance_m(c.lat, c.lon, case.lat, case.lon))


# ---------------------------------------------------------------------------- the whole demo


@dataclass
class SeedReport:
    created: list[str] = field(default_factory=list)  # slugs of the municipalities made now
    logins: list[Login] = field(default_factory=list)
    api_keys: list[tuple[str, str]] = field(default_factory=list)  # (application, raw key)


def ensure_api_keys(municipality: Municipality, staff: CityStaff) -> list[tuple[str, str]]:
    """The demo's published Open311 keys (README examples): a 311 app and a works system."""
    keys = []
    for name, raw, acts_as in (
        ("Muscat 311 demo app", data.DEMO_APP_KEY, None),
        ("Muscat works system (demo)", data.DEMO_BACKEND_KEY, staff.supervisor),
    ):
        if not ApiKey.objects.filter(hashed=hash_key(raw)).exists():
            do_issue_key(name, actor=None, municipality=municipality, user=acts_as, raw=raw)
        keys.append((name, raw))
    return keys


def seed(
    *, demo_cases: int = 500, seed: int = 2026, progress: Callable[[], Any] | None = None
) -> SeedReport:
    """The demo, made once: municipalities that exist are left as they are."""
    report = SeedReport()
    now = clock.now()
    # Replay mode: what the history would have sent is recorded as skipped, never sent.
    with replaying():
        _seed_cities(report, now, demo_cases=demo_cases, seed=seed, progress=progress)
        report.logins.append(ensure_superuser())
    return report


def _seed_cities(
    report: SeedReport,
    now: dt.datetime,
    *,
    demo_cases: int,
    seed: int,
    progress: Callable[[], Any] | None,
) -> None:
    home = None
    for index, spec in enumerate((data.MUSCAT, data.SOHAR)):
        # Sohar gets a twelfth of Muscat's cases: "a few dozen" with the default 500.
        count = demo_cases if spec is data.MUSCAT else max(demo_cases // 12, 0)
        with transaction.atomic():
            municipality = Municipality.objects.filter(slug=spec["slug"]).first()
            is_new = municipality is None
            if municipality is None:
                municipality = create_city(spec)
                report.created.append(spec["slug"])
            home = home or municipality
            # Building permits: Muscat's fees are the defaults; Sohar sets its own.
            install_default_catalogue(municipality, fees=PERMIT_FEES.get(spec["slug"]))
            # Staff's bilingual reply templates (cases.responses); added once, editable in admin.
            create_default_responses(municipality)
            citizens, citizen_logins = ensure_citizens(home)
            staff, logins = ensure_staff(municipality)
            report.logins.extend(logins)
            if index == 0:
                report.logins.extend(citizen_logins)
                report.api_keys = ensure_api_keys(municipality, staff)
            if is_new and count:
                Replay(municipality, spec, staff, citizens, seed=seed + index, now=now).run(
                    count, progress
                )
                settle_deadlines(municipality, now)
            if is_new and index == 0:
                replay_permits(municipality, citizens, now=now)
