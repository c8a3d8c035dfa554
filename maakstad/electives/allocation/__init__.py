"""The allocation engine for external electives: pure Python, no Django.

Mechanisms (all respect capacity, one section per pupil per period, optional fair share per
school, and close sections below their minimum group size, re-running until stable):

- ``lottery``: pupil-proposing deferred acceptance with one seeded lottery as tie-break. With no
  priorities this is random serial dictatorship: "in lottery order, everyone gets their highest
  choice that still has room". Strategy-proof: ranking honestly is always best.
- ``optimum``: a min-cost flow (OR-Tools) that first places as many pupils as possible, then
  minimises the total rank cost (linear or convex). Exact, but not strategy-proof.
- ``rsd`` and ``fcfs``: baselines (serial dictatorship by lottery, and by submission order).

The adapter (`maakstad.electives.runs`) calls `solve_for_adapter`; tests and the benchmark use
`solve` on an `Instance`.
"""

from __future__ import annotations

from maakstad.electives.allocation.core import (
    Instance,
    Result,
    check_allocation,
    lottery_order,
    solve,
    solve_for_adapter,
)

__all__ = ["Instance", "Result", "check_allocation", "lottery_order", "solve", "solve_for_adapter"]
