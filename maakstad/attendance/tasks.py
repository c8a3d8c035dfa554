from django.tasks import task

from maakstad.attendance import services


@task()
def notify_absences_task() -> int:
    """Scheduled every evening: mark and report today's absences to mentors."""
    return services.notify_absences()
