"""Random instances for tests and the benchmark: Zipf-skewed popularity, eligibility, travel."""

from __future__ import annotations

import math
import random

from maakstad.electives.allocation.core import Instance


def generate(
    *,
    pupils: int,
    schools: int,
    sections: int,
    seats_per_pupil: float = 1.1,
    choices: int = 4,
    periods: int = 1,
    zipf: float = 0.8,
    eligible_share: float = 0.9,
    max_travel: float | None = None,
    min_size: int = 0,
    fair_share: bool = False,
    seed: int = 1,
) -> Instance:
    rng = random.Random(seed)
    school_xy = [(rng.random() * 30, rng.random() * 30) for _ in range(schools)]
    section_xy = [(rng.random() * 30, rng.random() * 30) for _ in range(sections)]
    weights = [1 / (rank + 1) ** zipf for rank in range(sections)]
    rng.shuffle(weights)
    total_seats = int(pupils * seats_per_pupil * periods)
    capacity = {
        s: max(1, round(total_seats * 1 / sections * rng.uniform(0.6, 1.4)))
        for s in range(sections)
    }
    period_of = {s: s % periods for s in range(sections)}
    school_of = {p: rng.randrange(schools) for p in range(pupils)}
    preferences: dict[int, list[int]] = {}
    cumulative = []
    acc = 0.0
    for weight in weights:
        acc += weight
        cumulative.append(acc)
    for pupil in range(pupils):
        sx, sy = school_xy[school_of[pupil]]
        ranked: list[int] = []
        attempts = 0
        while len(ranked) < choices and attempts < choices * 20:
            attempts += 1
            section = _pick(rng, cumulative)
            if section in ranked or rng.random() > eligible_share:
                continue
            if max_travel is not None:
                x, y = section_xy[section]
                if math.hypot(x - sx, y - sy) > max_travel:
                    continue
            ranked.append(section)
        preferences[pupil] = ranked
    order = list(range(pupils))
    rng.shuffle(order)
    return Instance(
        pupils=list(range(pupils)),
        school_of=school_of,
        preferences=preferences,
        capacity=capacity,
        period_of=period_of,
        min_size=dict.fromkeys(range(sections), min_size),
        submitted_order=order,
        fair_share=fair_share,
    )


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    import bisect

    return bisect.bisect_left(cumulative, rng.random() * cumulative[-1])
