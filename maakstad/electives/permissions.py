"""Who may see and change what in external electives.

- The programme office (write roles) of the region runs everything: courses, rounds, runs, swaps.
- School staff enter and correct choices for their own pupils; the school's coordinators
  (coordinator roles) see who has not chosen yet, send reminders and see their school's list.
- A provider (company, mbo, vmbo school hosting a course) sees its own sections' rosters.
- A pupil chooses and sees their own result.
- Every logged-in user of the region may browse the course guide.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from maakstad.electives.models import ChoiceRound, ElectivePeriod, Section
from maakstad.organisations import permissions as org_perms
from maakstad.organisations.models import Organisation, Pupil, Role

SCHOOL_COORDINATOR_ROLES = frozenset(
    {Role.STO_COORDINATOR, Role.LOB_COORDINATOR, Role.DECAAN, Role.ORG_ADMIN}
)
PROVIDER_ROLES = frozenset({Role.COMPANY_CONTACT, Role.MBO_STAFF, Role.ORG_ADMIN, Role.TEACHER})


def is_manager(user: Any, region_id: int | None = None) -> bool:
    """The programme office, which runs the rounds and the allocation."""
    return org_perms.is_programme_office(user, write=True, region_id=region_id)


def coordinator_school_ids(user: Any) -> set[int]:
    return {
        m.organisation_id
        for m in org_perms.memberships(user)
        if m.role in SCHOOL_COORDINATOR_ROLES and m.organisation.is_school
    }


def provider_ids(user: Any) -> set[int]:
    return {m.organisation_id for m in org_perms.memberships(user) if m.role in PROVIDER_ROLES}


def periods_for_user(user: Any) -> QuerySet[ElectivePeriod]:
    return ElectivePeriod.objects.filter(region_id__in=org_perms.region_ids(user))


def get_period_for_user(user: Any, pk: int) -> ElectivePeriod:
    period = periods_for_user(user).select_related("school_year").filter(pk=pk).first()
    if period is None:
        raise Http404
    return period


def rounds_for_user(user: Any) -> QuerySet[ChoiceRound]:
    """Rounds visible to staff: the programme office and school staff of the region."""
    if org_perms.pupil_of(user) is not None:
        return ChoiceRound.objects.none()
    regions = org_perms.programme_region_ids(user) | {
        m.organisation.region_id
        for m in org_perms.memberships(user)
        if m.organisation_id in org_perms.school_ids_as_staff(user)
    }
    return ChoiceRound.objects.filter(region_id__in=regions)


def get_round_for_user(user: Any, pk: int, *, manage: bool = False) -> ChoiceRound:
    choice_round = rounds_for_user(user).filter(pk=pk).first()
    if choice_round is None:
        raise Http404
    if manage and not is_manager(user, choice_round.region_id):
        raise PermissionDenied
    return choice_round


def get_round_for_pupil(user: Any, pk: int) -> tuple[ChoiceRound, Pupil]:
    pupil = org_perms.pupil_of(user)
    if pupil is None:
        raise Http404
    choice_round = ChoiceRound.objects.filter(pk=pk, region_id=pupil.school.region_id).first()
    if choice_round is None:
        raise Http404
    return choice_round, pupil


def get_school_for_coordinator(user: Any, choice_round: ChoiceRound, school_id: int | None) -> int:
    """The school whose status a coordinator looks at (their own; the office may pick any)."""
    own = sorted(coordinator_school_ids(user))
    if school_id is None:
        if own:
            return own[0]
        raise PermissionDenied
    if school_id in own:
        return school_id
    if (
        is_manager(user, choice_round.region_id)
        and Organisation.objects.filter(pk=school_id, region_id=choice_round.region_id).exists()
    ):
        return school_id
    raise Http404


def sections_for_provider(user: Any) -> QuerySet[Section]:
    return Section.objects.filter(course__provider_id__in=provider_ids(user))


def get_section_for_user(user: Any, pk: int) -> Section:
    """A section's roster: for the provider and the programme office."""
    section = (
        Section.objects.select_related("course__provider", "course__location", "period")
        .filter(pk=pk)
        .first()
    )
    if section is None:
        raise Http404
    if section.course.provider_id in provider_ids(user) or is_manager(
        user, section.course.region_id
    ):
        return section
    raise Http404


def get_pupil_for_mentor(user: Any, pk: int) -> Pupil:
    """School staff may enter choices for pupils of their own school."""
    return org_perms.get_pupil_for_user(user, pk)
