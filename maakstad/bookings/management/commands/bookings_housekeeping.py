from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from maakstad.bookings.tasks import bookings_housekeeping


class Command(BaseCommand):
    help = (
        "Laat verlopen wachtlijstaanbiedingen vervallen en stuur herinneringen twee dagen vooraf "
        "(elk uur draaien; via django.tasks)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = bookings_housekeeping.enqueue()
        if result.is_finished:
            self.stdout.write(f"{result.return_value}")
        else:
            self.stdout.write(f"In de wachtrij gezet: {result.id}")
