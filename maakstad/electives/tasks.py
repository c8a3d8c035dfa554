"""Background work: one allocation run per task (immediate backend by default)."""

from __future__ import annotations

from django.tasks import task

from maakstad.electives import runs
from maakstad.electives.models import AllocationRun, RunStatus


@task()
def allocation_run_execute(run_id: int) -> str:
    run = AllocationRun.objects.select_related("round").get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return str(run.status)
    return str(runs.execute(run).status)
