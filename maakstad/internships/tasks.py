from __future__ import annotations

from django.tasks import task

from maakstad.internships import services


@task
def send_internship_reminders() -> dict[str, int]:
    """Remind whoever a step waits for; close finished placements; ask for evaluations."""
    return services.reminders_send()
