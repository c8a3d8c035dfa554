"""Checking in and out: idempotent, with machine-readable outcomes and a Dutch message for each.

`check_in(pupil=..., text=..., direction="in"|"out")` accepts a scanned QR payload, a typed short
code or the printed static code, and only for sessions the pupil is expected at.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from maakstad.attendance import codes
from maakstad.attendance.models import Attendance, AttendanceStatus, Session, SessionStatus
from maakstad.core import audit
from maakstad.organisations.models import Pupil

# A session's codes work from shortly before it starts until shortly after it ends.
OPEN_BEFORE = dt.timedelta(minutes=30)
OPEN_AFTER = dt.timedelta(minutes=30)
PUPIL_LIMIT = (10, 60)  # attempts per pupil per minute
SESSION_LIMIT = (900, 60)  # attempts per session per minute (a whole school arriving at once)

MESSAGES = {
    "ok": N_("Gelukt! Je bent ingecheckt bij %(title)s."),
    "ok_out": N_("Gelukt! Je bent uitgecheckt bij %(title)s. Tot de volgende keer!"),
    "already_checked_in": N_("Je was al ingecheckt bij %(title)s."),
    "already_checked_out": N_("Je was al uitgecheckt bij %(title)s."),
    "not_checked_in": N_("Je bent nog niet ingecheckt bij %(title)s; check eerst in."),
    "not_expected": N_("Je staat niet op de lijst voor deze sessie. Meld je bij de begeleider."),
    "expired_code": N_("Deze code is verlopen. Scan de code op het scherm opnieuw."),
    "not_started": N_("Deze sessie is nog niet begonnen. Inchecken kan vanaf %(opens)s."),
    "ended": N_("Deze sessie is al afgelopen."),
    "invalid_code": N_("Deze code kennen we niet. Controleer de code en probeer het opnieuw."),
    "rate_limited": N_("Te veel pogingen. Wacht een minuut en probeer het opnieuw."),
}


@dataclass
class Outcome:
    code: str
    message: str
    session: Session | None = None

    @property
    def ok(self) -> bool:
        return self.code in ("ok", "ok_out")


def _outcome(code: str, session: Session | None = None, **params: Any) -> Outcome:
    values = {"title": session.title if session else "", **params}
    return Outcome(code=code, message=_(MESSAGES[code]) % values, session=session)


def _limited(key: str, limit: tuple[int, int]) -> bool:
    count, window = limit
    if cache.add(key, 1, window):
        return False
    try:
        return cache.incr(key) > count
    except ValueError:
        cache.set(key, 1, window)
        return False


def _find_session(pupil: Pupil, text: str, now: dt.datetime) -> tuple[Session | None, str]:
    """The session a code belongs to, and "" or the outcome code that already decides it."""
    parsed = codes.parse_qr(text)
    if parsed is not None:
        session = Session.objects.filter(handle=parsed.handle).first()
        if session is None or not codes.qr_is_authentic(session, parsed):
            return None, "invalid_code"
        if not codes.step_is_fresh(parsed.step, now.timestamp()):
            return session, "expired_code"
        return session, ""
    typed = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(typed) == 8:
        session = Session.objects.filter(static_code=typed).first()
        return (session, "") if session else (None, "invalid_code")
    if len(typed) == 6:
        # A typed short code: look among the pupil's own sessions that are open now.
        step = codes.current_step(now.timestamp())
        candidates = Session.objects.filter(
            attendances__pupil=pupil,
            starts_at__lte=now + OPEN_BEFORE,
            ends_at__gte=now - OPEN_AFTER,
            status=SessionStatus.SCHEDULED,
        )
        for session in candidates:
            if typed == codes.short_code(session, step):
                return session, ""
            if typed == codes.short_code(session, step - 1):
                return session, ""
            if any(typed == codes.short_code(session, s) for s in range(step - 10, step - 1)):
                return session, "expired_code"
        return None, "invalid_code"
    return None, "invalid_code"


def check_in(
    *,
    pupil: Pupil,
    text: str,
    direction: str = "in",
    rating: int | None = None,
    now: dt.datetime | None = None,
) -> Outcome:
    now = now or timezone.now()
    if _limited(f"checkin:pupil:{pupil.pk}", PUPIL_LIMIT):
        return _outcome("rate_limited")
    session, decided = _find_session(pupil, text, now)
    if session is not None and _limited(f"checkin:session:{session.pk}", SESSION_LIMIT):
        return _outcome("rate_limited")
    if decided:
        return _outcome(decided, session)
    assert session is not None
    if session.status == SessionStatus.CANCELLED or now > session.ends_at + OPEN_AFTER:
        return _outcome("ended", session)
    if now < session.starts_at - OPEN_BEFORE:
        opens = timezone.localtime(session.starts_at - OPEN_BEFORE)
        return _outcome("not_started", session, opens=opens.strftime("%H:%M"))
    with transaction.atomic():
        attendance = (
            Attendance.objects.select_for_update().filter(session=session, pupil=pupil).first()
        )
        if attendance is None:
            return _outcome("not_expected", session)
        before = audit.snapshot(
            attendance, ["status", "checked_in_at", "checked_out_at", "minutes"]
        )
        if direction == "out":
            if attendance.checked_in_at is None:
                return _outcome("not_checked_in", session)
            if attendance.checked_out_at is not None:
                return _outcome("already_checked_out", session)
            attendance.checked_out_at = now
            end = min(now, session.ends_at)
            start = max(attendance.checked_in_at, session.starts_at)
            attendance.minutes = max(0, int((end - start).total_seconds() // 60))
            if rating is not None and 1 <= rating <= 5:
                attendance.rating = rating
            code = "ok_out"
        else:
            if attendance.checked_in_at is not None:
                return _outcome("already_checked_in", session)
            attendance.checked_in_at = now
            attendance.status = AttendanceStatus.PRESENT
            code = "ok"
        attendance.save()
        audit.record(
            action=f"attendance.check_{direction}",
            obj=attendance,
            actor=pupil.user,
            before=before,
            after=audit.snapshot(
                attendance, ["status", "checked_in_at", "checked_out_at", "minutes"]
            ),
            region_id=session.region_id,
        )
    return _outcome(code, session)
