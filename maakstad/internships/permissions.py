"""Who may see and do what in the internship chain (DESIGN.md §4.3-4.4).

- a pupil: their own applications;
- school staff: applications of pupils of their school (mentor roles may decide and apply);
- a company: applications for its ads, only once the guardians approved (and minimally);
- the programme office: read-only, their region.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from maakstad.catalogue import activity_types
from maakstad.catalogue.models import OfferStatus
from maakstad.internships.models import Application, InternshipAd
from maakstad.organisations.models import VO_KINDS, OrganisationKind, Role
from maakstad.organisations.permissions import (
    memberships,
    programme_region_ids,
    pupil_of,
    region_ids,
    school_ids_as_staff,
)

MENTOR_ROLES = frozenset(
    {Role.MENTOR, Role.DECAAN, Role.LOB_COORDINATOR, Role.STO_COORDINATOR, Role.ORG_ADMIN}
)
COMPANY_ROLES = frozenset({Role.COMPANY_CONTACT, Role.ORG_ADMIN, Role.MBO_STAFF})
# Organisations that host deepening internships.
HOST_KINDS = (OrganisationKind.COMPANY, OrganisationKind.PARTNER, OrganisationKind.MBO)


def mentor_school_ids(user: Any) -> set[int]:
    """Schools where the user may approve applications and apply on a pupil's behalf."""
    return {
        m.organisation_id
        for m in memberships(user)
        if m.role in MENTOR_ROLES and m.organisation.kind in VO_KINDS
    }


def company_ids(user: Any) -> set[int]:
    """Organisations whose internship ads the user manages."""
    return {
        m.organisation_id
        for m in memberships(user)
        if m.role in COMPANY_ROLES and m.organisation.kind in HOST_KINDS
    }


def is_mentor_for(user: Any, application: Application) -> bool:
    return application.pupil.school_id in mentor_school_ids(user)


def is_company_for(user: Any, application: Application) -> bool:
    return application.ad.offer.provider_id in company_ids(user)


def is_pupil_of(user: Any, application: Application) -> bool:
    pupil = pupil_of(user)
    return pupil is not None and pupil.pk == application.pupil_id


def ads_for_user(user: Any) -> QuerySet[InternshipAd]:
    """Published internship ads in the user's region(s), plus the user's own company's ads."""
    if not getattr(user, "is_authenticated", False):
        return InternshipAd.objects.none()
    qs = InternshipAd.objects.filter(offer__activity_type__code=activity_types.VERDIEPENDE_STAGE)
    regions = region_ids(user)
    pupil = pupil_of(user)
    if pupil is not None:
        regions.add(pupil.school.region_id)
    return qs.filter(
        Q(offer__status=OfferStatus.PUBLISHED, offer__provider__region_id__in=regions)
        | Q(offer__provider_id__in=company_ids(user))
    )


def get_ad_for_user(user: Any, pk: int, *, write: bool = False) -> InternshipAd:
    ad = ads_for_user(user).select_related("offer").filter(pk=pk).first()
    if ad is None:
        raise Http404
    if write and ad.offer.provider_id not in company_ids(user):
        raise PermissionDenied
    return ad


def applications_for_user(user: Any) -> QuerySet[Application]:
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    condition = Q(pupil__school_id__in=school_ids_as_staff(user)) | Q(
        ad__offer__provider_id__in=company_ids(user), reached_company=True
    )
    pupil = pupil_of(user)
    if pupil is not None:
        condition |= Q(pupil=pupil)
    regions = programme_region_ids(user)
    if regions:
        condition |= Q(pupil__school__region_id__in=regions)
    return Application.objects.filter(condition)


def get_application_for_user(user: Any, pk: int) -> Application:
    application = (
        applications_for_user(user)
        .select_related("ad__offer__provider", "ad__offer__location", "pupil__school", "week")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    return application


def sees_full_application(user: Any, application: Application) -> bool:
    """School staff, the pupil and the programme office; a company sees the minimal view."""
    return (
        is_pupil_of(user, application)
        or application.pupil.school_id in school_ids_as_staff(user)
        or application.pupil.school.region_id in programme_region_ids(user)
    )
