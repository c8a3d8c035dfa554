"""Test helpers for bookings, shared by the app's tests and the benchmark."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from maakstad.bookings import services
from maakstad.bookings.models import Booking, Slot, SlotUnit
from maakstad.catalogue.models import BookingMode, Offer
from maakstad.catalogue.testing import OfferFactory


def scheduled_offer(provider: Any, **fields: Any) -> Offer:
    return OfferFactory.create(provider=provider, booking_mode=BookingMode.SCHEDULED, **fields)


def on_request_offer(provider: Any, **fields: Any) -> Offer:
    return OfferFactory.create(provider=provider, booking_mode=BookingMode.ON_REQUEST, **fields)


def make_slot(
    offer: Offer, *, capacity: int = 60, days: int = 14, unit: str = SlotUnit.PUPILS
) -> Slot:
    starts = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(
        days=days
    )
    return services.slot_save(
        offer=offer,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        capacity=capacity,
        unit=unit,
        actor=None,
    )


def book_class(world: Any, offer: Offer | None = None, **fields: Any) -> Booking:
    """School A's teacher books class 3K onto a new moment of the company's offer."""
    offer = offer or scheduled_offer(world.company)
    values: dict[str, Any] = {
        "class_name": "3K",
        "pupils_count": 20,
        "leerjaar": 3,
        "slot": make_slot(offer),
        **fields,
    }
    return services.booking_request(
        offer=offer, school=world.school_a, actor=world.user("teacher_a"), **values
    )
