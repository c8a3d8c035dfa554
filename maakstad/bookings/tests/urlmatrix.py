from __future__ import annotations

from typing import Any

from maakstad.bookings import services
from maakstad.bookings.testing import book_class, make_slot, scheduled_offer
from maakstad.core.testing.matrix import DENIED, LOGIN, OK, REDIRECT, Outcomes, everyone, expect
from maakstad.core.testing.world import World


def _booking_pk(w: World) -> dict[str, Any]:
    return {"pk": book_class(w).pk}


def _offer_pk(w: World) -> dict[str, Any]:
    return {"offer_pk": scheduled_offer(w.company).pk}


def _slot_pk(w: World) -> dict[str, Any]:
    return {"pk": make_slot(scheduled_offer(w.company)).pk}


def _feed_token(w: World) -> dict[str, Any]:
    return {"token": services.feed_create(actor=w.user("company"), organisation=w.company).token}


BOOKING_PARTIES: Outcomes = {
    "anonymous": LOGIN,
    "pupil": DENIED,
    "teacher_a": OK,
    "teacher_b": DENIED,
    "company": OK,
    "programme": OK,
}
PROVIDER_SIDE: Outcomes = {
    "anonymous": LOGIN,
    "pupil": DENIED,
    "teacher_a": DENIED,
    "teacher_b": DENIED,
    "company": OK,
    "programme": OK,
}
EVERY_SCHOOL_AND_PROVIDER: Outcomes = {**BOOKING_PARTIES, "teacher_b": OK}
PROVIDER_ACTION: Outcomes = {**PROVIDER_SIDE, "company": REDIRECT, "programme": REDIRECT}
PROGRAMME_ONLY: Outcomes = {
    "anonymous": LOGIN,
    "pupil": DENIED,
    "teacher_a": DENIED,
    "teacher_b": DENIED,
    "company": DENIED,
    "programme": OK,
}

EXPECTATIONS = {
    "bookings:list": expect(**EVERY_SCHOOL_AND_PROVIDER),
    "bookings:detail": expect(**BOOKING_PARTIES, kwargs=_booking_pk),
    "bookings:ics": expect(**BOOKING_PARTIES, kwargs=_booking_pk),
    "bookings:action": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=REDIRECT,
        teacher_b=DENIED,
        company=REDIRECT,
        programme=REDIRECT,
        method="post",
        kwargs=lambda w: {**_booking_pk(w), "action": "annuleren"},
        data=lambda w: {"reason": "Bus valt uit"},
    ),
    "bookings:request": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=OK,
        teacher_b=OK,
        company=DENIED,
        programme=DENIED,
        kwargs=_offer_pk,
    ),
    "bookings:slots": expect(**PROVIDER_SIDE, kwargs=_offer_pk),
    "bookings:slot_cancel": expect(
        **PROVIDER_ACTION,
        method="post",
        kwargs=_slot_pk,
        data=lambda w: {"reason": "Storing"},
    ),
    # A vmbo school is a provider too (technology lessons for primary schools).
    "bookings:capacity": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=OK,
        teacher_b=OK,
        company=OK,
        programme=DENIED,
    ),
    "bookings:load": expect(**PROGRAMME_ONLY),
    "bookings:quotas": expect(**PROGRAMME_ONLY),
    "bookings:pricing": expect(**PROGRAMME_ONLY),
    "bookings:feeds": expect(**EVERY_SCHOOL_AND_PROVIDER),
    # The secret address is the key: no log-in, so calendar apps can fetch it.
    "bookings:feed": everyone(OK, kwargs=_feed_token),
}
