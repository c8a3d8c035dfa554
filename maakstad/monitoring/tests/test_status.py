import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

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


def test_numeric_milestone_without_an_indicator_is_achieved_when_recorded() -> None:
    # 5.1.2 "Pilots aangeboden" (2 pilots): the platform does not measure pilots.
    pilots = _milestone("2", achieved=dt.date(2026, 5, 1))
    assert (
        milestone_status(pilots, None, today=dt.date(2027, 1, 2), programme_start=START)
        == MilestoneStatus.ACHIEVED
    )
    # A milestone the platform measures follows its indicator, not a recorded date.
    measured = _milestone("20", achieved=dt.date(2026, 5, 1))
    measured.indicator_code = "schools_parents_evening"
    assert (
        milestone_status(measured, Decimal(3), today=dt.date(2027, 1, 2), programme_start=START)
        == MilestoneStatus.LATE
    )


@pytest.mark.django_db
def test_programme_office_records_achievement_and_value_of_an_unmeasured_milestone(
    world, client
) -> None:
    from maakstad.core.models import AuditEntry
    from maakstad.monitoring import selectors, services
    from maakstad.monitoring.testing import programme_for

    programme = programme_for(world)
    line = programme.action_lines.get(number=5)
    pilots = programme.milestones.create(
        key="5.1.2-1",
        code="5.1.2",
        action_line=line,
        description="Pilots aangeboden",
        target_year=2025,
        target_quarter=4,
        numeric_target=Decimal(2),
        unit="pilots",
    )
    measured = programme.milestones.create(
        key="1.3.2-2",
        code="1.3.2",
        action_line=line,
        description="Ouderavonden",
        target_year=2026,
        target_quarter=4,
        numeric_target=Decimal(20),
        indicator_code="schools_parents_evening",
        position=1,
    )
    client.force_login(world.user("programme"))
    page = client.get(reverse("monitoring:milestones"))
    # The form is offered for the pilots, not for the measured milestone.
    assert reverse("monitoring:milestone_achieved", args=[pilots.pk]).encode() in page.content
    assert reverse("monitoring:milestone_achieved", args=[measured.pk]).encode() not in page.content

    url = reverse("monitoring:milestone_achieved", args=[pilots.pk])
    client.post(url, {"achieved_on": "", "reported_value": "1"})
    row = selectors.milestone_rows(programme, today=dt.date(2025, 12, 1))[0]
    assert row.value == Decimal(1) and row.progress == 50
    assert row.status != MilestoneStatus.ACHIEVED
    client.post(url, {"achieved_on": "2025-12-10", "reported_value": "2"})
    row = selectors.milestone_rows(programme, today=dt.date(2026, 3, 1))[0]
    assert row.status == MilestoneStatus.ACHIEVED and row.value == Decimal(2)
    assert AuditEntry.objects.filter(action="milestone.achieved", object_id=str(pilots.pk)).exists()

    with pytest.raises(ValidationError):
        services.milestone_record_achieved(
            milestone=measured, achieved_on=dt.date(2026, 1, 1), actor=None
        )


@pytest.mark.django_db
def test_programme_office_sets_the_responsible_person_shown_on_the_milestones_page(
    world, client
) -> None:
    from maakstad.core.models import AuditEntry
    from maakstad.monitoring import services
    from maakstad.monitoring.testing import programme_for

    programme = programme_for(world)
    milestone = programme.milestones.create(
        key="5.2.1-1",
        code="5.2.1",
        action_line=programme.action_lines.get(number=5),
        description="Masterclasses",
        target_year=2026,
        target_quarter=2,
    )
    manager = world.user("programme")
    client.force_login(manager)
    url = reverse("monitoring:milestone_responsible", args=[milestone.pk])
    assert client.post(url, {"responsible": str(manager.pk)}).status_code == 302
    milestone.refresh_from_db()
    assert milestone.responsible == manager
    assert AuditEntry.objects.filter(
        action="milestone.responsible_set", object_id=str(milestone.pk)
    ).exists()
    page = client.get(reverse("monitoring:milestones"))
    assert f'<option value="{manager.pk}" selected>'.encode() in page.content
    # Someone outside the programme office cannot be made responsible.
    teacher = world.user("teacher_a")
    assert client.post(url, {"responsible": str(teacher.pk)}).status_code == 404
    with pytest.raises(ValidationError):
        services.milestone_set_responsible(milestone=milestone, responsible=teacher, actor=None)
    client.post(url, {"responsible": ""})
    milestone.refresh_from_db()
    assert milestone.responsible is None
