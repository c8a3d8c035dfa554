"""The allocation engine against brute force and against every constraint (no database)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maakstad.electives.allocation import Instance, Result, check_allocation, solve
from maakstad.electives.allocation.core import (
    fair_caps,
    needs_course_constraint,
    optimum,
    optimum_milp,
    rank_cost,
)
from maakstad.electives.allocation.generate import generate


@st.composite
def small_instances(draw: st.DrawFn) -> Instance:
    n_pupils = draw(st.integers(1, 6))
    n_sections = draw(st.integers(1, 3))
    n_schools = draw(st.integers(1, 2))
    preferences = {
        p: draw(
            st.permutations(range(n_sections))
            .map(lambda xs: list(xs))
            .flatmap(lambda xs: st.integers(0, len(xs)).map(lambda k: xs[:k]))
        )
        for p in range(n_pupils)
    }
    return Instance(
        pupils=list(range(n_pupils)),
        school_of={p: draw(st.integers(0, n_schools - 1)) for p in range(n_pupils)},
        preferences=preferences,
        capacity={s: draw(st.integers(0, 3)) for s in range(n_sections)},
        period_of=dict.fromkeys(range(n_sections), 0),
        fair_share=draw(st.booleans()),
    )


def _score(instance: Instance, assignment: dict[int, list[int]], kind: str) -> tuple[int, int]:
    placed = sum(len(v) for v in assignment.values())
    cost = sum(
        rank_cost(instance.preferences[p].index(s) + 1, kind)
        for p, v in assignment.items()
        for s in v
    )
    return placed, cost


def _brute_force_best(instance: Instance, kind: str) -> tuple[int, int]:
    caps = fair_caps(instance, instance.capacity) if instance.fair_share else {}
    options = [[None, *instance.preferences[p]] for p in instance.pupils]
    best = (0, 0)
    for choice in itertools.product(*options):
        counts: dict[object, int] = {}
        ok = True
        for pupil, section in zip(instance.pupils, choice, strict=True):
            if section is None:
                continue
            counts[section] = counts.get(section, 0) + 1
            key = (section, instance.school_of[pupil])
            counts[key] = counts.get(key, 0) + 1
            if counts[section] > instance.capacity[section] or (caps and counts[key] > caps[key]):
                ok = False
                break
        if not ok:
            continue
        assignment = {
            p: [s] if s is not None else [] for p, s in zip(instance.pupils, choice, strict=True)
        }
        placed, cost = _score(instance, assignment, kind)
        if (placed, -cost) > (best[0], -best[1]):
            best = (placed, cost)
    return best


@settings(max_examples=150, deadline=None)
@given(small_instances(), st.sampled_from(["linear", "convex"]))
def test_optimum_is_never_beaten(instance: Instance, kind: str) -> None:
    result = solve(instance, mechanism="optimum", seed=1, cost_kind=kind)
    assert check_allocation(instance, result) == []
    assert _score(instance, result.assignment, kind) == _brute_force_best(instance, kind)


@settings(max_examples=150, deadline=None)
@given(small_instances(), st.integers(0, 1000))
def test_lottery_has_no_justified_envy_and_equals_serial_dictatorship(
    instance: Instance, seed: int
) -> None:
    instance.fair_share = False
    lottery = solve(instance, mechanism="lottery", seed=seed)
    rsd = solve(instance, mechanism="rsd", seed=seed)
    assert lottery.assignment == rsd.assignment
    assert check_allocation(instance, lottery) == []
    holders: dict[int, list[int]] = {}
    for pupil, sections in lottery.assignment.items():
        for section in sections:
            holders.setdefault(section, []).append(pupil)
    for pupil in instance.pupils:
        prefs = instance.preferences[pupil]
        got = lottery.assignment[pupil]
        better = prefs[: prefs.index(got[0])] if got else prefs
        for section in better:
            taken = holders.get(section, [])
            # Nobody with a worse lottery number got it, and no seat stayed free.
            assert len(taken) >= instance.capacity[section]
            assert all(lottery.lottery[other] < lottery.lottery[pupil] for other in taken)


@settings(max_examples=100, deadline=None)
@given(small_instances(), st.integers(0, 1000))
def test_every_mechanism_respects_every_constraint(instance: Instance, seed: int) -> None:
    for mechanism in ("lottery", "optimum", "rsd", "fcfs"):
        assert check_allocation(instance, solve(instance, mechanism=mechanism, seed=seed)) == []


@pytest.mark.parametrize("fair_share", [False, True])
def test_constraints_on_a_larger_instance(fair_share: bool) -> None:
    instance = generate(
        pupils=2000, schools=20, sections=60, periods=2, min_size=8, fair_share=fair_share, seed=4
    )
    results = {
        m: solve(instance, mechanism=m, seed=9) for m in ("lottery", "optimum", "rsd", "fcfs")
    }
    for mechanism, result in results.items():
        assert check_allocation(instance, result) == [], mechanism
    placed = {m: sum(len(v) for v in r.assignment.values()) for m, r in results.items()}
    assert placed["optimum"] >= max(placed.values())


def test_small_sections_are_closed_and_the_round_re_runs() -> None:
    instance = Instance(
        pupils=[1, 2, 3, 4],
        school_of=dict.fromkeys([1, 2, 3, 4], 0),
        preferences={1: [10, 20], 2: [10, 20], 3: [20, 10], 4: [10, 20]},
        capacity={10: 3, 20: 3},
        period_of={10: 0, 20: 0},
        min_size={10: 0, 20: 2},
    )
    result = solve(instance, mechanism="lottery", seed=3)
    assert result.engine_metrics["closed_sections"] == [20]
    assert sorted(p for p, v in result.assignment.items() if v == [10]) != []
    assert all(v in ([10], []) for v in result.assignment.values())
    assert check_allocation(instance, result) == []


def test_one_section_per_period_and_determinism() -> None:
    instance = generate(pupils=300, schools=5, sections=12, periods=2, choices=6, seed=2)
    first = solve(instance, mechanism="lottery", seed=42)
    again = solve(instance, mechanism="lottery", seed=42)
    other = solve(instance, mechanism="lottery", seed=43)
    assert first.assignment == again.assignment and first.lottery == again.lottery
    assert first.lottery != other.lottery
    assert any(len(v) == 2 for v in first.assignment.values())
    assert check_allocation(instance, first) == []


def test_priorities_are_served_first_and_stay_stable() -> None:
    instance = Instance(
        pupils=[1, 2, 3],
        school_of={1: 0, 2: 1, 3: 1},
        preferences={1: [10, 20], 2: [10, 20], 3: [10, 20]},
        capacity={10: 1, 20: 2},
        period_of={10: 0, 20: 0},
        priorities={10: {3: -1}},  # pupil 3's school hosts the course
    )
    result = solve(instance, mechanism="lottery", seed=7)
    assert result.assignment[3] == [10]
    assert result.assignment[1] == [20] and result.assignment[2] == [20]


def _same_course_instance() -> Instance:
    # Course 100 runs in period 0 (section 0) and period 1 (section 1); course 200 in period 1.
    return Instance(
        pupils=[1, 2],
        school_of={1: 0, 2: 0},
        preferences={1: [0, 1, 2], 2: [0, 1, 2]},
        capacity={0: 2, 1: 2, 2: 2},
        period_of={0: 0, 1: 1, 2: 1},
        course_of={0: 100, 1: 100, 2: 200},
    )


@pytest.mark.parametrize("mechanism", ["optimum", "lottery", "rsd", "fcfs"])
def test_a_course_is_placed_once_even_when_ranked_in_two_periods(mechanism: str) -> None:
    instance = _same_course_instance()
    result = solve(instance, mechanism=mechanism, seed=3)
    assert check_allocation(instance, result) == []
    assert result.assignment == {1: [0, 2], 2: [0, 2]}
    if mechanism == "optimum":
        assert result.engine_metrics["solver"] == "scipy.milp"


def test_check_allocation_flags_the_same_course_twice() -> None:
    instance = _same_course_instance()
    flow_like = Result(assignment={1: [0, 1], 2: []}, lottery={1: 1, 2: 2})
    assert "pupil 1 has the same course twice" in check_allocation(instance, flow_like)


@st.composite
def two_period_instances(draw: st.DrawFn) -> Instance:
    instance = draw(small_instances())
    instance.period_of = {s: draw(st.integers(0, 1)) for s in instance.capacity}
    # Distinct courses per section: the flow applies, and the integer program must agree with it.
    instance.course_of = {s: 10 + s for s in instance.capacity}
    return instance


@settings(max_examples=80, deadline=None)
@given(two_period_instances(), st.sampled_from(["linear", "convex"]))
def test_integer_program_and_flow_agree_without_repeated_courses(
    instance: Instance, kind: str
) -> None:
    capacity = {s: c for s, c in instance.capacity.items() if c > 0}
    assert not needs_course_constraint(instance, capacity)
    flow_assignment, flow_metrics = optimum(instance, capacity, cost_kind=kind)
    milp_assignment, milp_metrics = optimum_milp(instance, capacity, cost_kind=kind)
    assert milp_metrics["solver"] == "scipy.milp"
    assert sum(map(len, flow_assignment.values())) == sum(map(len, milp_assignment.values()))
    assert flow_metrics["objective_rank_cost"] == milp_metrics["objective_rank_cost"]
    assert check_allocation(instance, Result(assignment=milp_assignment, lottery={})) == []


@pytest.mark.parametrize("mechanism", ["optimum", "lottery", "rsd", "fcfs"])
def test_nobody_is_placed_beyond_the_maximum_distance(mechanism: str) -> None:
    # Section 0 is everyone's first choice but lies 40 km from school 1 (the maximum is 25 km).
    instance = Instance(
        pupils=[1, 2, 3],
        school_of={1: 0, 2: 1, 3: 1},
        preferences={1: [0, 1], 2: [0, 1], 3: [0, 1]},
        capacity={0: 3, 1: 3},
        period_of={0: 0, 1: 0},
        distance_km={(0, 0): 5.0, (1, 0): 40.0, (0, 1): 10.0, (1, 1): 25.0},
        max_distance_km=25,
    )
    result = solve(instance, mechanism=mechanism, seed=5)
    assert check_allocation(instance, result) == []
    assert result.assignment == {1: [0], 2: [1], 3: [1]}
    far = Result(assignment={1: [0], 2: [0], 3: [1]}, lottery={})
    assert check_allocation(instance, far) == ["pupil 2 placed in 0, beyond the maximum distance"]


@st.composite
def repeated_course_instances(draw: st.DrawFn) -> Instance:
    n_pupils = draw(st.integers(1, 4))
    n_sections = draw(st.integers(2, 4))
    preferences = {
        p: draw(
            st.permutations(range(n_sections))
            .map(list)
            .flatmap(lambda xs: st.integers(0, len(xs)).map(lambda k: xs[:k]))
        )
        for p in range(n_pupils)
    }
    return Instance(
        pupils=list(range(n_pupils)),
        school_of={p: draw(st.integers(0, 1)) for p in range(n_pupils)},
        preferences=preferences,
        capacity={s: draw(st.integers(0, 2)) for s in range(n_sections)},
        period_of={s: draw(st.integers(0, 1)) for s in range(n_sections)},
        course_of={s: draw(st.integers(0, 1)) for s in range(n_sections)},
        fair_share=draw(st.booleans()),
    )


def _brute_force_with_courses(instance: Instance, kind: str) -> tuple[int, int]:
    caps = fair_caps(instance, instance.capacity) if instance.fair_share else {}
    per_pupil = []
    for pupil in instance.pupils:
        prefs = instance.preferences[pupil]
        options = []
        for size in range(len(prefs) + 1):
            for subset in itertools.combinations(prefs, size):
                periods = [instance.period_of[s] for s in subset]
                courses = [instance.course(s) for s in subset]
                if len(set(periods)) == len(periods) and len(set(courses)) == len(courses):
                    options.append(list(subset))
        per_pupil.append(options)
    best = (0, 0)
    for choice in itertools.product(*per_pupil):
        counts: dict[object, int] = {}
        ok = True
        for pupil, sections in zip(instance.pupils, choice, strict=True):
            for section in sections:
                key = (section, instance.school_of[pupil])
                counts[section] = counts.get(section, 0) + 1
                counts[key] = counts.get(key, 0) + 1
                if counts[section] > instance.capacity[section] or (
                    caps and counts[key] > caps[key]
                ):
                    ok = False
        if ok:
            placed, cost = _score(instance, dict(zip(instance.pupils, choice, strict=True)), kind)
            if (placed, -cost) > (best[0], -best[1]):
                best = (placed, cost)
    return best


@settings(max_examples=80, deadline=None)
@given(repeated_course_instances(), st.sampled_from(["linear", "convex"]))
def test_optimum_with_repeated_courses_is_never_beaten(instance: Instance, kind: str) -> None:
    result = solve(instance, mechanism="optimum", seed=1, cost_kind=kind)
    assert check_allocation(instance, result) == []
    assert _score(instance, result.assignment, kind) == _brute_force_with_courses(instance, kind)
    for mechanism in ("lottery", "rsd", "fcfs"):
        other = solve(instance, mechanism=mechanism, seed=2)
        assert check_allocation(instance, other) == []
