"""Indicators computed from operational data, and the status of milestones.

An indicator is a function of the programme and optional cuts (school year, subregion, school kind,
school) that returns a number. Numeric milestones are bound to indicators by key; their values are
never typed in when the platform knows them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from maakstad.monitoring.models import Milestone, Programme


@dataclass(frozen=True)
class Cuts:
    school_year: str = ""  # "2025-2026"
    subregion: str = ""
    school_kind: str = ""
    school_id: int | None = None


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str
    compute: Callable[[Programme, Cuts], Decimal]
    # Whether the school cut applies (a school report shows only those).
    per_school: bool = True


REGISTRY: dict[str, Indicator] = {}

# Milestone key (code-ordinal, see plan_io) → indicator code.
DEFAULT_BINDINGS: dict[str, str] = {
    "1.1.2-1": "spacebuzz_classes",
    "1.1.2-2": "techmission_classes",
    "1.2-1": "po_pupils_technology_lessons",
    "1.3.2-2": "schools_parents_evening",
    "2.1.2-1": "schools_lesson_kits_year1",
    "2.1.3-1": "schools_lesson_kits_year2",
    "2.2.1-2": "companies_completed_internships",
    "2.2.2-4": "elective_periods_running",
    "2.4.6-1": "pro_vso_pupils_internship_technical",
}


def indicator(
    code: str, name: str, unit: str, *, per_school: bool = True
) -> Callable[[Callable[[Programme, Cuts], Decimal]], Callable[[Programme, Cuts], Decimal]]:
    def decorate(fn: Callable[[Programme, Cuts], Decimal]) -> Callable[[Programme, Cuts], Decimal]:
        REGISTRY[code] = Indicator(
            code=code, name=name, unit=unit, compute=fn, per_school=per_school
        )
        return fn

    return decorate


class MilestoneStatus(models.TextChoices):
    ACHIEVED = "achieved", _("Behaald")
    ON_TRACK = "on_track", _("Op schema")
    AT_RISK = "at_risk", _("Risico")
    LATE = "late", _("Te laat")


def is_computed(milestone: Milestone) -> bool:
    """Whether the platform measures the milestone (its indicator is registered)."""
    return bool(milestone.indicator_code) and milestone.indicator_code in REGISTRY


def milestone_status(
    milestone: Milestone, value: Decimal | None, *, today: dt.date, programme_start: dt.date
) -> str:
    """Derive the status: behaald, op schema, risico or te laat.

    Numeric milestones compare the value (the indicator's, or for milestones the platform does
    not measure the value reported by the programme office) with the target and with linear
    progress from the programme's start to the end of the target quarter. A milestone the
    platform does not measure is also achieved when the programme office recorded `achieved_on`.
    """
    target = milestone.numeric_target
    if target is not None and value is not None and value >= target:
        return MilestoneStatus.ACHIEVED
    if milestone.achieved_on is not None and not is_computed(milestone):
        return MilestoneStatus.ACHIEVED
    end = milestone.target_end
    if today > end:
        return MilestoneStatus.LATE
    if target is not None and value is not None and target > 0:
        span = max((end - programme_start).days, 1)
        expected = Decimal(max((today - programme_start).days, 0)) / Decimal(span)
        return (
            MilestoneStatus.AT_RISK
            if value / target < expected * Decimal("0.8")
            else MilestoneStatus.ON_TRACK
        )
    return MilestoneStatus.AT_RISK if (end - today).days <= 45 else MilestoneStatus.ON_TRACK
