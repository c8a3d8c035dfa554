"""`python manage.py backup maakstad.json.gz`: every Maakstad table, database-independent.

A logical backup (Django's serialisation with natural keys for content types) that restores into an
empty SQLite or PostgreSQL database with `manage.py restore`. In production the nightly `pg_dump`
(deploy/maakstad-cron) is the first line; this one also moves a region between databases and is
tested end to end. Uploaded files are backed up with their storage, not here.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

# Framework tables that migrations recreate, and caches of work that can be redone.
EXCLUDE = (
    "contenttypes",
    "auth.permission",
    "sessions",
    "django_tasks_database",
)


class Command(BaseCommand):
    help = "Maak een logische back-up van alle gegevens (JSON, .gz of .xz naar keuze)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("output", help="Bestand, bijv. maakstad-2026-11-23.json.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command(
            "dumpdata",
            *[f"--exclude={label}" for label in EXCLUDE],
            "--natural-foreign",
            "--output",
            options["output"],
            verbosity=0,
        )
        self.stdout.write(f"Back-up geschreven naar {options['output']}")
