"""Every (status, event) pair: allowed exactly when TRANSITIONS says so."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from maakstad.core.models import AuditEntry
from maakstad.internships import services
from maakstad.internships.models import (
    TRANSITIONS,
    AdWeek,
    Application,
    ApplicationEvent,
    DayState,
    Event,
    PlacementDay,
    Status,
)


def _put_in(chain: Any, status: str) -> Application:
    application = chain.apply()
    Application.objects.filter(pk=application.pk).update(status=status, reached_company=True)
    if status == Status.DAYS_PROPOSED:
        chain.propose_days(application, week_index=1)
    if status == Status.CONFIRMED:
        week = chain.week(0)
        AdWeek.objects.filter(pk=week.pk).update(places_taken=1)
        Application.objects.filter(pk=application.pk).update(week=week)
        yesterday = dt.date.today() - dt.timedelta(days=1)
        PlacementDay.objects.create(
            application=application,
            pupil=application.pupil,
            date=yesterday,
            starts_at=dt.time(9),
            ends_at=dt.time(15),
            state=DayState.PLANNED,
        )
    application.refresh_from_db()
    return application


def _fire(chain: Any, application: Application, event: str) -> None:
    week = chain.week(0)
    if event == Event.MENTOR_APPROVE:
        services.application_mentor_decide(
            application=application, approve=True, actor=chain.mentor
        )
    elif event == Event.MENTOR_REJECT:
        services.application_mentor_decide(
            application=application,
            approve=False,
            reason="Eerst cijfers op orde",
            actor=chain.mentor,
        )
    elif event == Event.GUARDIAN_APPROVE:
        services.guardian_decide(token=chain.token(application), approve=True)
    elif event == Event.GUARDIAN_REJECT:
        services.guardian_decide(token=chain.token(application), approve=False, reason="Te druk")
    elif event in (Event.COMPANY_ACCEPT, Event.COMPANY_PROPOSE):
        target = week if event == Event.COMPANY_ACCEPT else chain.week(1)
        services.application_company_decide(
            application=application,
            action="accept" if event == Event.COMPANY_ACCEPT else "propose",
            actor=chain.company_user,
            week=target,
            dates=chain.dates(target),
            starts=dt.time(9),
            ends=dt.time(15),
        )
    elif event == Event.COMPANY_DECLINE:
        services.application_company_decide(
            application=application, action="decline", message="Vol", actor=chain.company_user
        )
    elif event == Event.PROPOSAL_ACCEPT:
        services.application_proposal_accept(application=application, actor=chain.pupil_user)
    elif event == Event.COMPLETE:
        services.application_complete(application=application)
    elif event == Event.CANCEL:
        services.application_cancel(application=application, reason="Ziek", actor=chain.pupil_user)
    else:  # pragma: no cover - every event is listed above
        raise AssertionError(event)


CASES = [(s.value, e.value) for s in Status for e in Event]


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "event"), CASES, ids=[f"{s}-{e}" for s, e in CASES])
def test_transition(chain: Any, status: str, event: str) -> None:
    application = _put_in(chain, status)
    events_before = ApplicationEvent.objects.filter(application=application).count()
    if (status, event) in TRANSITIONS:
        _fire(chain, application, event)
        application.refresh_from_db()
        assert application.status == TRANSITIONS[(status, event)]
        assert ApplicationEvent.objects.filter(
            application=application, event=event, from_status=status
        ).exists()
        assert AuditEntry.objects.filter(
            action=f"internship.{event}", object_id=str(application.pk)
        ).exists()
    else:
        with pytest.raises((ValidationError, services.LinkError)) as info:
            _fire(chain, application, event)
        if isinstance(info.value, ValidationError):
            assert "status" in info.value.message_dict
        application.refresh_from_db()
        assert application.status == status
        assert ApplicationEvent.objects.filter(application=application).count() == events_before


def test_table_covers_the_chain() -> None:
    targets = set(TRANSITIONS.values())
    # Every status except the start is reachable; the finals lead nowhere.
    assert targets == set(Status) - {Status.SUBMITTED}
    finals = {
        Status.MENTOR_REJECTED,
        Status.GUARDIAN_REJECTED,
        Status.COMPANY_DECLINED,
        Status.COMPLETED,
        Status.CANCELLED,
    }
    assert not any(source in finals for source, _event in TRANSITIONS)
