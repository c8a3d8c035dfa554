from __future__ import annotations

from django.tasks import task

from maakstad.catalogue import freshness


@task
def send_freshness_reminders() -> dict[str, int]:
    """Ask providers to confirm offers older than MAAKSTAD_STALE_AFTER_DAYS."""
    return freshness.reminders_send()
