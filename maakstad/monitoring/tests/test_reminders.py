import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from maakstad.core.models import Notification
from maakstad.monitoring import services
from maakstad.monitoring.models import SchoolReport, SchoolReportStatus
from maakstad.monitoring.testing import programme_for
from maakstad.organisations.models import SchoolYear


@pytest.mark.django_db
def test_reminders_go_to_schools_that_have_not_submitted_once_a_week(
    world, django_capture_on_commit_callbacks
) -> None:
    programme = programme_for(world)
    year = SchoolYear.for_date(timezone.localdate())
    SchoolReport.objects.create(
        programme=programme,
        school=world.school_b,
        school_year=year,
        status=SchoolReportStatus.SUBMITTED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.school_report_remind(programme=programme, school_year=year, actor=None) == 1
    # School A's admin (teacher A) is reminded, with a link to the opened report; B is not.
    report = SchoolReport.objects.get(school=world.school_a, school_year=year)
    note = Notification.objects.get(recipient=world.user("teacher_a"))
    assert note.url == reverse("monitoring:school_report", args=[report.pk])
    assert not Notification.objects.filter(recipient=world.user("teacher_b")).exists()
    assert [m.to for m in mail.outbox] == [["docent@a.test"]]
    # Not again within the week, again after it.
    assert services.school_report_remind(programme=programme, school_year=year, actor=None) == 0
    later = timezone.now() + dt.timedelta(days=7)
    assert (
        services.school_report_remind(programme=programme, school_year=year, actor=None, now=later)
        == 1
    )


@pytest.mark.django_db
def test_programme_office_sends_reminders_from_the_overview(world, client) -> None:
    programme_for(world)
    client.force_login(world.user("programme"))
    response = client.post(reverse("monitoring:school_reports"), {"herinneren": "1"})
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=world.user("teacher_a")).exists()
    out = StringIO()
    call_command("remind_school_reports", stdout=out)
    assert "Scholen herinnerd: 0" in out.getvalue()  # already reminded this week


@pytest.mark.django_db
def test_reminder_reaches_a_school_with_last_years_report_submitted_and_this_years_draft(
    world,
) -> None:
    programme = programme_for(world)
    year = SchoolYear.for_date(timezone.localdate())
    last_year = SchoolYear.for_date(year.starts_on - dt.timedelta(days=1))
    # School A submitted last year's report; this year's is only a draft. School B is done.
    SchoolReport.objects.create(
        programme=programme,
        school=world.school_a,
        school_year=last_year,
        status=SchoolReportStatus.SUBMITTED,
    )
    SchoolReport.objects.create(programme=programme, school=world.school_a, school_year=year)
    SchoolReport.objects.create(
        programme=programme,
        school=world.school_b,
        school_year=year,
        status=SchoolReportStatus.ACCEPTED,
    )
    assert services.school_report_remind(programme=programme, school_year=year, actor=None) == 1
    assert Notification.objects.filter(recipient=world.user("teacher_a")).exists()
    assert not Notification.objects.filter(recipient=world.user("teacher_b")).exists()
