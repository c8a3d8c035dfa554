import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from maakstad.bookings import services
from maakstad.bookings.models import (
    Booking,
    LoadLimit,
    LoadPer,
    Overflow,
    ProgrammeQuota,
    Slot,
    SlotUnit,
    Status,
)
from maakstad.bookings.testing import make_slot, on_request_offer, scheduled_offer
from maakstad.catalogue import activity_types
from maakstad.catalogue.models import ActivityType, CostUnit, Offer, OfferDate
from maakstad.core.models import AuditEntry, Notification
from maakstad.core.testing.factories import OrganisationFactory
from maakstad.organisations.models import OrganisationKind, SchoolYear


def ask(world, offer, *, school=None, user="teacher_a", **fields: Any) -> Any:
    defaults: dict[str, Any] = {"class_name": "3K", "pupils_count": 20, "leerjaar": 3}
    defaults.update(fields)
    return services.booking_request(
        offer=offer, school=school or world.school_a, actor=world.user(user), **defaults
    )


def future(days=10, hour=10):
    return timezone.now().replace(hour=hour, minute=0, second=0, microsecond=0) + dt.timedelta(
        days=days
    )


@pytest.mark.django_db
def test_slot_booking_whole_chain_notifies_and_audits(world, django_capture_on_commit_callbacks):
    offer = scheduled_offer(world.company)
    slot = make_slot(offer, capacity=30)
    with django_capture_on_commit_callbacks(execute=True):
        booking = ask(world, offer, slot=slot)
    assert booking.status == Status.REQUESTED and booking.seats == 20
    assert Slot.objects.get(pk=slot.pk).seats_taken == 20
    assert Notification.objects.filter(recipient=world.user("company")).exists()
    assert mail.outbox and "Nieuwe aanvraag" in mail.outbox[-1].subject
    services.booking_accept(booking=booking, actor=world.user("company"))
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_confirm(booking=booking, actor=world.user("teacher_a"), pupils_count=18)
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED and booking.seats == 18
    assert Slot.objects.get(pk=slot.pk).seats_taken == 18
    confirmation = [m for m in mail.outbox if m.subject.startswith("Bevestigd")]
    assert len(confirmation) == 2
    _name, content, mimetype = confirmation[0].attachments[0]
    text = content.decode() if isinstance(content, bytes) else content
    assert mimetype == "text/calendar" and "BEGIN:VEVENT" in text and "3K" in text
    actions = set(
        AuditEntry.objects.filter(object_id=str(booking.pk)).values_list("action", flat=True)
    )
    assert {"booking.requested", "booking.accept", "booking.confirm"} <= actions


@pytest.mark.django_db
def test_full_slot_puts_class_on_waiting_list_and_offers_freed_seats(world):
    offer = scheduled_offer(world.company)
    slot = make_slot(offer, capacity=30)
    first = ask(world, offer, slot=slot, pupils_count=25)
    big = ask(world, offer, slot=slot, school=world.school_b, user="teacher_b", pupils_count=28)
    small = ask(
        world,
        offer,
        slot=slot,
        school=world.school_b,
        user="teacher_b",
        class_name="3B",
        pupils_count=22,
    )
    assert (big.status, small.status) == (Status.WAITING, Status.WAITING)
    services.booking_decline(booking=first, actor=world.user("company"), reason="Te druk")
    big.refresh_from_db()
    small.refresh_from_db()
    # The first class in line that fits gets the seats, with a deadline; the next one waits.
    assert big.status == Status.OFFERED and big.offer_expires_at is not None
    assert small.status == Status.WAITING
    assert Slot.objects.get(pk=slot.pk).seats_taken == 28
    # Not taken in time: the place goes to the next class that fits.
    services.housekeeping(now=big.offer_expires_at + dt.timedelta(minutes=1))
    big.refresh_from_db()
    small.refresh_from_db()
    assert big.status == Status.CANCELLED and small.status == Status.OFFERED
    services.booking_take_offer(booking=small, actor=world.user("teacher_b"))
    small.refresh_from_db()
    assert small.status == Status.REQUESTED and small.seats == 22


@pytest.mark.django_db
def test_groups_unit_counts_classes_not_pupils(world):
    offer = scheduled_offer(world.company)
    slot = make_slot(offer, capacity=1, unit=SlotUnit.GROUPS)
    assert ask(world, offer, slot=slot).status == Status.REQUESTED
    assert ask(world, offer, slot=slot, class_name="3L").status == Status.WAITING


@pytest.mark.django_db
def test_on_request_counter_proposal_and_acceptance(world):
    offer = on_request_offer(world.company)
    day = timezone.localdate() + dt.timedelta(days=20)
    booking = ask(world, offer, preferred_dates=[day, day + dt.timedelta(days=1)])
    assert booking.ask_date == day and booking.starts_at is None
    proposal = future(days=25)
    booking = services.booking_counter(
        booking=booking, actor=world.user("company"), starts_at=proposal, message="Liever later"
    )
    assert booking.status == Status.COUNTER and booking.proposed_starts_at == proposal
    services.booking_counter_respond(booking=booking, actor=world.user("teacher_a"), accept=True)
    booking.refresh_from_db()
    assert booking.status == Status.ACCEPTED and booking.starts_at == proposal
    assert booking.ends_at == proposal + dt.timedelta(minutes=offer.duration_minutes or 0)
    with pytest.raises(ValidationError, match="kan niet meer"):
        services.booking_accept(booking=booking, actor=world.user("company"), starts_at=proposal)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"pupils_count": 31}, "pupils_count", "Hoogstens 30"),
        ({"pupils_count": 2}, "pupils_count", "Minstens 5"),
        ({"class_name": " "}, "class_name", "Vul de klas in"),
        ({"preferred_dates": []}, "preferred_dates", "minstens één voorkeursdatum"),
        ({"preferred_dates": [dt.date(2020, 1, 6)]}, "preferred_dates", "in het verleden"),
    ],
)
def test_bad_asks_are_refused_at_the_field_and_write_nothing(world, fields, field, message):
    offer = on_request_offer(world.company)
    values = {"preferred_dates": [timezone.localdate() + dt.timedelta(days=9)], **fields}
    with pytest.raises(ValidationError) as error:
        ask(world, offer, **values)
    assert message in " ".join(error.value.message_dict[field])
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_asks_keep_to_the_offers_specific_dates(world):
    today = timezone.localdate()
    first, second = today + dt.timedelta(days=14), today + dt.timedelta(days=28)
    offer = on_request_offer(world.company)
    OfferDate.objects.bulk_create(
        [OfferDate(offer=offer, date=d) for d in (today - dt.timedelta(days=3), first, second)]
    )
    # Only specific dates: another day is refused, naming the dates that are left.
    with pytest.raises(ValidationError) as error:
        ask(world, offer, preferred_dates=[first + dt.timedelta(days=1)])
    message = " ".join(error.value.message_dict["preferred_dates"])
    assert "alleen op vaste data" in message
    assert date_format(first, "j F Y") in message and date_format(second, "j F Y") in message
    assert not Booking.objects.exists()
    assert ask(world, offer, preferred_dates=[second]).ask_date == second
    # Next to a date range the specific dates are extra days: a listed day outside the range is
    # fine, and so is an unlisted day inside it.
    Offer.objects.filter(pk=offer.pk).update(
        available_from=today + dt.timedelta(days=40), available_until=today + dt.timedelta(days=60)
    )
    offer.refresh_from_db()
    assert ask(world, offer, class_name="3L", preferred_dates=[first]).ask_date == first
    later = today + dt.timedelta(days=45)
    assert ask(world, offer, class_name="3M", preferred_dates=[later]).ask_date == later
    with pytest.raises(ValidationError, match="beschikbaar vanaf"):
        ask(world, offer, class_name="3N", preferred_dates=[first + dt.timedelta(days=1)])


@pytest.mark.django_db
def test_wrong_school_kind_leerjaar_past_slot_and_duplicates(world):
    offer = scheduled_offer(
        world.company, school_kinds_mask=0b10, leerjaren_mask=0b1000
    )  # vmbo, leerjaar 3
    slot = make_slot(offer)
    po = OrganisationFactory.create(region=world.region, kind=OrganisationKind.PO)
    with pytest.raises(ValidationError, match="niet bedoeld voor"):
        services.booking_request(
            offer=offer, school=po, actor=None, class_name="7", pupils_count=20, groep=7, slot=slot
        )
    with pytest.raises(ValidationError, match="leerjaar 2"):
        ask(world, offer, slot=slot, leerjaar=2)
    Slot.objects.filter(pk=slot.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    slot.refresh_from_db()
    with pytest.raises(ValidationError, match="al voorbij"):
        ask(world, offer, slot=slot)
    later = make_slot(offer, days=30)
    ask(world, offer, slot=later)
    with pytest.raises(ValidationError, match="heeft dit al aangevraagd"):
        ask(world, offer, slot=later, class_name="3k")
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_cancellation_deadline_for_schools_not_for_providers(world):
    offer = scheduled_offer(world.company)
    slot = make_slot(offer, days=1)
    booking = ask(world, offer, slot=slot)
    services.booking_accept(booking=booking, actor=world.user("company"))
    with pytest.raises(ValidationError, match="tot 2 dagen van tevoren"):
        services.booking_cancel(
            booking=booking, actor=world.user("teacher_a"), reason="", by_provider=False
        )
    services.booking_cancel(
        booking=booking, actor=world.user("company"), reason="Zieke instructeur", by_provider=True
    )
    assert Booking.objects.get(pk=booking.pk).status == Status.CANCELLED
    assert Slot.objects.get(pk=slot.pk).seats_taken == 0


@pytest.mark.django_db
def test_load_limit_refuses_with_reason_or_waitlists(world):
    offer = on_request_offer(world.company)
    day = timezone.localdate() + dt.timedelta(days=40)
    LoadLimit.objects.create(
        provider=world.company, activity_type=offer.activity_type, per=LoadPer.MONTH, max_requests=1
    )
    first = ask(world, offer, preferred_dates=[day])
    refused = ask(world, offer, school=world.school_b, user="teacher_b", preferred_dates=[day])
    assert refused.status == Status.DECLINED and "per maand" in refused.reason
    # The refused ask is in the register all the same.
    assert Booking.objects.filter(provider=world.company).count() == 2
    LoadLimit.objects.update(overflow=Overflow.WAITLIST)
    waiting = ask(
        world,
        offer,
        school=world.school_b,
        user="teacher_b",
        class_name="3B",
        preferred_dates=[day],
    )
    assert waiting.status == Status.WAITING
    services.booking_decline(booking=first, actor=world.user("company"), reason="Toch niet")
    waiting.refresh_from_db()
    assert waiting.status == Status.REQUESTED


@pytest.mark.django_db
def test_closed_period_refuses(world):
    offer = on_request_offer(world.company)
    day = timezone.localdate() + dt.timedelta(days=30)
    services.closed_period_save(
        provider=world.company,
        starts_on=day,
        ends_on=day + dt.timedelta(days=5),
        reason="Kerstdrukte",
        actor=None,
    )
    with pytest.raises(ValidationError, match="Kerstdrukte"):
        ask(world, offer, preferred_dates=[day + dt.timedelta(days=1)])


@pytest.mark.django_db
def test_programme_quota_fair_share_then_open(world):
    partner = OrganisationFactory.create(
        region=world.region, kind=OrganisationKind.PARTNER, name="Spacebuzz"
    )
    offer = scheduled_offer(partner, cost_unit=CostUnit.PER_GROUP, cost_amount=Decimal("1000"))
    today = timezone.localdate()
    quota = services.quota_save(
        region=world.region,
        actor=None,
        name="Spacebuzz 2026",
        provider=partner,
        starts_on=today,
        ends_on=today + dt.timedelta(days=200),
        total=2,
        per_school_max=1,
        fair_share_until=today + dt.timedelta(days=10),
    )
    slot = make_slot(offer, capacity=10, unit=SlotUnit.GROUPS)
    first = ask(world, offer, slot=slot)
    assert first.quota == quota and first.amount_due == 0 and first.price_total == 1000
    with pytest.raises(ValidationError, match="hoogstens 1"):
        ask(world, offer, slot=slot, class_name="3L")
    later = timezone.now() + dt.timedelta(days=11)
    ask(world, offer, slot=slot, class_name="3L", now=later)
    assert ProgrammeQuota.objects.get(pk=quota.pk).used == 2
    with pytest.raises(ValidationError, match="Alle 2"):
        ask(world, offer, school=world.school_b, user="teacher_b", slot=slot, now=later)
    services.booking_cancel(
        booking=first, actor=world.user("teacher_a"), reason="", by_provider=False
    )
    assert ProgrammeQuota.objects.get(pk=quota.pk).used == 1


@pytest.mark.django_db
def test_primary_school_pricing_follows_the_steps(world):
    vmbo = world.school_b
    offer = on_request_offer(
        vmbo,
        cost_unit=CostUnit.PER_PUPIL,
        cost_amount=Decimal("12.50"),
        activity_type=ActivityType.objects.get_or_create(
            region=world.region,
            code=activity_types.TECHNIEKLES_PO,
            defaults={"name": "Techniekles"},
        )[0],
    )
    po = OrganisationFactory.create(region=world.region, kind=OrganisationKind.PO)
    this_year = SchoolYear.for_date(timezone.localdate())
    next_year = SchoolYear.for_date(this_year.ends_on + dt.timedelta(days=1))
    services.pricing_step_save(
        region=world.region, school_year=this_year, percent=Decimal("0"), actor=None
    )
    services.pricing_step_save(
        region=world.region, school_year=next_year, percent=Decimal("10"), actor=None
    )
    soon = timezone.localdate() + dt.timedelta(days=3)
    while soon.weekday() >= 5:
        soon += dt.timedelta(days=1)
    now_booking = services.booking_request(
        offer=offer,
        school=po,
        actor=None,
        class_name="6a",
        pupils_count=24,
        groep=6,
        preferred_dates=[soon],
    )
    assert (now_booking.price_total, now_booking.amount_due) == (Decimal("300.00"), Decimal("0.00"))
    later = next_year.starts_on + dt.timedelta(days=40)
    next_booking = services.booking_request(
        offer=offer,
        school=po,
        actor=None,
        class_name="7a",
        pupils_count=24,
        groep=7,
        preferred_dates=[later],
    )
    assert next_booking.amount_due == Decimal("30.00") and "10 %" in next_booking.pricing_note
    with pytest.raises(ValidationError) as error:
        services.booking_request(
            offer=offer,
            school=po,
            actor=None,
            class_name="8a",
            pupils_count=24,
            groep=None,
            preferred_dates=[later],
        )
    assert "groep" in error.value.message_dict


@pytest.mark.django_db
def test_reminder_two_days_before_once(world, django_capture_on_commit_callbacks):
    offer = scheduled_offer(world.company)
    slot = make_slot(offer, days=5)
    booking = ask(world, offer, slot=slot)
    services.booking_accept(booking=booking, actor=world.user("company"))
    services.booking_confirm(booking=booking, actor=world.user("teacher_a"))
    assert services.housekeeping(now=slot.starts_at - dt.timedelta(days=3))["reminded"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.housekeeping(now=slot.starts_at - dt.timedelta(days=2))["reminded"] == 1
    assert any(m.subject.startswith("Herinnering") for m in mail.outbox)
    assert services.housekeeping(now=slot.starts_at - dt.timedelta(days=1))["reminded"] == 0


def test_period_bounds():
    day = dt.date(2026, 11, 18)
    assert services.period_bounds(day, LoadPer.WEEK) == (
        dt.date(2026, 11, 16),
        dt.date(2026, 11, 22),
    )
    assert services.period_bounds(day, LoadPer.MONTH) == (
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 30),
    )
    assert services.period_bounds(day, LoadPer.QUARTER) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 31),
    )
    assert services.period_bounds(dt.date(2026, 12, 31), LoadPer.MONTH)[1] == dt.date(2026, 12, 31)
    assert services.period_bounds(day, LoadPer.SCHOOL_YEAR) == (
        dt.date(2026, 8, 1),
        dt.date(2027, 7, 31),
    )


@pytest.mark.django_db
def test_housekeeping_command_runs_through_the_task_backend(world):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("bookings_housekeeping", stdout=out)
    assert "'expired': 0" in out.getvalue() and "'reminded': 0" in out.getvalue()


@pytest.mark.django_db
def test_confirmed_booking_becomes_a_checkin_session_for_the_class(world):
    from maakstad.attendance.models import Session, SessionStatus

    offer = scheduled_offer(world.company)
    booking = ask(world, offer, slot=make_slot(offer), class_name="3k")  # the pupil is in 3K
    services.booking_accept(booking=booking, actor=world.user("company"))
    services.booking_confirm(booking=booking, actor=world.user("teacher_a"))
    session = Session.objects.get()
    assert session.starts_at == booking.slot.starts_at and session.provider == world.company
    assert list(session.attendances.values_list("pupil_id", flat=True)) == [world.pupil.pk]
    services.booking_cancel(
        booking=booking, actor=world.user("company"), reason="Storm", by_provider=True
    )
    assert Session.objects.get().status == SessionStatus.CANCELLED


@pytest.mark.django_db
def test_blank_leerjaar_does_not_slip_past_a_restricted_offer(world):
    offer = scheduled_offer(world.company, leerjaren_mask=0b1000)  # leerjaar 3 only
    slot = make_slot(offer)
    with pytest.raises(ValidationError) as error:
        ask(world, offer, slot=slot, leerjaar=None)
    assert "leerjaar 3" in " ".join(error.value.message_dict["leerjaar"])
    assert not Booking.objects.exists()
    # An offer for every leerjaar does not need it.
    open_offer = scheduled_offer(world.company)
    assert ask(world, open_offer, slot=make_slot(open_offer), leerjaar=None).pk
