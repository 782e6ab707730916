"""Write the public permit register (or its inspections) in BLDS 1.2 fields, CSV or JSON."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from baladiyati.cities.models import Municipality
from baladiyati.permits import blds


class Command(BaseCommand):
    help = "Export issued permits or their inspections with BLDS 1.2 field names."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("dataset", choices=["permits", "inspections"])
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument("--municipality", help="slug; all municipalities when left out")
        parser.add_argument("--output", "-o", help="file to write (standard output otherwise)")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = None
        if options["municipality"]:
            municipality = Municipality.objects.filter(slug=options["municipality"]).first()
            if municipality is None:
                raise CommandError(f"No municipality with slug {options['municipality']!r}.")
        writer = blds.as_csv if options["format"] == "csv" else blds.as_json
        text = writer(options["dataset"], municipality)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                out.write(text)
        else:
            self.stdout.write(text, ending="")
