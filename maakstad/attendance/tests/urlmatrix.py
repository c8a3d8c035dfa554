from maakstad.attendance.models import Attendance
from maakstad.attendance.testing import make_session
from maakstad.core.testing.matrix import DENIED, LOGIN, OK, REDIRECT, Outcomes, expect
from maakstad.core.testing.world import World

# The company hosts the session: its contact supervises; the programme office may look.
HOST: Outcomes = {
    "anonymous": LOGIN,
    "pupil": DENIED,
    "teacher_a": DENIED,
    "teacher_b": DENIED,
    "company": OK,
    "programme": DENIED,
}


def _session(w: World) -> dict[str, int]:
    return {"pk": make_session(w).pk}


def _attendance(w: World) -> dict[str, int]:
    session = make_session(w)
    return {"pk": Attendance.objects.get(session=session).pk}


EXPECTATIONS = {
    "attendance:sessions": expect(
        anonymous=LOGIN, pupil=OK, teacher_a=OK, teacher_b=OK, company=OK, programme=OK
    ),
    "attendance:checkin": expect(
        anonymous=LOGIN,
        pupil=OK,
        teacher_a=DENIED,
        teacher_b=DENIED,
        company=DENIED,
        programme=DENIED,
    ),
    "attendance:screen": expect(**HOST, kwargs=_session),
    "attendance:qr": expect(**HOST, kwargs=_session),
    "attendance:static_code": expect(**HOST, kwargs=_session),
    "attendance:confirm": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=DENIED,
        teacher_b=DENIED,
        company=REDIRECT,
        programme=DENIED,
        kwargs=_session,
        method="post",
    ),
    "attendance:rate": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=DENIED,
        teacher_b=DENIED,
        company=REDIRECT,
        programme=DENIED,
        kwargs=_session,
        method="post",
        data=lambda w: {"rating": "4"},
    ),
    "attendance:quality": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=DENIED,
        teacher_b=DENIED,
        company=DENIED,
        programme=OK,
    ),
    "attendance:mark": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=DENIED,
        teacher_b=DENIED,
        company=REDIRECT,
        programme=DENIED,
        kwargs=_attendance,
        method="post",
        data=lambda w: {"status": "present", "reason": "kwam later"},
    ),
    "attendance:ledger": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=DENIED,
        teacher_b=DENIED,
        company=DENIED,
        programme=OK,
    ),
    # Teacher A is admin of school A; teacher B of school B: both report their own school's hours.
    "attendance:reported_hours": expect(
        anonymous=LOGIN, pupil=DENIED, teacher_a=OK, teacher_b=OK, company=DENIED, programme=DENIED
    ),
}
