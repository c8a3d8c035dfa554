import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from maakstad.attendance.models import Attendance, AttendanceStatus, Session, SessionStatus
from maakstad.attendance.services import session_schedule, sessions_cancel_for_source
from maakstad.catalogue.testing import OfferFactory
from maakstad.core.models import AuditEntry
from maakstad.core.testing.factories import PupilFactory


@pytest.mark.django_db
def test_schedule_is_idempotent_and_tracks_expected_pupils(world) -> None:
    offer = OfferFactory.create(provider=world.company)
    start = timezone.now() + dt.timedelta(days=3)
    pupils = [world.pupil, PupilFactory.create(school=world.school_a)]
    kwargs = dict(
        source=offer,
        category="lob",
        provider=world.company,
        location=None,
        title="Bezoek",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        actor=world.user("teacher_a"),
    )
    session = session_schedule(pupils=pupils, **kwargs)
    again = session_schedule(pupils=pupils[:1], **kwargs)
    assert again.pk == session.pk
    assert list(Attendance.objects.filter(session=session).values_list("pupil", flat=True)) == [
        world.pupil.pk
    ]
    assert session.planned_minutes == 120
    assert AuditEntry.objects.filter(action__startswith="session.").count() == 2
    assert sessions_cancel_for_source(source=offer, actor=None) == 1
    assert Session.objects.get().status == SessionStatus.CANCELLED
    assert Attendance.objects.get().status == AttendanceStatus.EXPECTED


@pytest.mark.django_db
def test_schedule_rejects_end_before_start(world) -> None:
    start = timezone.now()
    with pytest.raises(ValidationError):
        session_schedule(
            source=world.company,
            category="lob",
            provider=world.company,
            location=None,
            title="x",
            starts_at=start,
            ends_at=start,
            pupils=[],
            actor=None,
        )
