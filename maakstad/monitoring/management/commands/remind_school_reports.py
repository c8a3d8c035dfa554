from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from maakstad.monitoring.tasks import remind_school_reports


class Command(BaseCommand):
    help = "Herinner scholen aan hun jaarlijkse rapportage (hoogstens eens per week; via django.tasks)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = remind_school_reports.enqueue()
        if result.is_finished:
            self.stdout.write(f"Scholen herinnerd: {result.return_value}")
        else:
            self.stdout.write(f"In de wachtrij gezet: {result.id}")
