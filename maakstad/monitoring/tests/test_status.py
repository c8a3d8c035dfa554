import datetime as dt
from decimal import Decimal

from maakstad.monitoring.indicators import MilestoneStatus, milestone_status
from maakstad.monitoring.models import Milestone

START = dt.date(2025, 1, 1)


def _milestone(target: str | None, year: int = 2026, quarter: int = 4, achieved=None) -> Milestone:
    return Milestone(
        key="x-1",
        code="x",
        description="x",
        target_year=year,
        target_quarter=quarter,
        numeric_target=Decimal(target) if target else None,
        achieved_on=achieved,
    )


def test_target_end_is_the_last_day_of_the_quarter() -> None:
    assert _milestone(None, 2026, 4).target_end == dt.date(2026, 12, 31)
    assert _milestone(None, 2025, 1).target_end == dt.date(2025, 3, 31)


def test_numeric_status() -> None:
    m = _milestone("20")
    today = dt.date(2026, 1, 1)  # half-way between start and end of 2026-Q4
    status = milestone_status
    assert status(m, Decimal(20), today=today, programme_start=START) == MilestoneStatus.ACHIEVED
    assert status(m, Decimal(10), today=today, programme_start=START) == MilestoneStatus.ON_TRACK
    assert status(m, Decimal(3), today=today, programme_start=START) == MilestoneStatus.AT_RISK
    assert (
        status(m, Decimal(19), today=dt.date(2027, 1, 2), programme_start=START)
        == MilestoneStatus.LATE
    )


def test_status_without_a_number() -> None:
    start = START
    assert (
        milestone_status(_milestone(None), None, today=dt.date(2026, 3, 1), programme_start=start)
        == MilestoneStatus.ON_TRACK
    )
    assert (
        milestone_status(_milestone(None), None, today=dt.date(2026, 12, 1), programme_start=start)
        == MilestoneStatus.AT_RISK
    )
    assert (
        milestone_status(_milestone(None), None, today=dt.date(2027, 1, 1), programme_start=start)
        == MilestoneStatus.LATE
    )
    done = _milestone(None, achieved=dt.date(2026, 5, 1))
    assert (
        milestone_status(done, None, today=dt.date(2027, 1, 1), programme_start=start)
        == MilestoneStatus.ACHIEVED
    )
