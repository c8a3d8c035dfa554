"""Reads for attendance pages: the check-out survey as a quality signal, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, QuerySet

from maakstad.attendance.models import Attendance, Session


def with_ratings(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Each session with the average pupil rating and how many pupils answered."""
    return sessions.annotate(
        pupil_rating=Avg("attendances__rating"), pupil_ratings=Count("attendances__rating")
    )


def session_ratings(session: Session) -> dict[str, Any]:
    summary = session.attendances.aggregate(average=Avg("rating"), count=Count("rating"))
    return {
        "pupil_average": summary["average"],
        "pupil_count": summary["count"],
        "supervisor": session.supervisor_rating,
    }


@dataclass
class ProviderQuality:
    provider_id: int
    name: str
    sessions: int
    rated_sessions: int
    supervisor_average: float | None
    pupil_average: float | None
    pupil_count: int


def quality_per_provider(sessions: QuerySet[Session]) -> list[ProviderQuality]:
    """Per host: how pupils and supervisors rated its sessions (two queries)."""
    rows = (
        sessions.values("provider_id", "provider__name")
        .annotate(
            n=Count("pk"),
            rated=Count("supervisor_rating"),
            supervisor=Avg("supervisor_rating"),
        )
        .order_by("provider__name")
    )
    pupils: dict[int, Any] = {
        row["session__provider_id"]: row
        for row in Attendance.objects.filter(session__in=sessions.values("pk"))
        .values("session__provider_id")
        .annotate(average=Avg("rating"), count=Count("rating"))
        .order_by()
    }
    return [
        ProviderQuality(
            provider_id=row["provider_id"],
            name=row["provider__name"],
            sessions=row["n"],
            rated_sessions=row["rated"],
            supervisor_average=row["supervisor"],
            pupil_average=pupils.get(row["provider_id"], {}).get("average"),
            pupil_count=pupils.get(row["provider_id"], {}).get("count", 0),
        )
        for row in rows
    ]
