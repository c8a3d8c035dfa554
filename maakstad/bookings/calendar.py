"""iCalendar files: one event per booking (attached to confirmations) and subscribable feeds."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as ICalEvent

from maakstad.bookings.models import Booking, Status
from maakstad.core.notifications import absolute_url


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Maakstad//Boekingen//NL")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    return cal


def _event(booking: Booking) -> ICalEvent | None:
    if booking.starts_at is None:
        return None
    event = ICalEvent()
    host = settings.MAAKSTAD_SITE_URL.split("//")[-1].split("/")[0] or "maakstad"
    event.add("uid", f"booking-{booking.pk}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", booking.starts_at)
    event.add("dtend", booking.ends_at or booking.starts_at)
    event.add("summary", f"{booking.offer.title} – {booking.provider.label} ({booking.class_name})")
    location = (
        booking.slot.location if booking.slot and booking.slot.location else booking.offer.location
    )
    if location is not None:
        event.add("location", str(location))
    event.add("description", f"{booking.school.label}, {booking.pupils_count} leerlingen.")
    event.add("url", absolute_url(f"/boekingen/{booking.pk}/"))
    event.add("status", "CANCELLED" if booking.status == Status.CANCELLED else "CONFIRMED")
    return event


def booking_ics(booking: Booking) -> bytes:
    cal = _calendar("Maakstad")
    event = _event(booking)
    if event is not None:
        cal.add_component(event)
    return cal.to_ical()


def feed_ics(bookings: Iterable[Booking], name: str) -> bytes:
    cal = _calendar(name)
    for booking in bookings:
        event = _event(booking)
        if event is not None:
            cal.add_component(event)
    return cal.to_ical()
