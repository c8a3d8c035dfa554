from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from maakstad.internships.tasks import send_internship_reminders


class Command(BaseCommand):
    help = "Stuur herinneringen voor stage-aanmeldingen die te lang wachten (via django.tasks)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_internship_reminders.enqueue()
        if result.is_finished:
            self.stdout.write(f"{result.return_value}")
        else:
            self.stdout.write(f"In de wachtrij gezet: {result.id}")
