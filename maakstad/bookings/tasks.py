from __future__ import annotations

from django.tasks import task

from maakstad.bookings import services


@task
def bookings_housekeeping() -> dict[str, int]:
    """Expire waiting-list offers that were not taken and send the reminders two days before."""
    return services.housekeeping()
