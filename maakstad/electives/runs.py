"""The adapter between the database and the pure-Python allocation engine.

`build_problem` reads a round into plain data, `solve` hands it to the engine
(`maakstad.electives.allocation`), `store_outcome` writes an `Outcome` back as the run's results
with metrics and the facts each pupil's explanation needs. Only `solve` knows the engine's API.
"""

from __future__ import annotations

import importlib
import math
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from maakstad.electives.eligibility import CourseRule, pupil_has_technical_profile
from maakstad.electives.models import (
    AllocationRun,
    Choice,
    ChoiceRound,
    Placement,
    PriorityRule,
    RoundState,
    RunResult,
    RunStatus,
    Section,
)


@dataclass
class Problem:
    """A round as plain data: what every mechanism needs, nothing from the ORM."""

    pupils: list[int]
    school_of: dict[int, int]
    # Ranked section ids per pupil (eligible, not followed before, open sections only).
    preferences: dict[int, list[int]]
    capacity: dict[int, int]
    period_of: dict[int, int]
    min_size: dict[int, int]
    # When each pupil handed in their choices (first come, first served).
    submitted_order: list[int]
    fair_share: bool = False
    distance_km: dict[tuple[int, int], float] = field(default_factory=dict)
    max_distance_km: int | None = None
    # Course per section: a pupil is placed in at most one section of a course.
    course_of: dict[int, int] = field(default_factory=dict)
    # Lottery priorities: section -> pupil -> class (0 first); empty when the round has no rules.
    priorities: dict[int, dict[int, int]] = field(default_factory=dict)


@dataclass
class Outcome:
    """What a mechanism decided: a section (or none) per pupil and each pupil's lottery number."""

    assignment: dict[int, list[int]]
    lottery: dict[int, int]
    engine_metrics: dict[str, Any] = field(default_factory=dict)


def _distance_km(a: Any, b: Any) -> float | None:
    if a is None or b is None or not a.has_coordinates or not b.has_coordinates:
        return None
    lat1, lon1, lat2, lon2 = map(
        math.radians, map(float, (a.latitude, a.longitude, b.latitude, b.longitude))
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def build_problem(choice_round: ChoiceRound) -> Problem:
    """Read the round's open sections and choices; drop choices that break a hard constraint."""
    sections = list(
        Section.objects.filter(period__choice_rounds=choice_round, is_closed=False)
        .select_related("course__location", "period")
        .prefetch_related("course__leerwegen", "course__profiles")
    )
    by_id = {s.pk: s for s in sections}
    rules = {s.course_id: CourseRule.of(s.course) for s in sections}
    # A second round fills only the seats left over.
    capacity = {s.pk: (s.capacity - s.seats_taken) for s in sections}
    choices = list(
        Choice.objects.filter(round=choice_round)
        .select_related("pupil__school", "pupil__profile")
        .order_by("pupil_id", "rank")
    )
    first_period_start = min((s.period.starts_on for s in sections), default=None)
    followed: dict[int, set[int]] = defaultdict(set)
    if first_period_start is not None:
        for pupil_id, course_id in Placement.objects.filter(
            pupil_id__in={c.pupil_id for c in choices}, period__starts_on__lt=first_period_start
        ).values_list("pupil_id", "section__course_id"):
            followed[pupil_id].add(course_id)
    already_placed = set(
        Placement.objects.filter(
            pupil_id__in={c.pupil_id for c in choices},
            period__in=[s.period_id for s in sections],
        ).values_list("pupil_id", "period_id")
    )
    school_locations: dict[int, Any] = {}
    preferences: dict[int, list[int]] = defaultdict(list)
    school_of: dict[int, int] = {}
    submitted: dict[int, Any] = {}
    distance: dict[tuple[int, int], float] = {}
    for c in choices:
        pupil = c.pupil
        school_of[pupil.pk] = pupil.school_id
        submitted[pupil.pk] = min(submitted.get(pupil.pk, c.created_at), c.created_at)
        section = by_id.get(c.section_id)
        if section is None or capacity.get(section.pk, 0) <= 0:
            continue
        if (pupil.pk, section.period_id) in already_placed:
            continue
        if section.course_id in followed[pupil.pk]:
            continue
        if not rules[section.course_id].admits(
            pupil,
            school_kind=pupil.school.kind,
            has_technical_profile=pupil_has_technical_profile(pupil),
        ):
            continue
        if choice_round.max_distance_km is not None:
            if pupil.school_id not in school_locations:
                school_locations[pupil.school_id] = pupil.school.locations.first()
            km = _distance_km(school_locations[pupil.school_id], section.course.location)
            if km is not None:
                distance[(pupil.school_id, section.pk)] = km
                if km > choice_round.max_distance_km:
                    continue
        preferences[pupil.pk].append(section.pk)
    pupils = sorted(school_of)
    priorities = _priorities(choice_round, by_id, choices, preferences)
    return Problem(
        pupils=pupils,
        school_of=school_of,
        preferences={p: preferences.get(p, []) for p in pupils},
        capacity={k: v for k, v in capacity.items() if v > 0},
        period_of={s.pk: s.period_id for s in sections},
        min_size={s.pk: s.min_size for s in sections},
        submitted_order=sorted(pupils, key=lambda p: (submitted[p], p)),
        fair_share=choice_round.fair_share,
        distance_km=distance,
        max_distance_km=choice_round.max_distance_km,
        course_of={s.pk: s.course_id for s in sections},
        priorities=priorities,
    )


def _priorities(
    choice_round: ChoiceRound,
    sections: dict[int, Section],
    choices: list[Choice],
    preferences: dict[int, list[int]],
) -> dict[int, dict[int, int]]:
    """Per section, each pupil who ranked it gets a class: the number of the round's priority
    rules they do not meet (0 = served first). Ties are broken by the lottery."""
    rules = set(choice_round.priority_rules or [])
    if not rules:
        return {}
    pupils = {c.pupil_id: c.pupil for c in choices}
    profiles = {s.pk: {p.pk for p in s.course.profiles.all()} for s in sections.values()}
    result: dict[int, dict[int, int]] = defaultdict(dict)
    for pupil_id, ranked in preferences.items():
        pupil = pupils[pupil_id]
        for section_id in ranked:
            course = sections[section_id].course
            missed = 0
            if PriorityRule.HOST_SCHOOL in rules and course.provider_id != pupil.school_id:
                missed += 1
            if PriorityRule.PROFILE in rules and pupil.profile_id not in profiles[section_id]:
                missed += 1
            result[section_id][pupil_id] = missed
    return dict(result)


def solve(
    problem: Problem,
    *,
    mechanism: str,
    seed: int,
    parameters: dict[str, Any],
    progress: Callable[[int], None],
) -> Outcome:
    """Run one mechanism of the engine on `problem`."""
    engine = importlib.import_module("maakstad.electives.allocation")
    return engine.solve_for_adapter(  # type: ignore[no-any-return]
        problem, mechanism=mechanism, seed=seed, parameters=parameters, progress=progress
    )


def compute_metrics(problem: Problem, outcome: Outcome, k: int) -> dict[str, Any]:
    """Share placed, share per choice, mean rank (unplaced = k + 1), spread between schools."""
    total = len(problem.pupils)
    ranks: dict[int, int] = {}
    for pupil in problem.pupils:
        placed = outcome.assignment.get(pupil, [])
        prefs = problem.preferences.get(pupil, [])
        got = [prefs.index(s) + 1 for s in placed if s in prefs]
        ranks[pupil] = min(got) if got else k + 1
    placed_count = sum(1 for p in problem.pupils if outcome.assignment.get(p))
    by_rank = [sum(1 for r in ranks.values() if r == i) for i in range(1, k + 1)]
    per_school: dict[int, list[int]] = defaultdict(list)
    for pupil, rank in ranks.items():
        per_school[problem.school_of[pupil]].append(rank)
    school_means = [statistics.fmean(v) for v in per_school.values()]
    school_first = [sum(1 for r in v if r == 1) / len(v) for v in per_school.values()]
    return {
        "pupils": total,
        "placed": placed_count,
        "unplaced": total - placed_count,
        "share_placed": placed_count / total if total else 0.0,
        "by_rank": by_rank,
        "share_by_rank": [n / total if total else 0.0 for n in by_rank],
        "mean_rank": statistics.fmean(ranks.values()) if ranks else 0.0,
        "school_mean_rank_spread": (max(school_means) - min(school_means)) if school_means else 0.0,
        "lowest_school_first_share": min(school_first) if school_first else 0.0,
        **{f"engine_{key}": value for key, value in outcome.engine_metrics.items()},
    }


def explain(
    problem: Problem, outcome: Outcome, demand: dict[int, int], pupil: int, mechanism: str
) -> dict[str, Any]:
    """The facts behind a pupil's result: for each higher choice, was it full when their turn came."""
    placed = outcome.assignment.get(pupil, [])
    prefs = problem.preferences.get(pupil, [])
    number = outcome.lottery.get(pupil)
    best = min((prefs.index(s) for s in placed if s in prefs), default=len(prefs))
    higher = []
    for section in prefs[:best]:
        ahead = sum(
            1
            for other, sections in outcome.assignment.items()
            if section in sections and number is not None and outcome.lottery.get(other, 0) < number
        )
        higher.append(
            {
                "section": section,
                "asked": demand.get(section, 0),
                "capacity": problem.capacity.get(section, 0),
                "full_at_turn": ahead >= problem.capacity.get(section, 0),
            }
        )
    return {"mechanism": mechanism, "lottery_number": number, "higher": higher}


@transaction.atomic
def store_outcome(run: AllocationRun, problem: Problem, outcome: Outcome) -> None:
    """Write the run's results, metrics and explanations; finish the run."""
    choice_round = run.round
    demand: dict[int, int] = defaultdict(int)
    for prefs in problem.preferences.values():
        for section in prefs:
            demand[section] += 1
    RunResult.objects.filter(run=run).delete()
    rows = []
    for pupil in problem.pupils:
        prefs = problem.preferences.get(pupil, [])
        explanation = explain(problem, outcome, demand, pupil, run.mechanism)
        placed: list[int | None] = list(outcome.assignment.get(pupil, []))
        for target in placed or [None]:
            rows.append(
                RunResult(
                    run=run,
                    pupil_id=pupil,
                    section_id=target,
                    rank=(prefs.index(target) + 1) if target in prefs else None,
                    lottery_number=outcome.lottery.get(pupil),
                    explanation=explanation,
                )
            )
    RunResult.objects.bulk_create(rows, batch_size=1000)
    run.metrics = compute_metrics(problem, outcome, choice_round.choices_count)
    run.status = RunStatus.DONE
    run.progress = 100
    run.finished_at = timezone.now()
    run.save(update_fields=["metrics", "status", "progress", "finished_at", "updated_at"])
    batch_done = (
        not choice_round.runs.filter(batch=run.batch)
        .exclude(status__in=[RunStatus.DONE, RunStatus.FAILED])
        .exists()
    )
    if batch_done:
        ChoiceRound.objects.filter(pk=choice_round.pk, state=RoundState.CLOSED).update(
            state=RoundState.ALLOCATED
        )


def set_progress(run_id: int, percent: int) -> None:
    AllocationRun.objects.filter(pk=run_id).update(progress=max(0, min(100, percent)))


def execute(run: AllocationRun) -> AllocationRun:
    """Run one allocation from start to finish, recording progress and failures on the run."""
    AllocationRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), progress=5
    )
    try:
        problem = build_problem(run.round)
        set_progress(run.pk, 20)
        outcome = solve(
            problem,
            mechanism=run.mechanism,
            seed=run.seed,
            parameters=run.parameters,
            progress=lambda p: set_progress(run.pk, 20 + int(p * 0.6)),
        )
        set_progress(run.pk, 85)
        run.refresh_from_db()
        store_outcome(run, problem, outcome)
    except Exception as error:  # the run records why it failed; the page shows it
        AllocationRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    run.refresh_from_db()
    return run
