"""`manage.py seed_demo [--cases N]`: the demo municipalities, people and cases.

Safe to run again and again (`make demo` does): a municipality that exists is left as it is,
users are reused. `--cases N` adds N generated cases in bulk on top (see cases/bulk.py).
"""

from __future__ import annotations

import time
from collections import Counter as Tally
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from baladiyati.accounts.models import StaffMembership, User
from baladiyati.cases.bulk import SyntheticSpec, generate_cases
from baladiyati.cases.models import Case, CaseNote, CaseRating, CaseUpdate
from baladiyati.cities.models import Holiday, Municipality, Service
from baladiyati.core.models import AuditEvent
from baladiyati.demo import data
from baladiyati.demo.seed import Login, seed, synthetic_spec


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "Load the demo: Muscat and Sohar municipalities, their wilayats, departments, "
        "services and holidays, staff and citizens, and a history of cases. Existing data is "
        "reused, so it can run every time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cases",
            type=int,
            default=0,
            metavar="N",
            help=_("Also generate N cases in bulk (load data for benchmarks)."),
        )
        parser.add_argument(
            "--municipality",
            default="muscat",
            metavar="SLUG",
            help=_("The municipality that receives the --cases (default: muscat)."),
        )
        parser.add_argument(
            "--demo-cases",
            type=int,
            default=500,
            metavar="N",
            help=_(
                "How many cases to replay through the case actions when a demo municipality "
                "is created (default: 500 for Muscat; Sohar gets a twelfth)."
            ),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=2026,
            help=_("Seed of the random choices; the same seed gives the same demo."),
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=10_000,
            help=_("Rows per transaction for --cases (default: 10000)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cases"] < 0 or options["demo_cases"] < 0:
            raise CommandError(_("Counts must not be negative."))
        if options["batch_size"] < 1:
            raise CommandError(_("The batch size must be positive."))
        show_bar = options["verbosity"] > 0

        with tqdm(desc="demo cases", unit="case", disable=not show_bar, leave=False) as bar:
            report = seed(
                demo_cases=options["demo_cases"], seed=options["seed"], progress=bar.update
            )
        if report.created:
            self.stdout.write(f"Created: {', '.join(report.created)}")
        else:
            self.stdout.write("The demo municipalities exist already; nothing to add there.")

        if options["cases"]:
            self.generate(options)
        self.summary(report.logins)
        if report.api_keys:
            self.stdout.write("")
            self.stdout.write("Open311 API keys (demo only):")
            for name, raw in report.api_keys:
                self.stdout.write(f"    {raw}  {name}")

    def generate(self, options: dict[str, Any]) -> None:
        slug = options["municipality"]
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            raise CommandError(_("No municipality with slug “%(slug)s”.") % {"slug": slug})
        specs = {data.MUSCAT["slug"]: data.MUSCAT, data.SOHAR["slug"]: data.SOHAR}
        spec = synthetic_spec(specs[slug]) if slug in specs else SyntheticSpec()
        count = options["cases"]
        started = time.monotonic()
        with tqdm(
            total=count, desc=f"{slug} cases", unit="case", disable=options["verbosity"] < 1
        ) as bar:
            result = generate_cases(
                municipality,
                count,
                # A different stream each run, so that repeated runs add different cases.
                seed=options["seed"] + Case.objects.of(municipality).count(),
                spec=spec,
                batch_size=options["batch_size"],
                progress=bar.update,
            )
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Generated {result.count:,} cases in {municipality.name_en} "
            f"({result.first_reference} … {result.last_reference}) in {seconds:.1f} s "
            f"({result.count / max(seconds, 1e-9):,.0f} cases/s)."
        )

    def summary(self, logins: list[Login]) -> None:
        out = self.stdout.write
        out("")
        for municipality in Municipality.objects.order_by("id"):
            statuses = Tally(
                dict(
                    Case.objects.of(municipality)
                    .values_list("status")
                    .annotate(n=Count("id"))
                    .values_list("status", "n")
                )
            )
            out(
                f"{municipality.name_en} ({municipality.slug}): "
                f"{municipality.districts.count()} districts, "
                f"{municipality.departments.count()} departments, "
                f"{Service.objects.of(municipality).count()} services, "
                f"{Holiday.objects.filter(calendar__municipality=municipality).count()} holidays, "
                f"{StaffMembership.objects.filter(municipality=municipality).count()} staff, "
                f"{sum(statuses.values()):,} cases"
            )
            if statuses:
                out("    " + ", ".join(f"{s} {n:,}" for s, n in sorted(statuses.items())))
        out(
            f"Users {User.objects.count()}, case updates {CaseUpdate.objects.count():,}, "
            f"internal notes {CaseNote.objects.count():,}, ratings {CaseRating.objects.count():,}, "
            f"audit events {AuditEvent.objects.count():,}"
        )
        out("")
        staff = [login for login in logins if not login.is_citizen]
        citizens = [login for login in logins if login.is_citizen]
        out(f"Staff logins (password for all: {data.DEMO_PASSWORD}):")
        width = max(len(login.username) for login in staff)
        for login in staff:
            where = f" — {login.municipality}" if login.municipality else ""
            out(f"    {login.username:<{width}}  {data.DEMO_PASSWORD}  {login.role}{where}")
        out("")
        out("Back office (/backoffice/), permit review (/backoffice/permits/) and admin (/admin/):")
        out("    the password, then a TOTP code.")
        out(f"    Demo TOTP key for every demo staff member and root: {data.DEMO_TOTP_SECRET}")
        out("    (add it to an authenticator app, or print the current code with")
        out("    `.venv/bin/python manage.py demo_totp <user>`)")
        if citizens:
            out("")
            out("Citizens sign in with a one-time code, no password: open /signin and enter")
            out("the phone number or email; the code is printed on the console of `make demo`.")
            for login in citizens:
                out(f"    {login.username:<{width}}  {login.phone}  or  {login.email}")
            out("    Building permits: /permits/ (apply as salim); register: /permits/register")
