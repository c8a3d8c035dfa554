from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from maakstad.monitoring import services
from maakstad.monitoring.models import Programme
from maakstad.organisations.models import SchoolYear


@task
def remind_school_reports() -> int:
    """Remind schools whose yearly report is not yet submitted, in every region's programme."""
    year = SchoolYear.for_date(timezone.localdate())
    return sum(
        services.school_report_remind(programme=programme, school_year=year, actor=None)
        for programme in Programme.objects.all()
    )
