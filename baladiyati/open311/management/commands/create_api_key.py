from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baladiyati.accounts.models import User
from baladiyati.cities.models import Municipality
from baladiyati.open311.actions import do_issue_key


class Command(BaseCommand):
    help = (
        "Create an Open311 API key for a client application; prints the key alone on the last line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="The client application's name.")
        parser.add_argument("--municipality", help="Limit the key to one municipality (slug).")
        parser.add_argument(
            "--as-user", help="Username of the staff member a back-end system acts as for updates."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = None
        if options["municipality"]:
            municipality = Municipality.objects.filter(slug=options["municipality"]).first()
            if municipality is None:
                raise CommandError(f"No municipality with slug {options['municipality']!r}.")
        user = None
        if options["as_user"]:
            user = User.objects.filter(username=options["as_user"]).first()
            if user is None:
                raise CommandError(f"No user {options['as_user']!r}.")
        try:
            key, raw = do_issue_key(
                options["name"], actor=None, municipality=municipality, user=user
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        scope = municipality.slug if municipality else "all municipalities"
        self.stdout.write(f"API key for {key.name} ({scope}); it is shown once:")
        self.stdout.write(raw)
