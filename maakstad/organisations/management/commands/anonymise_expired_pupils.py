from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from maakstad.organisations.tasks import anonymise_expired_pupils


class Command(BaseCommand):
    help = (
        "Anonimiseer leerlingen van wie het laatste schooljaar langer dan de bewaartermijn "
        "(MAAKSTAD_RETENTION_YEARS) geleden is (via django.tasks; draai wekelijks)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = anonymise_expired_pupils.enqueue()
        if result.is_finished:
            self.stdout.write(f"Geanonimiseerd: {result.return_value}")
        else:
            self.stdout.write(f"In de wachtrij gezet: {result.id}")
