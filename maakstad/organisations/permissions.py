"""Who may see and change what (DESIGN.md §4.3-4.4).

Every object taken from a URL goes through a `get_<obj>_for_user` helper that raises Http404 for
what the user may not see; every list starts from an `<objs>_for_user` queryset.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from maakstad.organisations.models import (
    PROGRAMME_ROLES,
    PROGRAMME_WRITE_ROLES,
    SCHOOL_STAFF_ROLES,
    Membership,
    Organisation,
    Pupil,
    Role,
)


def memberships(user: Any) -> list[Membership]:
    """The user's memberships with their organisations, loaded once per request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_maakstad_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, organisation__is_active=True).select_related(
                "organisation", "organisation__region"
            )
        )
        user._maakstad_memberships = cached
    return cached


def roles(user: Any, organisation_id: int | None = None) -> set[str]:
    return {
        m.role
        for m in memberships(user)
        if organisation_id is None or m.organisation_id == organisation_id
    }


def has_role(user: Any, *wanted: str, organisation_id: int | None = None) -> bool:
    return bool(roles(user, organisation_id) & set(wanted))


def programme_region_ids(user: Any, *, write: bool = False) -> set[int]:
    """Regions in which the user works for the programme office."""
    allowed = PROGRAMME_WRITE_ROLES if write else PROGRAMME_ROLES
    return {m.organisation.region_id for m in memberships(user) if m.role in allowed}


def is_programme_office(user: Any, *, write: bool = False, region_id: int | None = None) -> bool:
    regions = programme_region_ids(user, write=write)
    return bool(regions) if region_id is None else region_id in regions


def region_ids(user: Any) -> set[int]:
    return {m.organisation.region_id for m in memberships(user)}


def primary_region_id(user: Any) -> int | None:
    ids = sorted(region_ids(user))
    return ids[0] if ids else None


def organisation_ids(user: Any, *only_roles: str) -> set[int]:
    return {m.organisation_id for m in memberships(user) if not only_roles or m.role in only_roles}


def school_ids_as_staff(user: Any) -> set[int]:
    """Schools where the user works as staff (teacher, mentor, coordinator, ...)."""
    return {
        m.organisation_id
        for m in memberships(user)
        if m.role in SCHOOL_STAFF_ROLES and m.organisation.is_school
    }


_NOT_LOADED = object()


def pupil_of(user: Any) -> Pupil | None:
    """The user's pupil record, or None; looked up once per request (a miss is cached too)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_maakstad_pupil", _NOT_LOADED)
    if cached is _NOT_LOADED:
        cached = Pupil.objects.filter(user=user).select_related("school").first()
        user._maakstad_pupil = cached
    return cached  # type: ignore[return-value]


def organisations_for_user(user: Any) -> QuerySet[Organisation]:
    """Organisations whose profile the user may see: all of their region(s) for logged-in staff."""
    if not getattr(user, "is_authenticated", False) or pupil_of(user) is not None:
        return Organisation.objects.none()
    return Organisation.objects.filter(region_id__in=region_ids(user), is_active=True)


def can_manage_organisation(user: Any, organisation: Organisation) -> bool:
    return has_role(user, Role.ORG_ADMIN, organisation_id=organisation.pk) or is_programme_office(
        user, write=True, region_id=organisation.region_id
    )


def get_organisation_for_user(user: Any, pk: int, *, write: bool = False) -> Organisation:
    organisation = organisations_for_user(user).filter(pk=pk).first()
    if organisation is None:
        raise Http404
    if write and not can_manage_organisation(user, organisation):
        raise PermissionDenied
    return organisation


def pupils_for_user(user: Any) -> QuerySet[Pupil]:
    """Pupils visible to school staff of the pupil's own school; nobody else sees the list."""
    return Pupil.objects.filter(school_id__in=school_ids_as_staff(user), anonymised_at__isnull=True)


def get_pupil_for_user(user: Any, pk: int) -> Pupil:
    pupil = pupils_for_user(user).filter(pk=pk).first()
    if pupil is None:
        raise Http404
    return pupil
