"""Access to the programme's monitoring: the programme office and steering group of the region;
schools see and fill in their own school report."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from maakstad.monitoring.models import Programme, SchoolReport
from maakstad.organisations import permissions
from maakstad.organisations.models import Role

REPORTING_ROLES = (Role.STO_COORDINATOR, Role.ORG_ADMIN, Role.DECAAN, Role.LOB_COORDINATOR)


def programmes_for_user(user: Any) -> QuerySet[Programme]:
    return Programme.objects.filter(region_id__in=permissions.programme_region_ids(user))


def get_programme_for_user(user: Any, *, write: bool = False) -> Programme:
    """The programme of the user's region (programme office and steering group)."""
    regions = permissions.programme_region_ids(user, write=write)
    programme = Programme.objects.filter(region_id__in=regions).select_related("region").first()
    if programme is None:
        if write and permissions.programme_region_ids(user):
            raise PermissionDenied
        raise Http404
    return programme


def can_review(user: Any, programme: Programme) -> bool:
    return permissions.has_role(
        user, Role.PROJECT_LEAD, Role.PROGRAMME_MANAGER
    ) and programme.region_id in permissions.programme_region_ids(user)


def reporting_school_ids(user: Any) -> set[int]:
    return permissions.organisation_ids(user, *REPORTING_ROLES) & permissions.school_ids_as_staff(
        user
    )


def school_reports_for_user(user: Any) -> QuerySet[SchoolReport]:
    from django.db.models import Q

    return SchoolReport.objects.filter(
        Q(school_id__in=reporting_school_ids(user))
        | Q(programme__region_id__in=permissions.programme_region_ids(user))
    )


def get_school_report_for_user(user: Any, pk: int, *, write: bool = False) -> SchoolReport:
    report = (
        school_reports_for_user(user)
        .select_related("school", "school_year", "programme")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    if write and report.school_id not in reporting_school_ids(user):
        raise PermissionDenied
    return report


def get_school_for_dashboard(user: Any, pk: int) -> tuple[Any, Programme]:
    """A school's dashboard: its own staff, and the programme office of its region (404 otherwise)."""
    from maakstad.organisations.models import SCHOOL_KINDS, Organisation

    school = Organisation.objects.filter(pk=pk, kind__in=SCHOOL_KINDS).first()
    if school is None or not (
        school.pk in permissions.school_ids_as_staff(user)
        or school.region_id in permissions.programme_region_ids(user)
    ):
        raise Http404
    programme = Programme.objects.filter(region_id=school.region_id).first()
    if programme is None:
        raise Http404
    return school, programme
