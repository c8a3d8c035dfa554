"""Test helpers for the monitoring app."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from maakstad.core.testing.world import World
from maakstad.monitoring.models import Programme, SchoolReport
from maakstad.monitoring.services import programme_ensure, school_report_open
from maakstad.organisations.models import Organisation, Pupil, SchoolYear


def programme_for(world: World) -> Programme:
    return programme_ensure(
        region=world.region,
        name="Sterk Techniekonderwijs TechTown",
        subsidy_number="STO 24056",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2028, 12, 31),
        actor=None,
    )


def school_report_for(world: World) -> SchoolReport:
    return school_report_open(
        programme=programme_for(world),
        school=world.school_a,
        school_year=SchoolYear.for_date(dt.date.today()),
        actor=None,
    )


@dataclass
class ActivityFixture:
    """Hand-computed attendance: see `activity_fixture`."""

    far_school: Organisation
    pupil_b: Pupil
    far_pupil: Pupil


def activity_fixture(world: World) -> ActivityFixture:
    """Three sessions and one school report of internship hours, with known answers:

    - 2025-10-01 at the company (LOB): the world's pupil (school A) and a school-B pupil present,
      120 minutes each;
    - 2026-10-01 at the company (internship): a pupil of a vmbo in Noord present 90 minutes, the
      world's pupil absent;
    - 2025-11-01 at the mbo (LOB): the school-B pupil present 60 minutes (reach, no co-financing);
    - school A reported 10 hours of regular internships at the company in 2025-2026.
    """
    from maakstad.attendance.models import Attendance, AttendanceStatus, ReportedHours
    from maakstad.attendance.services import session_schedule
    from maakstad.core.testing.factories import OrganisationFactory, PupilFactory

    far = OrganisationFactory.create(
        region=world.region, kind="vmbo", subregion="noord", name="Vmbo Noord"
    )
    pupil_b = PupilFactory.create(school=world.school_b)
    far_pupil = PupilFactory.create(school=far)

    def session(provider: Organisation, day: dt.date, category: str, pupils: list[Pupil]) -> Any:
        start = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
        return session_schedule(
            source=provider,
            category=category,
            provider=provider,
            location=provider.locations.first(),
            title="Activiteit",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            pupils=pupils,
            actor=None,
        )

    def present(s: Any, pupil: Pupil, minutes: int) -> None:
        Attendance.objects.filter(session=s, pupil=pupil).update(
            status=AttendanceStatus.PRESENT, minutes=minutes
        )

    s1 = session(world.company, dt.date(2025, 10, 1), "lob", [world.pupil, pupil_b])
    present(s1, world.pupil, 120)
    present(s1, pupil_b, 120)
    s2 = session(world.company, dt.date(2026, 10, 1), "internship", [far_pupil, world.pupil])
    present(s2, far_pupil, 90)
    Attendance.objects.filter(session=s2, pupil=world.pupil).update(status=AttendanceStatus.ABSENT)
    s3 = session(world.mbo, dt.date(2025, 11, 1), "lob", [pupil_b])
    present(s3, pupil_b, 60)
    ReportedHours.objects.create(
        region=world.region,
        school=world.school_a,
        company=world.company,
        school_year="2025-2026",
        half=1,
        hours=10,
    )
    return ActivityFixture(far_school=far, pupil_b=pupil_b, far_pupil=far_pupil)
