from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from maakstad.catalogue.tasks import send_freshness_reminders


class Command(BaseCommand):
    help = "Vraag aanbieders om verouderd aanbod op de menukaart te bevestigen (via django.tasks)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_freshness_reminders.enqueue()
        if result.is_finished:
            self.stdout.write(f"{result.return_value}")
        else:
            self.stdout.write(f"In de wachtrij gezet: {result.id}")
