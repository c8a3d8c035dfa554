from typing import Any

from django.core.management.base import BaseCommand

from maakstad.attendance.tasks import notify_absences_task


class Command(BaseCommand):
    help = "Meld vandaag afwezige leerlingen aan hun mentoren (voor de dagelijkse planner)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = notify_absences_task.enqueue()
        self.stdout.write(f"Taak {result.id} ingepland ({result.status}).")
