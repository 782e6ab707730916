"""`manage.py import_open311`: another Open311 server's requests into a municipality.

See baladiyati/open311/importer.py for what is kept and how; README "Moving in from another
Open311 server" for the steps.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from baladiyati.accounts.models import User
from baladiyati.cities.models import Municipality, Service
from baladiyati.open311 import importer
from baladiyati.open311.exporter import moment_argument


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "Import the requests of another Open311 (GeoReport v2) server from a JSON or XML file, "
        "or from the server itself, page by page. Original ids are kept: running it again "
        "imports only what is missing. Malformed requests are reported and skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "source",
            help=_(
                "A .json or .xml file of GeoReport v2 requests, or the base URL of an Open311 "
                "server (e.g. http://10.0.0.5/open311/v2/)."
            ),
        )
        parser.add_argument(
            "--municipality", required=True, metavar="SLUG", help=_("Import into (slug).")
        )
        parser.add_argument(
            "--source-name",
            required=True,
            metavar="NAME",
            help=_(
                "A name for the other server, kept with every imported request; the same "
                "name on every run, so that nothing is imported twice."
            ),
        )
        parser.add_argument(
            "--services",
            metavar="FILE",
            help=_(
                "Service code mapping: CSV (their code, our code) or JSON ({their: ours}). "
                "Codes we share need no line."
            ),
        )
        parser.add_argument(
            "--closed-as",
            choices=sorted(importer.CLOSED_AS),
            default="fixed",
            help=_("What a request the other server only calls closed becomes (default: fixed)."),
        )
        parser.add_argument(
            "--jurisdiction-id", default="", help=_("URL mode: the other server's jurisdiction_id.")
        )
        parser.add_argument(
            "--since",
            metavar="DATE",
            help=_("URL mode: read from this date on, 90 days at a time (default: 90 days)."),
        )
        parser.add_argument("--until", metavar="DATE", help=_("URL mode: read up to this date."))
        parser.add_argument(
            "--page-size", type=int, default=1000, help=_("URL mode: requests per page.")
        )
        parser.add_argument(
            "--batch-size", type=int, default=5000, help=_("Cases per transaction.")
        )
        parser.add_argument(
            "--as-user", metavar="USERNAME", help=_("Recorded as the actor of the import.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["municipality"]
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            raise CommandError(_("No municipality with slug “%(slug)s”.") % {"slug": slug})
        actor = None
        if options["as_user"]:
            actor = User.objects.filter(username=options["as_user"]).first()
            if actor is None:
                raise CommandError(_("No user “%(name)s”.") % {"name": options["as_user"]})
        source_name = options["source_name"].strip()
        if not source_name or len(source_name) > 100:
            raise CommandError(_("--source-name must have 1 to 100 characters."))
        if options["batch_size"] < 1 or options["page_size"] < 1:
            raise CommandError(_("The batch and page sizes must be positive."))

        mapping: dict[str, str] = {}
        if options["services"]:
            ours = set(
                Service.objects.filter(municipality=municipality).values_list("code", flat=True)
            )
            try:
                with open(options["services"], encoding="utf-8-sig") as stream:
                    mapping = importer.load_mapping(stream, options["services"], ours)
            except (OSError, ValueError) as exc:
                raise CommandError(
                    _("The service mapping cannot be used: %(error)s") % {"error": exc}
                ) from exc
        converter = importer.Converter(municipality, source_name, mapping, options["closed_as"])

        source = options["source"]
        quiet = options["verbosity"] < 1
        with tqdm(desc=_("import"), unit=_(" requests"), disable=quiet, file=sys.stderr) as bar:

            def problem(where: str, why: str) -> None:
                if options["verbosity"] > 0:
                    with bar.external_write_mode():
                        self.stderr.write(f"{where}: {why}")

            try:
                report = importer.run_import(
                    self.source(source, municipality, options),
                    converter,
                    actor=actor,
                    batch_size=options["batch_size"],
                    progress=bar.update,
                    on_problem=problem,
                )
            except (OSError, ValueError) as exc:
                raise CommandError(str(exc)) from exc
        self.summary(report, source_name)

    def source(self, location: str, municipality: Municipality, options: dict[str, Any]) -> Any:
        if location.startswith(("http://", "https://")):
            tz = municipality.zoneinfo
            return importer.Source(
                location,
                jurisdiction_id=options["jurisdiction_id"],
                since=moment_argument(options["since"], tz, end_of_day=False, name="--since"),
                until=moment_argument(options["until"], tz, end_of_day=True, name="--until"),
                page_size=options["page_size"],
            )
        if not Path(location).is_file():
            raise CommandError(_("No file %(path)s.") % {"path": location})
        return importer.Source(str(Path(location).resolve()))

    def summary(self, report: importer.ImportReport, source_name: str) -> None:
        out = self.stdout.write
        rate = report.imported / report.seconds if report.seconds else 0.0
        out(
            _(
                "Read %(read)s requests from %(source)s: imported %(imported)s in %(seconds).1f s "
                "(%(rate)s cases/s), %(already)s imported before, %(problems)s malformed and "
                "skipped, %(repeated)s repeated in the source."
            )
            % {
                "read": f"{report.read:,}",
                "source": source_name,
                "imported": f"{report.imported:,}",
                "seconds": report.seconds,
                "rate": f"{rate:,.0f}",
                "already": f"{report.already_imported:,}",
                "problems": f"{len(report.problems):,}",
                "repeated": f"{report.repeated_in_source:,}",
            }
        )
        if report.closed_as_default:
            out(
                _("%(count)s requests said only “closed” and were imported as --closed-as.")
                % {"count": f"{report.closed_as_default:,}"}
            )
        if report.duplicates_without_original:
            out(
                _(
                    "%(count)s duplicates name an original that was not imported; they were "
                    "imported as --closed-as."
                )
                % {"count": f"{report.duplicates_without_original:,}"}
            )
        if report.result and report.result.count:
            out(
                _("References %(first)s … %(last)s.")
                % {"first": report.result.first_reference, "last": report.result.last_reference}
            )
