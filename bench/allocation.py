"""Benchmark: the allocation mechanisms on a regional and a national instance.

`python -m bench.allocation [--quick]` prints one JSON object. Every mechanism runs in its own
subprocess on the same generated instance, so wall time and peak memory (ru_maxrss of that
process, minus the instance-only baseline measured the same way) are its own. On the regional
instance the optimum's placed count and rank cost are checked against an integer program solved
by scipy's HiGHS (`scipy.optimize.milp`). Targets: regional < 1 s for every mechanism; national
optimum < 30 s and < 2 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from typing import Any

MECHANISMS = ("lottery", "optimum", "rsd", "fcfs")
REGIONAL = {"pupils": 5000, "schools": 40, "sections": 120, "choices": 4, "seats_per_pupil": 1.1}
NATIONAL = {
    "pupils": 200_000,
    "schools": 1600,
    "sections": 10_000,
    "choices": 4,
    "seats_per_pupil": 1.1,
}
QUICK = {"pupils": 500, "schools": 10, "sections": 20, "choices": 4, "seats_per_pupil": 1.1}


def worker(spec: dict[str, Any], mechanism: str) -> dict[str, Any]:
    from maakstad.electives.allocation import check_allocation, solve
    from maakstad.electives.allocation.generate import generate

    instance = generate(**spec, seed=2025)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if mechanism == "none":
        return {"rss_kb": rss_before}
    started = time.perf_counter()
    result = solve(instance, mechanism=mechanism, seed=7)
    seconds = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    k = spec["choices"]
    ranks = []
    per_school: dict[int, list[int]] = {}
    for pupil in instance.pupils:
        prefs = instance.preferences[pupil]
        got = result.assignment.get(pupil, [])
        rank = prefs.index(got[0]) + 1 if got else k + 1
        ranks.append(rank)
        per_school.setdefault(instance.school_of[pupil], []).append(rank)
    n = len(ranks)
    placed = sum(1 for r in ranks if r <= k)
    school_means = [sum(v) / len(v) for v in per_school.values()]
    school_first = [sum(1 for r in v if r == 1) / len(v) for v in per_school.values()]
    return {
        "seconds": round(seconds, 3),
        "peak_rss_mb": round(rss_after / 1024, 1),
        "solver_rss_mb": round((rss_after - rss_before) / 1024, 1),
        "share_placed": round(placed / n, 4),
        "unplaced": n - placed,
        "share_by_choice": [round(sum(1 for r in ranks if r == i) / n, 4) for i in range(1, k + 1)],
        "mean_rank_unplaced_as_k_plus_1": round(sum(ranks) / n, 4),
        "school_mean_rank_spread": round(max(school_means) - min(school_means), 4),
        "lowest_school_first_choice_share": round(min(school_first), 4),
        "rank_cost_linear": sum(r for r in ranks if r <= k),
        "violations": len(check_allocation(instance, result)),
    }


def milp_check(spec: dict[str, Any]) -> dict[str, Any]:
    """The optimum's value from an integer program (scipy HiGHS), for comparison."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    from maakstad.electives.allocation.generate import generate

    instance = generate(**spec, seed=2025)
    edges = [(p, s, r + 1) for p in instance.pupils for r, s in enumerate(instance.preferences[p])]
    n = len(edges)
    bonus = (len(instance.pupils) + 1) * spec["choices"] + 1
    cost = np.array([rank - bonus for _p, _s, rank in edges], dtype=float)
    rows, cols = [], []
    pupil_row = {p: i for i, p in enumerate(instance.pupils)}
    sections = sorted(instance.capacity)
    section_row = {s: len(pupil_row) + i for i, s in enumerate(sections)}
    for j, (p, s, _rank) in enumerate(edges):
        rows += [pupil_row[p], section_row[s]]
        cols += [j, j]
    matrix = coo_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(pupil_row) + len(sections), n)
    )
    upper = np.array([1] * len(pupil_row) + [instance.capacity[s] for s in sections], dtype=float)
    started = time.perf_counter()
    solution = milp(
        cost,
        constraints=LinearConstraint(matrix, -np.inf, upper),
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
    )
    chosen = [edges[j] for j in range(n) if solution.x[j] > 0.5]
    return {
        "seconds": round(time.perf_counter() - started, 3),
        "placed": len(chosen),
        "rank_cost_linear": sum(rank for _p, _s, rank in chosen),
    }


def run(spec: dict[str, Any], mechanism: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.allocation", "--worker", json.dumps(spec), mechanism],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small instance only (smoke test)")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        spec, mechanism = json.loads(args.worker[0]), args.worker[1]
        print(json.dumps(worker(spec, mechanism)))
        return
    instances = {"quick": QUICK} if args.quick else {"regional": REGIONAL, "national": NATIONAL}
    report: dict[str, Any] = {"benchmark": "electives_allocation"}
    for name, spec in instances.items():
        baseline = run(spec, "none")
        results = {mechanism: run(spec, mechanism) for mechanism in MECHANISMS}
        entry: dict[str, Any] = {
            "instance": spec,
            "baseline_instance_rss_mb": round(baseline["rss_kb"] / 1024, 1),
            "mechanisms": results,
            "optimum_places_more_than_lottery": results["lottery"]["unplaced"]
            - results["optimum"]["unplaced"],
        }
        if name in ("regional", "quick"):
            check = milp_check(spec)
            entry["milp_check"] = {
                **check,
                "optimum_matches": check["placed"]
                == spec["pupils"] - results["optimum"]["unplaced"]
                and check["rank_cost_linear"] == results["optimum"]["rank_cost_linear"],
            }
            entry["targets_met"] = all(r["seconds"] < 1 for r in results.values())
        else:
            entry["targets_met"] = (
                results["optimum"]["seconds"] < 30 and results["optimum"]["peak_rss_mb"] < 2048
            )
        report[name] = entry
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
