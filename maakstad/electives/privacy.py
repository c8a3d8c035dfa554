"""Electives' part of a pupil's data export and anonymisation (see organisations.privacy).

Choices, allocation results and placements hold no text about the pupil; they stay, so rosters of
past periods and the monitoring keep their counts."""

from __future__ import annotations

from typing import Any

from maakstad.electives.models import Choice, Placement
from maakstad.organisations.models import Pupil


def export_pupil(pupil: Pupil) -> dict[str, Any]:
    return {
        "elective_choices": [
            {"round": c.round.name, "course": c.section.course.title, "rank": c.rank}
            for c in Choice.objects.filter(pupil=pupil).select_related("round", "section__course")
        ],
        "elective_placements": [
            {"period": p.period.name, "course": p.section.course.title, "rank": p.rank}
            for p in Placement.objects.filter(pupil=pupil).select_related(
                "period", "section__course"
            )
        ],
    }


def anonymise_pupil(pupil: Pupil) -> None:
    """Nothing identifying is stored here beyond the link to the (anonymised) pupil."""
