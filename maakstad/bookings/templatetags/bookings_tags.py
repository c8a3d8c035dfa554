"""The booking panel on an offer's page (the catalogue shows it; bookings owns it)."""

from __future__ import annotations

from typing import Any

from django import template

from maakstad.bookings import permissions, selectors
from maakstad.catalogue import activity_types
from maakstad.catalogue.models import Offer, OfferStatus

register = template.Library()

# Internships and external electives have their own front doors.
NOT_BOOKED_HERE = frozenset({activity_types.VERDIEPENDE_STAGE, activity_types.EXTERN_KEUZEVAK})


@register.inclusion_tag("bookings/panel.html", takes_context=True)
def booking_panel(context: dict[str, Any], offer: Offer) -> dict[str, Any]:
    user = context["request"].user
    bookable = (
        offer.status == OfferStatus.PUBLISHED and offer.activity_type.code not in NOT_BOOKED_HERE
    )
    can_manage = permissions.may_manage_provider(user, offer.provider_id, offer.provider.region_id)
    return {
        "offer": offer,
        "slots": selectors.upcoming_slots(offer)[:6] if bookable else [],
        "can_book": bookable and permissions.can_book(user),
        "can_manage": can_manage and offer.activity_type.code not in NOT_BOOKED_HERE,
    }
