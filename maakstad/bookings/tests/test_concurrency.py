"""Many schools racing for the last seats of one moment, on a real database with real row locks.

The race runs only on PostgreSQL: SQLite serialises writers on the whole database file, so it
proves nothing about `select_for_update` and the conditional UPDATE. The constraint test runs on
both databases.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum

from maakstad.bookings import services
from maakstad.bookings.models import Booking, Slot, SlotUnit, Status
from maakstad.bookings.testing import make_slot, scheduled_offer
from maakstad.core.testing.factories import OrganisationFactory
from maakstad.core.testing.world import build_world
from maakstad.organisations.models import OrganisationKind

ATTEMPTS = 40
CAPACITY = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("unit", "pupils_count", "fits"),
    [
        (SlotUnit.GROUPS, 25, CAPACITY),  # one seat per class: 20 classes fit
        (SlotUnit.PUPILS, 5, CAPACITY // 5),  # five seats per class: 4 classes fit
    ],
)
def test_concurrent_requests_never_oversell_a_slot(unit: str, pupils_count: int, fits: int) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite locks the whole database file, so the row locks and the "
            "conditional UPDATE are not exercised"
        )
    world = build_world()
    offer = scheduled_offer(world.company)
    slot = make_slot(offer, capacity=CAPACITY, unit=unit)
    # Two more schools, so that the racing classes come from four schools (ten classes each).
    schools = [world.school_a, world.school_b] + [
        OrganisationFactory.create(region=world.region, kind=OrganisationKind.VMBO)
        for _ in range(2)
    ]
    teachers = {
        world.school_a.pk: world.user("teacher_a"),
        world.school_b.pk: world.user("teacher_b"),
    }
    attempts = [(schools[i % len(schools)], f"3K{i // len(schools)}") for i in range(ATTEMPTS)]

    barrier = threading.Barrier(ATTEMPTS, timeout=30)
    results: list[str] = []
    errors: list[Exception] = []
    guard = threading.Lock()

    def attempt(school: Any, class_name: str) -> None:
        try:
            barrier.wait()
            booking = services.booking_request(
                offer=offer,
                school=school,
                actor=teachers.get(school.pk),
                class_name=class_name,
                pupils_count=pupils_count,
                leerjaar=3,
                slot=slot,
            )
            with guard:
                results.append(booking.status)
        except Exception as exc:  # every failure is reported by the assertions below
            with guard:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=pair) for pair in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads), "a booking attempt hung"
    assert errors == []
    assert len(results) == ATTEMPTS
    assert results.count(Status.REQUESTED) == fits
    assert results.count(Status.WAITING) == ATTEMPTS - fits
    slot.refresh_from_db()
    assert slot.seats_taken == CAPACITY
    held = Booking.objects.filter(slot=slot, status=Status.REQUESTED)
    assert held.count() == fits
    assert held.aggregate(seats=Sum("seats"))["seats"] == CAPACITY
    waiting = Booking.objects.filter(slot=slot, status=Status.WAITING)
    assert waiting.count() == ATTEMPTS - fits
    assert not waiting.exclude(seats=0).exists()


@pytest.mark.django_db
def test_database_refuses_an_oversold_slot(world: Any) -> None:
    slot = make_slot(scheduled_offer(world.company), capacity=CAPACITY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(seats_taken=CAPACITY + 1)
    assert Slot.objects.get(pk=slot.pk).seats_taken == 0
