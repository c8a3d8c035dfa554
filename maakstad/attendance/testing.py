"""Test helpers: a session at the world's company with the world's pupil expected."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from maakstad.attendance.models import Session
from maakstad.attendance.services import session_schedule
from maakstad.core.testing.world import World


def make_session(
    world: World,
    *,
    starts_in: dt.timedelta = dt.timedelta(minutes=-10),
    hours: float = 2,
    category: str = "lob",
    pupils: list[Any] | None = None,
) -> Session:
    start = timezone.now() + starts_in
    return session_schedule(
        source=world.company,
        category=category,
        provider=world.company,
        location=world.company.locations.first(),
        title="Bedrijfsbezoek",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        pupils=pupils if pupils is not None else [world.pupil],
        actor=None,
    )
