"""Who may see and change the menukaart.

- Published offers are visible to every logged-in user of the offer's region (staff and pupils).
  The menukaart is *not* public: offers carry contact persons' names, e-mail addresses and phone
  numbers, and the region's partners agreed to share them with schools, not with the internet.
  Anonymous visitors are sent to the log-in page.
- A provider manages its own offers: company contacts and org admins of a company or partner,
  mbo staff and org admins of an mbo college, and staff of a vmbo school for lessons to primary
  schools (`techniekles-po`) only.
- The programme office (write roles) curates every offer in its region, edits the activity
  types and marks TechTown offers; read-only programme roles see drafts but change nothing.
- The contact directory is for logged-in staff (not pupils).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from maakstad.catalogue import activity_types
from maakstad.catalogue.models import ActivityType, Offer, OfferStatus
from maakstad.organisations.models import (
    SCHOOL_STAFF_ROLES,
    Organisation,
    OrganisationKind,
    Role,
)
from maakstad.organisations.permissions import (
    is_programme_office,
    memberships,
    programme_region_ids,
    pupil_of,
    region_ids,
)

# Roles that may publish offers for each kind of provider.
PROVIDER_ROLES: dict[str, frozenset[str]] = {
    OrganisationKind.COMPANY: frozenset({Role.COMPANY_CONTACT, Role.ORG_ADMIN}),
    OrganisationKind.PARTNER: frozenset({Role.COMPANY_CONTACT, Role.ORG_ADMIN}),
    OrganisationKind.MBO: frozenset({Role.MBO_STAFF, Role.ORG_ADMIN}),
    # A vmbo school offers technology lessons to primary schools.
    OrganisationKind.VMBO: frozenset(SCHOOL_STAFF_ROLES),
}
# Activity types a vmbo school may offer (to primary schools).
VMBO_TYPES = frozenset({activity_types.TECHNIEKLES_PO})


def is_logged_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_staff(user: Any) -> bool:
    """A logged-in grown-up of the region: anyone with a membership who is not a pupil."""
    return is_logged_in(user) and pupil_of(user) is None and bool(region_ids(user))


def provider_ids(user: Any) -> set[int]:
    """Organisations for which the user may publish offers themselves."""
    return {
        m.organisation_id
        for m in memberships(user)
        if m.role in PROVIDER_ROLES.get(m.organisation.kind, frozenset())
    }


def provider_organisations(user: Any) -> QuerySet[Organisation]:
    """Providers the user may create offers for (the programme office: every provider)."""
    own = Q(pk__in=provider_ids(user))
    regions = programme_region_ids(user, write=True)
    if regions:
        own |= Q(
            region_id__in=regions,
            kind__in=[
                OrganisationKind.COMPANY,
                OrganisationKind.PARTNER,
                OrganisationKind.MBO,
                OrganisationKind.VMBO,
            ],
        )
    return Organisation.objects.filter(own, is_active=True).order_by("name")


def is_provider(user: Any) -> bool:
    return bool(provider_ids(user)) or is_programme_office(user, write=True)


def can_offer_type(provider: Organisation, activity_type: ActivityType) -> bool:
    if provider.kind == OrganisationKind.VMBO:
        return activity_type.code in VMBO_TYPES
    return True


def offers_for_user(user: Any) -> QuerySet[Offer]:
    """Published offers of the user's regions, plus every offer the user manages or curates."""
    if not is_logged_in(user):
        return Offer.objects.none()
    visible = Q(status=OfferStatus.PUBLISHED, provider__region_id__in=region_ids(user))
    own = provider_ids(user)
    if own:
        visible |= Q(provider_id__in=own)
    curated = programme_region_ids(user)
    if curated:
        visible |= Q(provider__region_id__in=curated)
    return Offer.objects.filter(visible)


def can_edit(user: Any, offer: Offer) -> bool:
    return offer.provider_id in provider_ids(user) or is_programme_office(
        user, write=True, region_id=offer.activity_type.region_id
    )


def can_curate(user: Any, region_id: int) -> bool:
    return is_programme_office(user, write=True, region_id=region_id)


def get_offer_for_user(user: Any, pk: int, *, write: bool = False) -> Offer:
    offer = (
        offers_for_user(user)
        .select_related("provider", "provider__region", "activity_type", "location", "contact")
        .filter(pk=pk)
        .first()
    )
    if offer is None:
        raise Http404
    if write and not can_edit(user, offer):
        raise PermissionDenied
    return offer


def activity_types_for_user(user: Any) -> QuerySet[ActivityType]:
    if not is_logged_in(user):
        return ActivityType.objects.none()
    return ActivityType.objects.filter(region_id__in=region_ids(user))


def get_activity_type_for_user(user: Any, pk: int, *, write: bool = False) -> ActivityType:
    found = activity_types_for_user(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    if write and not can_curate(user, found.region_id):
        raise PermissionDenied
    return found
