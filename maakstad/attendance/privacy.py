"""Attendance's part of a pupil's data export and anonymisation (see organisations.privacy).

Attendance rows hold no text about the pupil beyond an absence reason; they stay (the hours feed
the co-financing ledger and the monitoring) with the reason cleared."""

from __future__ import annotations

from typing import Any

from maakstad.attendance.models import Attendance
from maakstad.organisations.models import Pupil


def export_pupil(pupil: Pupil) -> dict[str, Any]:
    rows = (
        Attendance.objects.filter(pupil=pupil)
        .select_related("session")
        .order_by("session__starts_at")
    )
    return {
        "attendance": [
            {
                "session": a.session.title,
                "starts_at": a.session.starts_at.isoformat(),
                "status": a.status,
                "minutes": a.minutes,
                "reason": a.reason,
            }
            for a in rows
        ]
    }


def anonymise_pupil(pupil: Pupil) -> None:
    Attendance.objects.filter(pupil=pupil).exclude(reason="").update(reason="")
