"""`manage.py export_cases`: a municipality's requests as GeoReport JSON or CSV (exporter.py)."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from baladiyati.cities.models import Municipality
from baladiyati.open311.exporter import ExportFilter, export, moment_argument


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "Write a municipality's requests as GeoReport v2 JSON or CSV, oldest first, as "
        "Open311 publishes them (with extensions): never the reporter's name, email, phone "
        "or account."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--municipality", required=True, metavar="SLUG", help=_("The municipality (slug).")
        )
        parser.add_argument(
            "--format",
            choices=["json", "csv"],
            default="json",
            help=_("GeoReport v2 JSON (default) or CSV."),
        )
        parser.add_argument(
            "--output",
            "-o",
            default="-",
            metavar="FILE",
            help=_("Where to write (default: standard output)."),
        )
        parser.add_argument(
            "--since",
            metavar="DATE",
            help=_("Only requests made on or after this date (or date and time)."),
        )
        parser.add_argument(
            "--until",
            metavar="DATE",
            help=_("Only requests made before the end of this date (or before this time)."),
        )
        parser.add_argument(
            "--include-unpublished",
            action="store_true",
            help=_("Also private requests and those hidden by moderation (for a move)."),
        )
        parser.add_argument(
            "--limit", type=int, metavar="N", help=_("At most N requests (the oldest).")
        )
        parser.add_argument(
            "--locale",
            choices=["ar", "en"],
            default="ar",
            help=_("Language of service names and statuses (default: ar)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["municipality"]
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            raise CommandError(_("No municipality with slug “%(slug)s”.") % {"slug": slug})
        tz = municipality.zoneinfo
        try:
            since = moment_argument(options["since"], tz, end_of_day=False, name="--since")
            until = moment_argument(options["until"], tz, end_of_day=True, name="--until")
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if since and until and until <= since:
            raise CommandError(_("--until must come after --since."))
        if options["limit"] is not None and options["limit"] < 0:
            raise CommandError(_("--limit must not be negative."))
        where = ExportFilter(
            municipality, since, until, options["include_unpublished"], options["limit"]
        )
        to_file = options["output"] != "-"
        started = time.monotonic()
        with tqdm(
            desc=_("export"),
            unit=_(" requests"),
            disable=not to_file or options["verbosity"] < 1,
            file=sys.stderr,
        ) as bar:
            if to_file:
                with open(options["output"], "w", encoding="utf-8", newline="") as out:
                    count = export(
                        where,
                        out,
                        fmt=options["format"],
                        language=options["locale"],
                        progress=bar.update,
                    )
            else:
                try:
                    count = export(
                        where,
                        _Unended(self.stdout),  # type: ignore[arg-type]
                        fmt=options["format"],
                        language=options["locale"],
                    )
                except BrokenPipeError:  # e.g. `| head`: the reader has had enough
                    sys.stderr.close()
                    return
        seconds = time.monotonic() - started
        if to_file and options["verbosity"] > 0:
            self.stderr.write(
                _("Wrote %(count)s requests to %(file)s in %(seconds).1f s.")
                % {"count": f"{count:,}", "file": options["output"], "seconds": seconds}
            )


class _Unended:
    """The command's stdout as a plain stream (OutputWrapper adds a newline per write)."""

    def __init__(self, wrapper: Any) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> int:
        self.wrapper.write(text, ending="")
        return len(text)
