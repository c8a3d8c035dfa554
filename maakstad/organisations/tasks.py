from __future__ import annotations

from django.tasks import task

from maakstad.organisations import privacy


@task
def anonymise_expired_pupils() -> int:
    """Anonymise pupils whose last school year is older than MAAKSTAD_RETENTION_YEARS."""
    return privacy.retention_run()
