"""The per-session rate limit and the static code's time window."""

import datetime as dt

import pytest

from maakstad.attendance import checkin, codes
from maakstad.attendance.testing import make_session
from maakstad.core.testing.factories import PupilFactory


@pytest.mark.django_db
def test_rate_limit_per_session_stops_a_flood_across_pupils(world, monkeypatch) -> None:
    monkeypatch.setattr(checkin, "SESSION_LIMIT", (3, 60))
    pupils = [PupilFactory.create(school=world.school_a) for _ in range(4)]
    session = make_session(world, pupils=pupils)
    other = make_session(world, pupils=pupils)
    step = codes.current_step()
    outcomes = [
        checkin.check_in(pupil=p, text=codes.qr_payload(session, step)).code for p in pupils
    ]
    # Each pupil tries once (well under the per-pupil limit); the session's fourth is refused.
    assert outcomes == ["ok", "ok", "ok", "rate_limited"]
    # Another session at the same moment is not affected.
    assert checkin.check_in(pupil=pupils[3], text=codes.qr_payload(other, step)).code == "ok"


@pytest.mark.django_db
def test_static_code_is_refused_before_its_window_opens(world) -> None:
    session = make_session(world, starts_in=dt.timedelta(hours=2))
    opens = session.starts_at - checkin.OPEN_BEFORE
    early = checkin.check_in(
        pupil=world.pupil, text=session.static_code, now=opens - dt.timedelta(minutes=1)
    )
    assert early.code == "not_started" and "vanaf" in early.message
    on_time = checkin.check_in(
        pupil=world.pupil, text=session.static_code, now=opens + dt.timedelta(minutes=1)
    )
    assert on_time.code == "ok"
