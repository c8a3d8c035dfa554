"""Every transition tells the other side: in the inbox and by e-mail."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from maakstad.bookings import services
from maakstad.bookings.models import Booking, LoadLimit, LoadPer, Overflow, Status
from maakstad.bookings.testing import make_slot, on_request_offer, scheduled_offer
from maakstad.core.models import Notification


def ask(world, offer, *, school=None, user="teacher_a", **fields):
    values = {"class_name": "3K", "pupils_count": 20, "leerjaar": 3, **fields}
    return services.booking_request(
        offer=offer, school=school or world.school_a, actor=world.user(user), **values
    )


def told(user, subject_start: str) -> bool:
    inbox = Notification.objects.filter(recipient=user, subject__startswith=subject_start)
    mailed = [m for m in mail.outbox if m.subject.startswith(subject_start) and user.email in m.to]
    return inbox.exists() and bool(mailed)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.mark.django_db
def test_decline_tells_the_school(world, commit):
    offer = scheduled_offer(world.company)
    booking = ask(world, offer, slot=make_slot(offer))
    with commit():
        services.booking_decline(booking=booking, actor=world.user("company"), reason="Te druk")
    assert told(world.user("teacher_a"), "Afgewezen")


@pytest.mark.django_db
def test_counter_proposal_tells_the_school(world, commit):
    offer = on_request_offer(world.company)
    booking = ask(world, offer, preferred_dates=[timezone.localdate() + dt.timedelta(days=20)])
    with commit():
        services.booking_counter(
            booking=booking,
            actor=world.user("company"),
            starts_at=timezone.now() + dt.timedelta(days=25),
        )
    assert told(world.user("teacher_a"), "Tegenvoorstel")


@pytest.mark.django_db
def test_cancel_tells_the_other_side(world, commit):
    offer = scheduled_offer(world.company)
    booking = ask(world, offer, slot=make_slot(offer, days=20))
    with commit():
        services.booking_cancel(
            booking=booking, actor=world.user("teacher_a"), reason="Toets", by_provider=False
        )
    assert told(world.user("company"), "Geannuleerd")
    other = ask(world, offer, slot=make_slot(offer, days=21), class_name="3L")
    with commit():
        services.booking_cancel(
            booking=other, actor=world.user("company"), reason="Ziek", by_provider=True
        )
    assert told(world.user("teacher_a"), "Geannuleerd")


@pytest.mark.django_db
def test_expiry_tells_the_school(world, commit):
    offer = scheduled_offer(world.company)
    slot = make_slot(offer, capacity=30)
    first = ask(world, offer, slot=slot, pupils_count=25)
    waiting = ask(world, offer, slot=slot, school=world.school_b, user="teacher_b")
    services.booking_decline(booking=first, actor=world.user("company"), reason="Te druk")
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    with commit():
        services.housekeeping(now=waiting.offer_expires_at + dt.timedelta(minutes=1))
    assert told(world.user("teacher_b"), "Aanbod verlopen")


@pytest.mark.django_db
@pytest.mark.parametrize(("showed_up", "subject"), [(True, "Afgerond"), (False, "Niet verschenen")])
def test_close_tells_the_school(world, commit, showed_up, subject):
    offer = scheduled_offer(world.company)
    booking = ask(world, offer, slot=make_slot(offer, days=10))
    services.booking_accept(booking=booking, actor=world.user("company"))
    services.booking_confirm(booking=booking, actor=world.user("teacher_a"))
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=2),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    booking.refresh_from_db()
    mail.outbox.clear()
    with commit():
        services.booking_close(booking=booking, actor=world.user("company"), showed_up=showed_up)
    assert told(world.user("teacher_a"), subject)
    assert not told(world.user("company"), subject)


@pytest.mark.django_db
def test_close_by_the_school_also_tells_the_provider(world, commit):
    offer = scheduled_offer(world.company)
    booking = ask(world, offer, slot=make_slot(offer, days=10))
    services.booking_accept(booking=booking, actor=world.user("company"))
    services.booking_confirm(booking=booking, actor=world.user("teacher_a"))
    Booking.objects.filter(pk=booking.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))
    booking.refresh_from_db()
    with commit():
        services.booking_close(
            booking=booking, actor=world.user("teacher_a"), showed_up=True, by_provider=False
        )
    assert told(world.user("company"), "Afgerond")


@pytest.mark.django_db
def test_promotion_from_the_waiting_list_tells_the_school(world, commit):
    offer = on_request_offer(world.company)
    day = timezone.localdate() + dt.timedelta(days=40)
    LoadLimit.objects.create(
        provider=world.company,
        activity_type=offer.activity_type,
        per=LoadPer.MONTH,
        max_requests=1,
        overflow=Overflow.WAITLIST,
    )
    first = ask(world, offer, preferred_dates=[day])
    waiting = ask(world, offer, school=world.school_b, user="teacher_b", preferred_dates=[day])
    assert waiting.status == Status.WAITING
    with commit():
        services.booking_decline(booking=first, actor=world.user("company"), reason="Toch niet")
    waiting.refresh_from_db()
    assert waiting.status == Status.REQUESTED
    assert told(world.user("teacher_b"), "Van de wachtlijst")
    assert told(world.user("company"), "Nieuwe aanvraag (van de wachtlijst)")
