"""Test helpers for the monitoring app."""

from __future__ import annotations

import datetime as dt

from maakstad.core.testing.world import World
from maakstad.monitoring.models import Programme, SchoolReport
from maakstad.monitoring.services import programme_ensure, school_report_open
from maakstad.organisations.models import SchoolYear


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
