"""`python manage.py restore maakstad.json.gz`: load a `backup` into an empty, migrated database."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from maakstad.organisations.models import Organisation, Region


class Command(BaseCommand):
    help = "Zet een back-up terug in een lege, gemigreerde database."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("input")

    def handle(self, *args: Any, **options: Any) -> None:
        if Region.objects.exists() or Organisation.objects.exists():
            raise CommandError(
                "De database is niet leeg. Zet een back-up alleen terug in een lege database "
                "(maak een nieuwe aan en draai migrate)."
            )
        # Rows that data migrations seeded (reference terms, SLO keuzevakken) come back from the
        # backup, so the database is emptied completely first.
        call_command("flush", interactive=False, verbosity=0)
        with transaction.atomic():
            call_command("loaddata", options["input"], verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Back-up {options['input']} teruggezet."))
