from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from maakstad.attendance.models import Session
from maakstad.core.models import AuditEntry, Notification
from maakstad.core.testing.factories import PupilFactory, UserFactory
from maakstad.electives import runs, services
from maakstad.electives.eligibility import is_eligible
from maakstad.electives.explain import explanation_lines
from maakstad.electives.models import (
    AllocationRun,
    Choice,
    ChoiceRound,
    Mechanism,
    Placement,
    RoundState,
    RunResult,
    RunStatus,
    Section,
    SectionWaitlist,
)
from maakstad.electives.testing import PeriodFactory, SectionFactory, make_round
from maakstad.organisations.models import Term

pytestmark = pytest.mark.django_db


def _pupils(world: Any, n: int) -> list[Any]:
    kb = Term.objects.leerwegen().get(code="KB")
    pie = Term.objects.profiles().get(code="PIE")
    return [
        PupilFactory.create(
            school=world.school_a if i % 2 == 0 else world.school_b,
            leerjaar=3,
            leerweg=kb,
            profile=pie,
            user=UserFactory.create(),
        )
        for i in range(n)
    ]


def test_round_state_machine(world: Any) -> None:
    period = PeriodFactory.create(region=world.region)
    manager = world.user("programme")
    choice_round = make_round([period], state=RoundState.CONCEPT)
    with pytest.raises(ValidationError):
        services.round_transition(choice_round=choice_round, to=RoundState.CLOSED, actor=manager)
    services.round_transition(choice_round=choice_round, to=RoundState.OPEN, actor=manager)
    services.round_transition(choice_round=choice_round, to=RoundState.CLOSED, actor=manager)
    # Allocated needs a finished run; published only through publishing a run.
    with pytest.raises(ValidationError):
        services.round_transition(choice_round=choice_round, to=RoundState.ALLOCATED, actor=manager)
    with pytest.raises(ValidationError):
        services.round_transition(choice_round=choice_round, to=RoundState.PUBLISHED, actor=manager)
    choice_round.refresh_from_db()
    assert choice_round.state == RoundState.CLOSED


def test_round_create_validates(world: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.round_create(
            region=world.region,
            name="",
            periods=[],
            opens_on=dt.date(2026, 3, 1),
            closes_on=dt.date(2026, 2, 1),
            actor=world.user("programme"),
        )
    assert {"name", "periods", "closes_on"} <= set(error.value.message_dict)


def test_eligibility(world: Any) -> None:
    pie = Term.objects.profiles().get(code="PIE")
    bwi = Term.objects.profiles().get(code="BWI")
    ze = Term.objects.profiles().get(code="Z&W")
    tl = Term.objects.leerwegen().get(code="TL")
    section = SectionFactory.create(course__provider=world.mbo)
    course = section.course
    pupil = world.pupil  # KB, PIE, leerjaar 3, vmbo
    assert is_eligible(course, pupil)
    course.profiles.set([bwi])
    assert not is_eligible(course, pupil)
    course.profiles.set([pie])
    course.leerwegen.set([tl])
    assert not is_eligible(course, pupil)
    course.leerwegen.set([])
    course.leerjaren_mask = 1 << 4
    assert not is_eligible(course, pupil)
    course.leerjaren_mask = 1 << 3
    assert is_eligible(course, pupil)
    # Orienting: a pupil without a technical profile may join a BWI course; a PIE pupil may not.
    course.profiles.set([bwi])
    course.is_orienting = True
    zw_pupil = PupilFactory.create(school=world.school_a, leerjaar=3, profile=ze)
    assert is_eligible(course, zw_pupil)
    assert not is_eligible(course, pupil)


def test_choices_validation(world: Any) -> None:
    period = PeriodFactory.create(region=world.region)
    sections = [SectionFactory.create(course__provider=world.mbo, period=period) for _ in range(5)]
    other = SectionFactory.create(course__provider=world.mbo)
    choice_round = make_round([period], choices_count=3)
    pupil_user = world.user("pupil")
    pupil = world.pupil
    with pytest.raises(ValidationError):  # too many
        services.choices_set(
            choice_round=choice_round, pupil=pupil, sections=sections[:4], actor=pupil_user
        )
    with pytest.raises(ValidationError):  # duplicate
        services.choices_set(
            choice_round=choice_round,
            pupil=pupil,
            sections=[sections[0], sections[0]],
            actor=pupil_user,
        )
    with pytest.raises(ValidationError) as error:  # not in this round
        services.choices_set(
            choice_round=choice_round, pupil=pupil, sections=[other], actor=pupil_user
        )
    assert "choice_1" in error.value.message_dict
    sections[1].course.profiles.set([Term.objects.profiles().get(code="BWI")])
    with pytest.raises(ValidationError) as error:  # not eligible
        services.choices_set(
            choice_round=choice_round,
            pupil=pupil,
            sections=[sections[0], sections[1]],
            actor=pupil_user,
        )
    assert "choice_2" in error.value.message_dict
    services.choices_set(
        choice_round=choice_round,
        pupil=pupil,
        sections=[sections[2], sections[0]],
        actor=pupil_user,
    )
    assert list(
        Choice.objects.filter(pupil=pupil).order_by("rank").values_list("section_id", flat=True)
    ) == [sections[2].pk, sections[0].pk]
    # The pupil cannot change after closing; the mentor can still correct.
    services.round_transition(choice_round=choice_round, to=RoundState.CLOSED, actor=None)
    with pytest.raises(ValidationError):
        services.choices_set(
            choice_round=choice_round, pupil=pupil, sections=[sections[3]], actor=pupil_user
        )
    services.choices_set(
        choice_round=choice_round,
        pupil=pupil,
        sections=[sections[3]],
        actor=world.user("teacher_a"),
    )
    assert Choice.objects.get(pupil=pupil).entered_by == world.user("teacher_a")


def test_choice_of_course_followed_before_is_refused(world: Any) -> None:
    earlier = PeriodFactory.create(region=world.region, starts_on=dt.date(2025, 9, 1))
    later = PeriodFactory.create(region=world.region)
    first = SectionFactory.create(course__provider=world.mbo, period=earlier)
    again = SectionFactory.create(course=first.course, period=later)
    Placement.objects.create(
        round=make_round([earlier], state=RoundState.PUBLISHED),
        pupil=world.pupil,
        section=first,
        period=earlier,
    )
    choice_round = make_round([later])
    with pytest.raises(ValidationError):
        services.choices_set(
            choice_round=choice_round,
            pupil=world.pupil,
            sections=[again],
            actor=world.user("pupil"),
        )


def test_reminders_reach_pupils_without_choices(world: Any) -> None:
    period = PeriodFactory.create(region=world.region)
    section = SectionFactory.create(course__provider=world.mbo, period=period)
    choice_round = make_round([period])
    chosen, missing = _pupils(world, 4)[0::2][:2]
    services.choices_set(
        choice_round=choice_round, pupil=chosen, sections=[section], actor=chosen.user
    )
    count = services.reminders_send(
        choice_round=choice_round, school_id=world.school_a.pk, actor=world.user("teacher_a")
    )
    # School A: the world pupil (Sanne) and `missing` had not chosen.
    assert count == 2
    assert Notification.objects.filter(recipient=missing.user).exists()
    assert not Notification.objects.filter(recipient=chosen.user).exists()


def _closed_round_with_choices(world: Any, pupils: list[Any], capacity: int = 1) -> Any:
    period = PeriodFactory.create(region=world.region)
    a = SectionFactory.create(course__provider=world.company, period=period, capacity=capacity)
    b = SectionFactory.create(course__provider=world.mbo, period=period, capacity=capacity)
    choice_round = make_round([period])
    for pupil in pupils:
        services.choices_set(
            choice_round=choice_round, pupil=pupil, sections=[a, b], actor=pupil.user
        )
    services.round_transition(choice_round=choice_round, to=RoundState.CLOSED, actor=None)
    return choice_round, a, b


def _store(
    choice_round: Any, mechanism: str, assignment: dict[int, list[int]], lottery: dict[int, int]
) -> AllocationRun:
    run = AllocationRun.objects.create(
        round=choice_round, mechanism=mechanism, seed=1, status=RunStatus.RUNNING
    )
    problem = runs.build_problem(choice_round)
    runs.store_outcome(run, problem, runs.Outcome(assignment=assignment, lottery=lottery))
    run.refresh_from_db()
    return run


def test_build_problem_and_store_outcome(world: Any) -> None:
    p1, p2, p3 = _pupils(world, 3)
    choice_round, a, b = _closed_round_with_choices(world, [p1, p2, p3])
    problem = runs.build_problem(choice_round)
    assert problem.preferences[p1.pk] == [a.pk, b.pk]
    assert problem.capacity == {a.pk: 1, b.pk: 1}
    assert problem.course_of == {a.pk: a.course_id, b.pk: b.course_id}
    run = _store(
        choice_round,
        Mechanism.LOTTERY,
        {p1.pk: [a.pk], p2.pk: [b.pk]},
        {p1.pk: 1, p2.pk: 2, p3.pk: 3},
    )
    assert run.status == RunStatus.DONE and run.progress == 100
    assert run.metrics["placed"] == 2 and run.metrics["unplaced"] == 1
    assert run.metrics["by_rank"][:2] == [1, 1]
    assert run.metrics["mean_rank"] == pytest.approx((1 + 2 + 5) / 3)
    choice_round.refresh_from_db()
    assert choice_round.state == RoundState.ALLOCATED
    # p2 had number 2: their first choice was full when their turn came (p1 took it).
    result = RunResult.objects.get(run=run, pupil=p2)
    assert result.explanation["higher"][0]["full_at_turn"] is True
    lines = explanation_lines(result)
    assert "lotnummer was 2" in lines[0]
    assert "vol toen jij aan de beurt was" in lines[1] and "3 leerlingen" in lines[1]


def test_publish_places_notifies_waitlists_and_schedules_sessions(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    p1, p2, p3 = _pupils(world, 3)
    choice_round, a, b = _closed_round_with_choices(world, [p1, p2, p3])
    run = _store(
        choice_round,
        Mechanism.LOTTERY,
        {p1.pk: [a.pk], p2.pk: [b.pk]},
        {p1.pk: 1, p2.pk: 2, p3.pk: 3},
    )
    mail.outbox.clear()
    with pytest.raises(ValidationError):  # a run that is not done cannot be published
        services.run_publish(
            run=AllocationRun.objects.create(round=choice_round, mechanism=Mechanism.RSD, seed=1),
            actor=world.user("programme"),
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.run_publish(run=run, actor=world.user("programme"))
    choice_round.refresh_from_db()
    assert choice_round.state == RoundState.PUBLISHED and choice_round.published_run == run
    assert Placement.objects.filter(round=choice_round).count() == 2
    assert Section.objects.get(pk=a.pk).seats_taken == 1
    assert set(SectionWaitlist.objects.filter(pupil=p3).values_list("section_id", flat=True)) == {
        a.pk,
        b.pk,
    }
    sessions = Session.objects.filter(source_id__in=[a.pk, b.pk])
    assert sessions.count() == 2 * len(a.period.meeting_dates(a.course.weekday))
    assert sessions.filter(category="elective").count() == sessions.count()
    assert Notification.objects.filter(recipient=p1.user, subject__icontains="uitslag").exists()
    assert Notification.objects.filter(recipient=world.user("company")).exists()
    assert Notification.objects.filter(recipient=world.user("teacher_a")).exists()
    assert len(mail.outbox) >= 3


def test_swap_and_move_keep_constraints(world: Any) -> None:
    p1, p2, p3 = _pupils(world, 3)
    choice_round, a, b = _closed_round_with_choices(world, [p1, p2, p3])
    run = _store(choice_round, Mechanism.LOTTERY, {p1.pk: [a.pk], p2.pk: [b.pk]}, {})
    services.run_publish(run=run, actor=None)
    first = Placement.objects.get(pupil=p1)
    second = Placement.objects.get(pupil=p2)
    # Moving into a full section is refused; the seat counters do not change.
    with pytest.raises(ValidationError):
        services.placement_move(placement=first, section=b, actor=None)
    assert Section.objects.get(pk=b.pk).seats_taken == 1
    # A swap that would put a pupil in a course they may not take is refused.
    b.course.profiles.set([Term.objects.profiles().get(code="BWI")])
    with pytest.raises(ValidationError):
        services.placement_swap(first=first, second=second, actor=None)
    b.course.profiles.set([])
    services.placement_swap(first=first, second=second, actor=None)
    assert Placement.objects.get(pupil=p1).section_id == b.pk
    assert Placement.objects.get(pupil=p2).section_id == a.pk
    assert Placement.objects.get(pupil=p1).rank == 2
    # A free seat goes to the waiting list.
    Section.objects.filter(pk=a.pk).update(capacity=2)
    promoted = services.waitlist_promote(section=a, actor=None)
    assert promoted is not None and promoted.pupil == p3
    assert Section.objects.get(pk=a.pk).seats_taken == 2
    assert not SectionWaitlist.objects.filter(pupil=p3).exists()


def test_database_refuses_overfull_section_and_double_placement(world: Any) -> None:
    section = SectionFactory.create(course__provider=world.mbo, capacity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Section.objects.filter(pk=section.pk).update(seats_taken=2)
    choice_round = make_round([section.period], state=RoundState.PUBLISHED)
    other = SectionFactory.create(course__provider=world.company, period=section.period)
    Placement.objects.create(
        round=choice_round, pupil=world.pupil, section=section, period=section.period
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(
            round=choice_round, pupil=world.pupil, section=other, period=section.period
        )


def test_min_group_size_closes_sections(world: Any) -> None:
    p1, p2 = _pupils(world, 2)
    choice_round, a, b = _closed_round_with_choices(world, [p1, p2], capacity=2)
    Section.objects.filter(pk=b.pk).update(min_size=2)
    run = _store(
        choice_round, Mechanism.LOTTERY, {p1.pk: [a.pk], p2.pk: [b.pk]}, {p1.pk: 1, p2.pk: 2}
    )
    closed = services.sections_close_below_minimum(run=run, actor=None)
    assert [s.pk for s in closed] == [b.pk]
    assert Section.objects.get(pk=b.pk).is_closed
    assert not Choice.objects.filter(section=b).exists()
    choice_round.refresh_from_db()
    # The round went back to closed and a new batch of runs was queued for every mechanism.
    assert choice_round.runs.filter(batch=2).count() == 4


def test_publishing_against_the_announced_rule_needs_confirmation(world: Any) -> None:
    p1, p2 = _pupils(world, 2)
    choice_round, a, b = _closed_round_with_choices(world, [p1, p2], capacity=2)
    assert choice_round.announced_rule == "lottery"
    run = _store(choice_round, Mechanism.OPTIMUM, {p1.pk: [a.pk], p2.pk: [b.pk]}, {})
    with pytest.raises(ValidationError, match="Bevestig dat je toch"):
        services.run_publish(run=run, actor=None)
    choice_round.refresh_from_db()
    assert choice_round.state == RoundState.ALLOCATED and not Placement.objects.exists()
    services.run_publish(run=run, actor=None, deviation_ok=True)
    # Its second round follows the rule it was published under: pupils are told tactics pay.
    second = services.second_round_create(
        choice_round=choice_round,
        opens_on=timezone.localdate(),
        closes_on=timezone.localdate(),
        actor=None,
    )
    assert second.announced_rule == "optimum" and not second.is_strategy_proof


def test_second_round_offers_leftover_seats(world: Any) -> None:
    p1, p2, p3 = _pupils(world, 3)
    choice_round, a, b = _closed_round_with_choices(world, [p1, p2, p3], capacity=2)
    run = _store(
        choice_round,
        Mechanism.LOTTERY,
        {p1.pk: [a.pk], p2.pk: [a.pk]},
        {p1.pk: 1, p2.pk: 2, p3.pk: 3},
    )
    services.run_publish(run=run, actor=None)
    second = services.second_round_create(
        choice_round=choice_round,
        opens_on=timezone.localdate(),
        closes_on=timezone.localdate(),
        actor=None,
    )
    services.round_transition(choice_round=second, to=RoundState.OPEN, actor=None)
    with pytest.raises(ValidationError):  # full
        services.choices_set(choice_round=second, pupil=p3, sections=[a], actor=p3.user)
    services.choices_set(choice_round=second, pupil=p3, sections=[b], actor=p3.user)
    services.round_transition(choice_round=second, to=RoundState.CLOSED, actor=None)
    problem = runs.build_problem(second)
    assert problem.capacity == {b.pk: 2}


def test_publish_closes_sections_below_minimum_without_waitlists(world: Any) -> None:
    p1, p2, p3 = _pupils(world, 3)
    choice_round, a, b = _closed_round_with_choices(world, [p1, p2, p3], capacity=2)
    Section.objects.filter(pk=b.pk).update(min_size=2)
    # The engine closed b (only one pupil wanted it) and re-ran: p3 stays unplaced.
    run = _store(
        choice_round, Mechanism.LOTTERY, {p1.pk: [a.pk], p2.pk: [a.pk]}, {p1.pk: 1, p2.pk: 2}
    )
    run.metrics["engine_closed_sections"] = [b.pk]
    run.save(update_fields=["metrics"])
    services.run_publish(run=run, actor=world.user("programme"))
    b.refresh_from_db()
    assert b.is_closed
    assert AuditEntry.objects.filter(action="elective.sections.closed").exists()
    # No waiting list for the closed section, so nobody can be promoted into it below its minimum.
    assert not SectionWaitlist.objects.filter(section=b).exists()
    with pytest.raises(ValidationError):
        services.waitlist_promote(section=b, actor=None)
    assert not Placement.objects.filter(section=b).exists()


def test_move_below_the_minimum_group_size_needs_confirmation(world: Any, client: Any) -> None:
    p1, p2, p3 = _pupils(world, 3)
    choice_round, a, b = _closed_round_with_choices(world, [p1, p2, p3], capacity=3)
    Section.objects.filter(pk=a.pk).update(min_size=2)
    run = _store(choice_round, Mechanism.LOTTERY, {p1.pk: [a.pk], p2.pk: [a.pk], p3.pk: [b.pk]}, {})
    services.run_publish(run=run, actor=None)
    with pytest.raises(ValidationError, match="minder dan de minimale groepsgrootte van 2"):
        services.placement_move(placement=Placement.objects.get(pupil=p1), section=b, actor=None)
    assert Placement.objects.get(pupil=p1).section_id == a.pk
    assert [Section.objects.get(pk=s.pk).seats_taken for s in (a, b)] == [2, 1]

    # On the placements page the refusal shows at the form; ticking the box moves the pupil.
    client.force_login(world.user("programme"))
    url = reverse("electives:placements", args=[choice_round.pk])
    data = {"action": "move", "placement": Placement.objects.get(pupil=p1).pk, "section": b.pk}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "minder dan de minimale groepsgrootte" in response.text
    assert Placement.objects.get(pupil=p1).section_id == a.pk
    response = client.post(url, data | {"below_minimum": "on"})
    assert response.status_code == 302
    assert Placement.objects.get(pupil=p1).section_id == b.pk
    assert [Section.objects.get(pk=s.pk).seats_taken for s in (a, b)] == [1, 2]
    entry = AuditEntry.objects.filter(action="elective.placement.moved").get()
    assert entry.after is not None and entry.after["below_minimum"] is True
    assert entry.actor == world.user("programme")


def test_move_keeps_fair_share_and_maximum_distance(world: Any) -> None:
    pupils = _pupils(world, 7)  # schools alternate A, B, A, B, ...
    period = PeriodFactory.create(region=world.region)
    a = SectionFactory.create(course__provider=world.company, period=period, capacity=3)
    b = SectionFactory.create(course__provider=world.mbo, period=period, capacity=10)
    choice_round = make_round([period], fair_share=True)
    for i, pupil in enumerate(pupils):
        sections = [b] if i == 5 else [a, b]
        services.choices_set(
            choice_round=choice_round, pupil=pupil, sections=sections, actor=pupil.user
        )
    services.round_transition(choice_round=choice_round, to=RoundState.CLOSED, actor=None)
    p1, p2, p3, p4 = pupils[:4]
    # a: 4 pupils of school A and 2 of school B asked: fair shares 2 (A) and 1 (B) of 3 seats.
    assignment = {p1.pk: [a.pk], p2.pk: [a.pk]}
    assignment |= {p.pk: [b.pk] for p in pupils[2:]}
    run = _store(choice_round, Mechanism.LOTTERY, assignment, {})
    services.run_publish(run=run, actor=None)
    with pytest.raises(ValidationError, match="eerlijke deel"):
        services.placement_move(placement=Placement.objects.get(pupil=p4), section=a, actor=None)
    assert Section.objects.get(pk=a.pk).seats_taken == 2
    services.placement_move(placement=Placement.objects.get(pupil=p3), section=a, actor=None)
    # a is now at both schools' fair share: a swap that hands school B a second seat is refused,
    # a swap between two pupils of school A is not.
    with pytest.raises(ValidationError, match="eerlijke deel"):
        services.placement_swap(
            first=Placement.objects.get(pupil=p1),
            second=Placement.objects.get(pupil=p4),
            actor=None,
        )
    p5 = pupils[4]
    services.placement_swap(
        first=Placement.objects.get(pupil=p3), second=Placement.objects.get(pupil=p5), actor=None
    )
    assert Placement.objects.get(pupil=p5).section_id == a.pk
    # b lies about 200 km away (Groningen); with a 50 km maximum nobody may be moved there.
    location = b.course.location
    assert location is not None
    location.latitude, location.longitude = Decimal("53.2190"), Decimal("6.5680")
    location.save()
    ChoiceRound.objects.filter(pk=choice_round.pk).update(max_distance_km=50)
    with pytest.raises(ValidationError, match="50 km"):
        services.placement_move(placement=Placement.objects.get(pupil=p1), section=b, actor=None)
    assert Placement.objects.get(pupil=p1).section_id == a.pk


def test_priority_rules_let_prioritised_pupils_win_a_contested_seat(world: Any) -> None:
    p1, p2 = _pupils(world, 2)  # p1 at school A, p2 at school B
    period = PeriodFactory.create(region=world.region)
    hosted = SectionFactory.create(course__provider=world.school_a, period=period, capacity=1)
    choice_round = services.round_create(
        region=world.region,
        name="Met voorrang",
        periods=[period],
        opens_on=timezone.localdate(),
        closes_on=timezone.localdate(),
        priority_rules=["host_school"],
        actor=None,
    )
    assert choice_round.priority_rules == ["host_school"]
    services.round_transition(choice_round=choice_round, to=RoundState.OPEN, actor=None)
    for pupil in (p1, p2):
        services.choices_set(
            choice_round=choice_round, pupil=pupil, sections=[hosted], actor=pupil.user
        )
    services.round_transition(choice_round=choice_round, to=RoundState.CLOSED, actor=None)
    problem = runs.build_problem(choice_round)
    assert problem.priorities == {hosted.pk: {p1.pk: 0, p2.pk: 1}}
    lottery_winners = set()
    for seed in range(12):
        outcome = runs.solve(
            problem, mechanism=Mechanism.LOTTERY, seed=seed, parameters={}, progress=lambda p: None
        )
        # Whatever the lottery, the pupil of the hosting school gets the one seat.
        assert outcome.assignment[p1.pk] == [hosted.pk] and outcome.assignment[p2.pk] == []
        lottery_winners.add(min(outcome.lottery, key=outcome.lottery.__getitem__))
    assert lottery_winners == {p1.pk, p2.pk}  # p2 did win the lottery sometimes
    with pytest.raises(ValidationError):
        services.round_create(
            region=world.region,
            name="Fout",
            periods=[period],
            opens_on=timezone.localdate(),
            closes_on=timezone.localdate(),
            priority_rules=["bribes"],
            actor=None,
        )


def test_nobody_is_placed_beyond_the_rounds_maximum_distance(world: Any) -> None:
    pupils = _pupils(world, 3)
    choice_round, a, b = _closed_round_with_choices(world, pupils, capacity=3)
    location = a.course.location
    assert location is not None
    location.latitude, location.longitude = Decimal("53.2190"), Decimal("6.5680")  # Groningen
    location.save()
    choice_round.max_distance_km = 50
    choice_round.save()
    problem = runs.build_problem(choice_round)
    assert all(problem.preferences[p.pk] == [b.pk] for p in pupils)
    assert problem.distance_km[(pupils[0].school_id, a.pk)] > 150
    for mechanism in (Mechanism.LOTTERY, Mechanism.OPTIMUM, Mechanism.RSD, Mechanism.FCFS):
        outcome = runs.solve(
            problem, mechanism=mechanism, seed=1, parameters={}, progress=lambda p: None
        )
        assert all(outcome.assignment[p.pk] == [b.pk] for p in pupils)


def test_waitlist_promotion_skips_pupils_beyond_the_maximum_distance(world: Any) -> None:
    p1, p2, p3 = _pupils(world, 3)
    choice_round, a, b = _closed_round_with_choices(world, [p1, p2, p3])
    run = _store(
        choice_round,
        Mechanism.LOTTERY,
        {p1.pk: [a.pk], p2.pk: [b.pk]},
        {p1.pk: 1, p2.pk: 2, p3.pk: 3},
    )
    services.run_publish(run=run, actor=None)
    assert SectionWaitlist.objects.filter(pupil=p3, section=a).exists()
    location = a.course.location
    assert location is not None
    location.latitude, location.longitude = Decimal("53.2190"), Decimal("6.5680")
    location.save()
    ChoiceRound.objects.filter(pk=choice_round.pk).update(max_distance_km=50)
    Section.objects.filter(pk=a.pk).update(capacity=2)
    assert services.waitlist_promote(section=a, actor=None) is None
    assert not Placement.objects.filter(pupil=p3).exists()
    assert Section.objects.get(pk=a.pk).seats_taken == 1


def test_engine_closed_section_is_closed_on_publish_end_to_end(world: Any) -> None:
    p1, p2, p3 = _pupils(world, 3)
    choice_round, a, b = _closed_round_with_choices(world, [p1, p2, p3], capacity=2)
    Section.objects.filter(pk=b.pk).update(min_size=2)
    run = AllocationRun.objects.create(round=choice_round, mechanism=Mechanism.LOTTERY, seed=4)
    run = runs.execute(run)
    assert run.metrics["engine_closed_sections"] == [b.pk]
    assert not RunResult.objects.filter(run=run, section=b).exists()
    choice_round.refresh_from_db()
    services.run_publish(run=run, actor=None)
    assert Section.objects.get(pk=b.pk).is_closed
    assert not SectionWaitlist.objects.filter(section=b).exists()
    assert SectionWaitlist.objects.filter(section=a).count() == 1
