"""Who may see and act on bookings.

- School staff book for their own school and see its bookings.
- A provider's people (the roles that manage its offers, see `catalogue.permissions`) see the
  bookings made with that provider and act on them; they see a class's name and size, never
  pupils.
- The programme office sees every booking in its region, sets quotas and pricing, and reads the
  load report; write roles may act for a provider (the desk that arranges requests).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from maakstad.bookings.models import Booking
from maakstad.catalogue.permissions import provider_ids
from maakstad.organisations.permissions import (
    is_programme_office,
    programme_region_ids,
    school_ids_as_staff,
)


def can_book(user: Any) -> bool:
    return bool(school_ids_as_staff(user))


def bookings_for_user(user: Any) -> QuerySet[Booking]:
    """Every booking the user may see."""
    if not getattr(user, "is_authenticated", False):
        return Booking.objects.none()
    visible = Q(school_id__in=school_ids_as_staff(user)) | Q(provider_id__in=provider_ids(user))
    regions = programme_region_ids(user)
    if regions:
        visible |= Q(region_id__in=regions)
    return Booking.objects.filter(visible)


def get_booking_for_user(user: Any, pk: int) -> Booking:
    booking = (
        bookings_for_user(user)
        .select_related("offer", "offer__location", "provider", "school", "slot", "teacher")
        .filter(pk=pk)
        .first()
    )
    if booking is None:
        raise Http404
    return booking


def acts_as_school(user: Any, booking: Booking) -> bool:
    return booking.school_id in school_ids_as_staff(user)


def acts_as_provider(user: Any, booking: Booking) -> bool:
    return booking.provider_id in provider_ids(user) or is_programme_office(
        user, write=True, region_id=booking.region_id
    )


def may_manage_provider(user: Any, provider_id: int, region_id: int) -> bool:
    return provider_id in provider_ids(user) or is_programme_office(
        user, write=True, region_id=region_id
    )
