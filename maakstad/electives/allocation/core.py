"""Instances, mechanisms and checks. See the package docstring."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

Pupil = int
Section = int


@dataclass
class Instance:
    pupils: list[Pupil]
    school_of: dict[Pupil, int]
    preferences: dict[Pupil, list[Section]]  # ranked, eligible sections only
    capacity: dict[Section, int]
    period_of: dict[Section, int]
    min_size: dict[Section, int] = field(default_factory=dict)
    submitted_order: list[Pupil] = field(default_factory=list)
    fair_share: bool = False
    # Optional priorities: section -> pupil -> class (lower is served first); ties by lottery.
    priorities: dict[Section, dict[Pupil, int]] = field(default_factory=dict)
    # Optional course per section: a pupil gets at most one section of each course (a course
    # offered in several periods is followed once). Missing = every section its own course.
    course_of: dict[Section, int] = field(default_factory=dict)
    # Optional maximum travel distance: (school, section) -> km from the school to the venue.
    # A pupil is never placed in a section further than `max_distance_km` from their school.
    distance_km: dict[tuple[int, Section], float] = field(default_factory=dict)
    max_distance_km: float | None = None

    def too_far(self, pupil: Pupil, section: Section) -> bool:
        if self.max_distance_km is None:
            return False
        km = self.distance_km.get((self.school_of[pupil], section))
        return km is not None and km > self.max_distance_km

    def course(self, section: Section) -> Any:
        return self.course_of.get(section, ("section", section))


@dataclass
class Result:
    assignment: dict[Pupil, list[Section]]
    lottery: dict[Pupil, int]
    engine_metrics: dict[str, Any] = field(default_factory=dict)


def lottery_order(pupils: Sequence[Pupil], seed: int) -> list[Pupil]:
    """The published lottery: a seeded shuffle of the pupils in id order."""
    order = sorted(pupils)
    random.Random(seed).shuffle(order)
    return order


def fair_caps(instance: Instance, capacity: dict[Section, int]) -> dict[tuple[Section, int], int]:
    """Per section, each school's fair share of the seats: its share of the pupils who ranked the
    section, rounded up (so the caps together never leave a seat that nobody may take)."""
    demand: dict[Section, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for pupil in instance.pupils:
        for section in set(instance.preferences.get(pupil, [])):
            demand[section][instance.school_of[pupil]] += 1
    caps: dict[tuple[Section, int], int] = {}
    for section, per_school in demand.items():
        total = sum(per_school.values())
        for school, count in per_school.items():
            caps[(section, school)] = max(1, math.ceil(capacity.get(section, 0) * count / total))
    return caps


# --- serial dictatorship and deferred acceptance ---------------------------------------------


def serial_dictatorship(
    instance: Instance, order: Sequence[Pupil], capacity: dict[Section, int]
) -> dict[Pupil, list[Section]]:
    caps = fair_caps(instance, capacity) if instance.fair_share else {}
    left = dict(capacity)
    school_used: dict[tuple[Section, int], int] = defaultdict(int)
    assignment: dict[Pupil, list[Section]] = {}
    for pupil in order:
        taken_periods: set[int] = set()
        taken_courses: set[Any] = set()
        got: list[Section] = []
        school = instance.school_of[pupil]
        for section in instance.preferences.get(pupil, []):
            period = instance.period_of[section]
            if period in taken_periods or left.get(section, 0) <= 0:
                continue
            if instance.course(section) in taken_courses:
                continue
            if caps and school_used[(section, school)] >= caps.get((section, school), 0):
                continue
            left[section] -= 1
            school_used[(section, school)] += 1
            taken_periods.add(period)
            taken_courses.add(instance.course(section))
            got.append(section)
        assignment[pupil] = got
    return assignment


def deferred_acceptance(
    instance: Instance, lottery: dict[Pupil, int], capacity: dict[Section, int]
) -> dict[Pupil, list[Section]]:
    """Pupil-proposing DA per period, sections ranking by (priority class, lottery number).

    Fair-share caps act as hard per-school quotas inside each section; DA with such quotas stays
    strategy-proof for pupils. Periods are allocated in order; a course a pupil got in an earlier
    period is dropped from their list for the later ones (one section per course).
    """
    caps = fair_caps(instance, capacity) if instance.fair_share else {}
    assignment: dict[Pupil, list[Section]] = {pupil: [] for pupil in instance.pupils}
    periods = sorted({instance.period_of[s] for s in capacity})
    for period in periods:
        prefs = {
            pupil: [
                s
                for s in instance.preferences.get(pupil, [])
                if instance.period_of[s] == period
                and instance.course(s) not in {instance.course(t) for t in assignment[pupil]}
            ]
            for pupil in instance.pupils
        }
        next_choice = dict.fromkeys(instance.pupils, 0)
        held: dict[Section, list[Pupil]] = defaultdict(list)

        def key(section: Section, pupil: Pupil) -> tuple[int, int]:
            return (instance.priorities.get(section, {}).get(pupil, 0), lottery[pupil])

        free = [pupil for pupil in instance.pupils if prefs[pupil]]
        while free:
            proposals: dict[Section, list[Pupil]] = defaultdict(list)
            for pupil in free:
                if next_choice[pupil] < len(prefs[pupil]):
                    proposals[prefs[pupil][next_choice[pupil]]].append(pupil)
                    next_choice[pupil] += 1
            free = []
            for section, proposers in proposals.items():
                candidates = sorted(held[section] + proposers, key=lambda p: key(section, p))
                kept: list[Pupil] = []
                per_school: dict[int, int] = defaultdict(int)
                for pupil in candidates:
                    school = instance.school_of[pupil]
                    if len(kept) < capacity.get(section, 0) and (
                        not caps or per_school[school] < caps.get((section, school), 0)
                    ):
                        kept.append(pupil)
                        per_school[school] += 1
                    elif next_choice[pupil] < len(prefs[pupil]):
                        free.append(pupil)
                held[section] = kept
        for section, pupils in held.items():
            for pupil in pupils:
                assignment[pupil].append(section)
    for pupil in assignment:
        order = instance.preferences.get(pupil, [])
        assignment[pupil].sort(key=order.index)
    return assignment


# --- the optimum -------------------------------------------------------------------------------


def rank_cost(rank: int, kind: str) -> int:
    return rank * rank if kind == "convex" else rank


def optimum(
    instance: Instance, capacity: dict[Section, int], *, cost_kind: str = "linear"
) -> tuple[dict[Pupil, list[Section]], dict[str, Any]]:
    """Most pupils placed, then the lowest total rank cost: an exact min-cost flow.

    source -> (pupil, period) [1] -> (section, school) [fair cap] -> section [capacity] -> sink,
    plus (pupil, period) -> sink at cost 0 for "unplaced". Every placement earns a bonus larger
    than any possible total of rank costs, so the number placed is maximised first.
    """
    if needs_course_constraint(instance, capacity):
        return optimum_milp(instance, capacity, cost_kind=cost_kind)
    from ortools.graph.python import min_cost_flow

    caps = fair_caps(instance, capacity) if instance.fair_share else {}
    flow = min_cost_flow.SimpleMinCostFlow()
    node_ids: dict[Any, int] = {}

    def node(name: Any) -> int:
        if name not in node_ids:
            node_ids[name] = len(node_ids)
        return node_ids[name]

    source, sink = node("source"), node("sink")
    max_rank = max((len(p) for p in instance.preferences.values()), default=1)
    slots = [
        (pupil, period)
        for pupil in instance.pupils
        for period in sorted({instance.period_of[s] for s in instance.preferences.get(pupil, [])})
    ]
    bonus = (len(slots) + 1) * rank_cost(max_rank, cost_kind) + 1
    placement_arcs: list[tuple[int, Pupil, Section]] = []
    for pupil, period in slots:
        slot = node(("slot", pupil, period))
        flow.add_arc_with_capacity_and_unit_cost(source, slot, 1, 0)
        flow.add_arc_with_capacity_and_unit_cost(slot, sink, 1, 0)
        school = instance.school_of[pupil]
        for rank, section in enumerate(instance.preferences.get(pupil, []), start=1):
            if instance.period_of[section] != period or capacity.get(section, 0) <= 0:
                continue
            target = node(("via", section, school)) if caps else node(("section", section))
            arc = flow.add_arc_with_capacity_and_unit_cost(
                slot, target, 1, rank_cost(rank, cost_kind) - bonus
            )
            placement_arcs.append((arc, pupil, section))
    if caps:
        for (section, school), cap in caps.items():
            if ("via", section, school) in node_ids and capacity.get(section, 0) > 0:
                flow.add_arc_with_capacity_and_unit_cost(
                    node_ids[("via", section, school)], node(("section", section)), cap, 0
                )
    for section, seats in capacity.items():
        if seats > 0 and ("section", section) in node_ids:
            flow.add_arc_with_capacity_and_unit_cost(node_ids[("section", section)], sink, seats, 0)
    flow.set_node_supply(source, len(slots))
    flow.set_node_supply(sink, -len(slots))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow did not find an optimum (status {status})")
    assignment: dict[Pupil, list[Section]] = {pupil: [] for pupil in instance.pupils}
    for arc, pupil, section in placement_arcs:
        if flow.flow(arc) > 0:
            assignment[pupil].append(section)
    for pupil in assignment:
        order = instance.preferences.get(pupil, [])
        assignment[pupil].sort(key=order.index)
    placed = sum(len(v) for v in assignment.values())
    return assignment, {
        "solver": "ortools.min_cost_flow",
        "objective_rank_cost": flow.optimal_cost() + placed * bonus,
        "rank_cost": cost_kind,
    }


def needs_course_constraint(instance: Instance, capacity: dict[Section, int]) -> bool:
    """Did any pupil rank one course in more than one period? The flow cannot then also keep
    "one section per course", so the optimum is solved as an integer program instead."""
    if not instance.course_of:
        return False
    for pupil in instance.pupils:
        periods: dict[Any, set[int]] = defaultdict(set)
        for section in instance.preferences.get(pupil, []):
            if capacity.get(section, 0) > 0:
                periods[instance.course(section)].add(instance.period_of[section])
        if any(len(v) > 1 for v in periods.values()):
            return True
    return False


def optimum_milp(
    instance: Instance, capacity: dict[Section, int], *, cost_kind: str = "linear"
) -> tuple[dict[Pupil, list[Section]], dict[str, Any]]:
    """The same optimum as `optimum` (most placed, then lowest rank cost) as an integer program
    (scipy's HiGHS): capacity, fair share, one section per pupil per period and per course."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array

    caps = fair_caps(instance, capacity) if instance.fair_share else {}
    variables: list[tuple[Pupil, Section, int]] = []
    for pupil in instance.pupils:
        for rank, section in enumerate(instance.preferences.get(pupil, []), start=1):
            if capacity.get(section, 0) > 0:
                variables.append((pupil, section, rank))
    assignment: dict[Pupil, list[Section]] = {pupil: [] for pupil in instance.pupils}
    if not variables:
        return assignment, {
            "solver": "scipy.milp",
            "objective_rank_cost": 0,
            "rank_cost": cost_kind,
        }
    max_rank = max((len(p) for p in instance.preferences.values()), default=1)
    bonus = (len(variables) + 1) * rank_cost(max_rank, cost_kind) + 1
    cost = np.array([rank_cost(rank, cost_kind) - bonus for _p, _s, rank in variables], float)
    rows: dict[Any, int] = {}
    upper: list[int] = []
    entries: list[tuple[int, int]] = []

    def add(key: Any, bound: int, column: int) -> None:
        if key not in rows:
            rows[key] = len(rows)
            upper.append(bound)
        entries.append((rows[key], column))

    for column, (pupil, section, _rank) in enumerate(variables):
        add(("period", pupil, instance.period_of[section]), 1, column)
        add(("course", pupil, instance.course(section)), 1, column)
        add(("capacity", section), capacity[section], column)
        if caps:
            school = instance.school_of[pupil]
            add(("fair", section, school), caps.get((section, school), 0), column)
    matrix = coo_array(
        (np.ones(len(entries)), ([r for r, _c in entries], [c for _r, c in entries])),
        shape=(len(rows), len(variables)),
    ).tocsr()
    solution = milp(
        cost,
        constraints=LinearConstraint(matrix, -np.inf, np.array(upper, float)),
        integrality=np.ones(len(variables)),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0},
    )
    if solution.status != 0 or solution.x is None:
        raise RuntimeError(f"integer program did not find an optimum ({solution.message})")
    total = 0
    for value, (pupil, section, rank) in zip(solution.x, variables, strict=True):
        if value > 0.5:
            assignment[pupil].append(section)
            total += rank_cost(rank, cost_kind)
    for pupil in assignment:
        order = instance.preferences.get(pupil, [])
        assignment[pupil].sort(key=order.index)
    return assignment, {
        "solver": "scipy.milp",
        "objective_rank_cost": total,
        "rank_cost": cost_kind,
    }


# --- running a mechanism, closing small sections -----------------------------------------------


def solve(
    instance: Instance,
    *,
    mechanism: str,
    seed: int,
    cost_kind: str = "linear",
    progress: Callable[[int], None] | None = None,
) -> Result:
    """Run `mechanism`; sections that stay below their minimum group size are closed and the
    mechanism re-runs without them until every open section that has pupils is large enough.
    Sections beyond the maximum travel distance are dropped from a pupil's list first."""
    if instance.max_distance_km is not None:
        instance = replace(
            instance,
            preferences={
                pupil: [s for s in ranked if not instance.too_far(pupil, s)]
                for pupil, ranked in instance.preferences.items()
            },
        )
    order = lottery_order(instance.pupils, seed)
    lottery = {pupil: number for number, pupil in enumerate(order, start=1)}
    capacity = {s: c for s, c in instance.capacity.items() if c > 0}
    closed: list[Section] = []
    metrics: dict[str, Any] = {}
    for iteration in range(1, len(capacity) + 2):
        if mechanism == "lottery":
            assignment = deferred_acceptance(instance, lottery, capacity)
        elif mechanism == "rsd":
            assignment = serial_dictatorship(instance, order, capacity)
        elif mechanism == "fcfs":
            submitted = instance.submitted_order or sorted(instance.pupils)
            assignment = serial_dictatorship(instance, submitted, capacity)
        elif mechanism == "optimum":
            assignment, metrics = optimum(instance, capacity, cost_kind=cost_kind)
        else:
            raise ValueError(f"unknown mechanism {mechanism!r}")
        counts: dict[Section, int] = defaultdict(int)
        for sections in assignment.values():
            for section in sections:
                counts[section] += 1
        too_small = [s for s, n in counts.items() if 0 < n < instance.min_size.get(s, 0)]
        if progress:
            progress(min(95, 20 * iteration))
        if not too_small:
            break
        # Close the smallest first (one at a time keeps as many sections open as possible).
        smallest = min(too_small, key=lambda s: (counts[s], s))
        closed.append(smallest)
        capacity.pop(smallest)
    metrics.update({"closed_sections": closed, "iterations": iteration})
    if progress:
        progress(100)
    return Result(assignment=assignment, lottery=lottery, engine_metrics=metrics)


def solve_for_adapter(
    problem: Any,
    *,
    mechanism: str,
    seed: int,
    parameters: dict[str, Any],
    progress: Callable[[int], None],
) -> Result:
    """Entry point for `maakstad.electives.runs.solve` (duck-typed `Problem` in, `Result` out)."""
    instance = Instance(
        pupils=list(problem.pupils),
        school_of=dict(problem.school_of),
        preferences={p: list(v) for p, v in problem.preferences.items()},
        capacity=dict(problem.capacity),
        period_of=dict(problem.period_of),
        min_size=dict(problem.min_size),
        submitted_order=list(problem.submitted_order),
        fair_share=bool(problem.fair_share),
        priorities=dict(getattr(problem, "priorities", {}) or {}),
        course_of=dict(getattr(problem, "course_of", {}) or {}),
        distance_km=dict(getattr(problem, "distance_km", {}) or {}),
        max_distance_km=getattr(problem, "max_distance_km", None),
    )
    return solve(
        instance,
        mechanism=mechanism,
        seed=seed,
        cost_kind=parameters.get("rank_cost") or "linear",
        progress=progress,
    )


def check_allocation(instance: Instance, result: Result) -> list[str]:
    """Every constraint, as a list of violations (empty when the allocation is valid)."""
    problems: list[str] = []
    counts: dict[Section, int] = defaultdict(int)
    per_school: dict[tuple[Section, int], int] = defaultdict(int)
    for pupil, sections in result.assignment.items():
        periods = [instance.period_of[s] for s in sections]
        if len(periods) != len(set(periods)):
            problems.append(f"pupil {pupil} has two sections in one period")
        courses = [instance.course(s) for s in sections]
        if len(courses) != len(set(courses)):
            problems.append(f"pupil {pupil} has the same course twice")
        for section in sections:
            if section not in instance.preferences.get(pupil, []):
                problems.append(f"pupil {pupil} placed in {section}, which they did not rank")
            if instance.too_far(pupil, section):
                problems.append(f"pupil {pupil} placed in {section}, beyond the maximum distance")
            counts[section] += 1
            per_school[(section, instance.school_of[pupil])] += 1
    for section, n in counts.items():
        if n > instance.capacity.get(section, 0):
            problems.append(
                f"section {section} over capacity ({n} > {instance.capacity.get(section, 0)})"
            )
        if n < instance.min_size.get(section, 0):
            problems.append(f"section {section} below its minimum group size ({n})")
    if instance.fair_share:
        closed = set(result.engine_metrics.get("closed_sections", []))
        capacity = {s: c for s, c in instance.capacity.items() if s not in closed}
        caps = fair_caps(instance, capacity)
        for key, n in per_school.items():
            if n > caps.get(key, 0):
                problems.append(f"school {key[1]} above its fair share in section {key[0]}")
    return problems
