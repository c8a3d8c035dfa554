"""Monitoring's part of a pupil's data export and anonymisation (see organisations.privacy).

A follow-up choice holds the moment, technical yes/no and gender: no text. It stays, linked to the
anonymous pupil, so the impact figures (shown only for groups of at least 5) do not change."""

from __future__ import annotations

from typing import Any

from maakstad.monitoring.models import FollowUpChoice
from maakstad.organisations.models import Pupil


def export_pupil(pupil: Pupil) -> dict[str, Any]:
    return {
        "follow_up_choices": [
            {
                "school_year": c.school_year.name,
                "moment": c.stage,
                "technical": c.is_technical,
                "gender": c.gender,
            }
            for c in FollowUpChoice.objects.filter(pupil=pupil).select_related("school_year")
        ]
    }


def anonymise_pupil(pupil: Pupil) -> None:
    """Nothing identifying is stored here beyond the link to the (anonymised) pupil."""
