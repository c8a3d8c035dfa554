"""Who sees which sessions: the host's staff and named supervisors run them; the programme office
reads them; pupils only check in to sessions they are expected at."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from maakstad.attendance.models import Session
from maakstad.organisations import permissions
from maakstad.organisations.models import Role

HOST_ROLES = (Role.COMPANY_CONTACT, Role.MBO_STAFF, Role.ORG_ADMIN, Role.TEACHER)


def supervised_sessions(user: Any) -> QuerySet[Session]:
    if not getattr(user, "is_authenticated", False) or permissions.pupil_of(user) is not None:
        return Session.objects.none()
    hosts = permissions.organisation_ids(user, *HOST_ROLES)
    return Session.objects.filter(Q(provider_id__in=hosts) | Q(supervisors=user)).distinct()


def sessions_for_user(user: Any) -> QuerySet[Session]:
    regions = permissions.programme_region_ids(user)
    return Session.objects.filter(
        Q(pk__in=supervised_sessions(user).values("pk")) | Q(region_id__in=regions)
    )


def get_session_for_user(user: Any, pk: int, *, write: bool = False) -> Session:
    session = sessions_for_user(user).filter(pk=pk).select_related("provider", "location").first()
    if session is None:
        raise Http404
    if write and not supervised_sessions(user).filter(pk=pk).exists():
        raise PermissionDenied
    return session


def can_report_hours(user: Any) -> set[int]:
    """Schools for which the user may report regular internship hours."""
    return permissions.organisation_ids(
        user, Role.STO_COORDINATOR, Role.ORG_ADMIN, Role.DECAAN
    ) & permissions.school_ids_as_staff(user)
