"""The check-out survey is a quality signal: per session, and per host for the programme office."""

import datetime as dt

import pytest
from django.urls import reverse

from maakstad.attendance import checkin, codes
from maakstad.attendance.models import Attendance
from maakstad.attendance.testing import make_session
from maakstad.core.models import AuditEntry
from maakstad.core.testing.factories import PupilFactory


def _out(session, pupil, rating):
    payload = codes.qr_payload(session, codes.current_step())
    assert checkin.check_in(pupil=pupil, text=payload).code == "ok"
    assert checkin.check_in(pupil=pupil, text=payload, direction="out", rating=rating).code == (
        "ok_out"
    )


@pytest.mark.django_db
def test_supervisor_rates_without_confirming_and_sees_the_pupils_average(world, client) -> None:
    other = PupilFactory.create(school=world.school_a)
    session = make_session(world, pupils=[world.pupil, other])
    _out(session, world.pupil, 5)
    _out(session, other, 2)
    client.force_login(world.user("company"))

    response = client.post(reverse("attendance:rate", args=[session.pk]), {"rating": "4"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.supervisor_rating == 4
    # Rating is its own action: the planned duration is not confirmed by it.
    assert session.duration_confirmed_at is None
    assert AuditEntry.objects.filter(action="session.rated").exists()
    assert not AuditEntry.objects.filter(action="session.duration_confirmed").exists()
    # Out of range is refused.
    client.post(reverse("attendance:rate", args=[session.pk]), {"rating": "9"})
    session.refresh_from_db()
    assert session.supervisor_rating == 4

    screen = client.get(reverse("attendance:screen", args=[session.pk])).text
    assert "3,5 ★" in screen and "2 antwoorden" in screen and "4 ★" in screen
    listing = client.get(reverse("attendance:sessions")).text
    assert "3,5" in listing

    # Confirming the duration no longer touches the rating.
    client.post(reverse("attendance:confirm", args=[session.pk]), {"rating": "1"})
    session.refresh_from_db()
    assert session.duration_confirmed_at is not None and session.supervisor_rating == 4


@pytest.mark.django_db
def test_programme_office_sees_ratings_per_provider(world, client, django_assert_max_num_queries):
    first = make_session(world)
    second = make_session(world, starts_in=dt.timedelta(minutes=-5))
    Attendance.objects.filter(session=first).update(rating=5)
    Attendance.objects.filter(session=second).update(rating=3)
    first.supervisor_rating = 2
    first.save()
    client.force_login(world.user("programme"))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("attendance:quality"))
    assert page.status_code == 200
    row = page.text.split(world.company.name, 1)[1].split("</tr>", 1)[0]
    # 2 sessions, pupils 4.0 from 2 answers, supervisors 2.0 from 1 rated session.
    assert [cell.split("<")[0] for cell in row.split("<td>")[1:]] == ["2", "4,0", "2", "2,0", "1"]
    assert reverse("attendance:quality") in client.get(reverse("attendance:ledger")).text
    client.force_login(world.user("company"))
    assert client.get(reverse("attendance:quality")).status_code == 403
