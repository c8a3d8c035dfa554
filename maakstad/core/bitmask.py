"""Small sets of small integers (weekdays, leerjaren, groepen, school kinds) stored as a bitmask.

A bitmask filters in one indexed-friendly expression on SQLite and PostgreSQL alike, which a
JSON list cannot (SQLite has no JSON `contains`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import F, Q, QuerySet


def to_mask(values: Iterable[int]) -> int:
    mask = 0
    for value in values:
        if not 0 <= int(value) < 31:
            raise ValueError(f"bit {value} out of range")
        mask |= 1 << int(value)
    return mask


def from_mask(mask: int) -> list[int]:
    return [bit for bit in range(31) if mask & (1 << bit)]


def choices_to_mask(selected: Iterable[str], choices: Sequence[str]) -> int:
    """Map string choices (e.g. school kinds) to bits by their position in `choices`."""
    return to_mask(choices.index(value) for value in selected)


def mask_to_choices(mask: int, choices: Sequence[str]) -> list[str]:
    return [choices[bit] for bit in from_mask(mask) if bit < len(choices)]


def filter_any(
    qs: QuerySet, field: str, values: Iterable[int], *, empty_means_all: bool = True
) -> QuerySet:  # type: ignore[type-arg]
    """Rows whose mask shares at least one bit with `values` (or whose mask is 0, meaning 'all')."""
    wanted = to_mask(values)
    if not wanted:
        return qs
    alias = f"_{field}_hit"
    qs = qs.alias(**{alias: F(field).bitand(wanted)})
    condition = Q(**{f"{alias}__gt": 0})
    if empty_means_all:
        condition |= Q(**{field: 0})
    return qs.filter(condition)
