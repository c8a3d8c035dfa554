"""Every write of the bookings app. Each service validates with a Dutch reason, writes under the
right lock, records an audit entry and notifies the other side (inbox and e-mail, on commit).

Scarce things and how they are protected:
- seats on a slot: the slot row is locked (`select_for_update`) and `seats_taken` is changed with
  one conditional UPDATE, backed by the `slot_not_oversold` constraint;
- a provider's load limits and a programme quota: every new ask to a provider locks the
  provider's organisation row first, so two schools cannot both take the last place in a period;
  `quota_not_exceeded` backs the quota counter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maakstad.attendance.models import SessionCategory
from maakstad.attendance.services import session_schedule, sessions_cancel_for_source
from maakstad.bookings import calendar
from maakstad.bookings.models import (
    ACTIVE,
    HOLDING,
    TRANSITIONS,
    Booking,
    CalendarFeed,
    ClosedPeriod,
    Event,
    LoadLimit,
    LoadPer,
    Overflow,
    PricingStep,
    ProgrammeQuota,
    Slot,
    SlotStatus,
    SlotUnit,
    Status,
)
from maakstad.catalogue import activity_types
from maakstad.catalogue.models import CostUnit, Offer, OfferStatus
from maakstad.catalogue.permissions import PROVIDER_ROLES
from maakstad.core import audit
from maakstad.core.notifications import notify
from maakstad.organisations.models import (
    Organisation,
    OrganisationKind,
    Pupil,
    Region,
    SchoolYear,
)

# A school may cancel until this long before the start; later only the provider can.
CANCEL_DEADLINE = dt.timedelta(days=2)
# How long a class from the waiting list has to take the seats offered to it.
WAITLIST_OFFER_HOURS = 48
REMINDER_DAYS = 2
CENT = Decimal("0.01")


def _fail(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: message} if field else message)


def _day(value: dt.datetime) -> str:
    return date_format(timezone.localtime(value), "j F Y H:i")


# --- Periods, load, quota and price -------------------------------------------------------------


def period_bounds(day: dt.date, per: str) -> tuple[dt.date, dt.date]:
    """The first and last day of the week, month, quarter or school year that holds `day`."""
    if per == LoadPer.WEEK:
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    if per == LoadPer.MONTH:
        start = day.replace(day=1)
    elif per == LoadPer.QUARTER:
        start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    else:
        year = day.year if day.month >= 8 else day.year - 1
        return dt.date(year, 8, 1), dt.date(year + 1, 7, 31)
    months = 1 if per == LoadPer.MONTH else 3
    month = start.month - 1 + months
    end = dt.date(start.year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def period_label(day: dt.date, per: str) -> str:
    start, end = period_bounds(day, per)
    if per == LoadPer.WEEK:
        return _("week %(week)s") % {"week": start.isocalendar().week}
    if per == LoadPer.MONTH:
        return date_format(start, "F Y")
    if per == LoadPer.QUARTER:
        return _("kwartaal %(q)s %(year)s") % {"q": (start.month - 1) // 3 + 1, "year": start.year}
    return f"{start.year}-{end.year}"


def exceeded_limit(
    *, provider_id: int, activity_type_id: int, day: dt.date, exclude_pk: int | None = None
) -> LoadLimit | None:
    """The first load limit of the provider that one more ask on `day` would go over."""
    limits = LoadLimit.objects.filter(provider_id=provider_id).select_related("activity_type")
    for limit in limits:
        if limit.activity_type_id not in (None, activity_type_id):
            continue
        start, end = period_bounds(day, limit.per)
        asks = Booking.objects.filter(
            provider_id=provider_id,
            ask_date__range=(start, end),
            status__in=HOLDING,
        )
        if limit.activity_type_id:
            asks = asks.filter(activity_type_id=limit.activity_type_id)
        if exclude_pk:
            asks = asks.exclude(pk=exclude_pk)
        if asks.count() >= limit.max_requests:
            return limit
    return None


def closed_period(provider_id: int, day: dt.date) -> ClosedPeriod | None:
    return ClosedPeriod.objects.filter(
        provider_id=provider_id, starts_on__lte=day, ends_on__gte=day
    ).first()


def quota_for(offer: Offer, day: dt.date) -> ProgrammeQuota | None:
    """The programme quota that pays for this offer on `day`, if any."""
    return (
        ProgrammeQuota.objects.filter(
            provider_id=offer.provider_id,
            region_id=offer.provider.region_id,
            starts_on__lte=day,
            ends_on__gte=day,
        )
        .order_by("starts_on")
        .first()
    )


def own_contribution_percent(region_id: int, school_year: SchoolYear) -> Decimal:
    step = (
        PricingStep.objects.filter(
            region_id=region_id, school_year__starts_on__lte=school_year.starts_on
        )
        .order_by("-school_year__starts_on")
        .first()
    )
    return step.own_contribution_percent if step else Decimal("0")


def price(
    *,
    offer: Offer,
    school: Organisation,
    pupils_count: int,
    school_year: SchoolYear,
    quota: ProgrammeQuota | None,
) -> tuple[Decimal, Decimal, str]:
    """(total cost, what the school pays, a one-line explanation) for one booking."""
    units = pupils_count if offer.cost_unit == CostUnit.PER_PUPIL else 1
    total = Decimal(0) if offer.cost_unit == CostUnit.FREE else offer.cost_amount * units
    if quota is not None:
        return (
            total,
            Decimal(0),
            _("Betaald door het programma (%(quota)s).") % {"quota": quota.name},
        )
    if (
        school.kind == OrganisationKind.PO
        and offer.activity_type.code == activity_types.TECHNIEKLES_PO
    ):
        percent = own_contribution_percent(school.region_id, school_year)
        due = (total * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        note = _("Eigen bijdrage %(percent)s %% van € %(total)s in %(year)s.") % {
            "percent": f"{percent:f}".rstrip("0").rstrip(".") or "0",
            "total": total,
            "year": school_year.name,
        }
        return total, due, note
    if offer.cost_unit == CostUnit.FREE:
        return total, Decimal(0), ""
    due = offer.own_contribution_amount * units
    return total, due, _("Eigen bijdrage volgens het aanbod.") if due else ""


# --- Who hears about it -------------------------------------------------------------------------


def provider_users(booking: Booking) -> list[Any]:
    roles = PROVIDER_ROLES.get(booking.provider.kind, frozenset())
    users = list(
        get_user_model()
        .objects.filter(
            memberships__organisation_id=booking.provider_id,
            memberships__role__in=tuple(roles),
            is_active=True,
        )
        .distinct()
    )
    contact = booking.offer.contact
    if contact is not None and all(u.pk != contact.pk for u in users):
        users.append(contact)
    return users


def school_users(booking: Booking) -> list[Any]:
    return [u for u in (booking.requested_by, booking.teacher) if u is not None]


def _tell(
    users: Iterable[Any],
    booking: Booking,
    subject: str,
    body: str,
    *,
    ics: bool = False,
) -> None:
    attachments = [("afspraak.ics", calendar.booking_ics(booking), "text/calendar")] if ics else []
    notify(
        users,
        subject=subject,
        body=body,
        url=reverse("bookings:detail", args=[booking.pk]),
        attachments=attachments,
    )


def _summary(booking: Booking) -> str:
    when = _day(booking.starts_at) if booking.starts_at else _("datum nog af te spreken")
    return _(
        "%(offer)s bij %(provider)s voor %(class)s van %(school)s (%(n)s leerlingen), %(when)s."
    ) % {
        "offer": booking.offer.title,
        "provider": booking.provider.label,
        "class": booking.class_name,
        "school": booking.school.label,
        "n": booking.pupils_count,
        "when": when,
    }


# --- Holding and releasing seats and quota -----------------------------------------------------


def _seats_needed(slot: Slot, pupils_count: int) -> int:
    return pupils_count if slot.unit == SlotUnit.PUPILS else 1


def _take_seats(slot_id: int, seats: int) -> bool:
    """Take `seats` on the slot if they are free: one conditional UPDATE (the row is locked)."""
    return bool(
        Slot.objects.filter(
            pk=slot_id,
            status=SlotStatus.OPEN,
            seats_taken__lte=F("capacity") - seats,
        ).update(seats_taken=F("seats_taken") + seats)
    )


def _take_quota(quota_id: int) -> bool:
    return bool(
        ProgrammeQuota.objects.filter(pk=quota_id, used__lt=F("total")).update(used=F("used") + 1)
    )


def _release_seats(booking: Booking) -> None:
    if booking.seats and booking.slot_id:
        Slot.objects.filter(pk=booking.slot_id).update(seats_taken=F("seats_taken") - booking.seats)
        booking.seats = 0


def _release(booking: Booking) -> None:
    """Give back the seats and the quota place the booking held (it leaves HOLDING)."""
    _release_seats(booking)
    if booking.quota_id:
        ProgrammeQuota.objects.filter(pk=booking.quota_id, used__gt=0).update(used=F("used") - 1)


def _move(booking: Booking, event: str, *, actor: Any, reason: str = "", **changes: Any) -> Booking:
    """Check (status, event) against TRANSITIONS, move, save and audit."""
    target = TRANSITIONS.get((booking.status, event))
    if target is None:
        raise ValidationError(
            _("Dit kan niet meer: de boeking is %(status)s.")
            % {"status": booking.get_status_display().lower()}
        )
    before = audit.snapshot(booking, ["status", "starts_at", "seats", "reason"])
    releasing = booking.status in HOLDING and target not in HOLDING
    if releasing:
        _release(booking)
    booking.status = target
    if reason:
        booking.reason = reason
    for name, value in changes.items():
        setattr(booking, name, value)
    booking.save()
    audit.record(
        action=f"booking.{event}",
        obj=booking,
        actor=actor,
        before=before,
        after=audit.snapshot(booking, ["status", "starts_at", "seats", "reason"]),
    )
    if before["status"] == Status.CONFIRMED and target == Status.CANCELLED:
        sessions_cancel_for_source(source=booking, actor=actor, reason=booking.reason)
    if releasing and booking.slot_id:
        offer_freed_seats(slot_id=booking.slot_id, actor=None)
    if releasing:
        promote_waiting(provider_id=booking.provider_id, day=booking.ask_date)
    return booking


# --- Slots --------------------------------------------------------------------------------------


@transaction.atomic
def slot_save(
    *,
    offer: Offer,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    unit: str = SlotUnit.PUPILS,
    location: Any = None,
    notes: str = "",
    slot: Slot | None = None,
    actor: Any,
) -> Slot:
    if ends_at <= starts_at:
        raise _fail("ends_at", _("Het einde moet na het begin liggen."))
    if slot is None and starts_at <= timezone.now():
        raise _fail("starts_at", _("Een moment in het verleden kan niet meer geboekt worden."))
    if location is not None and location.organisation_id != offer.provider_id:
        raise _fail("location", _("Kies een locatie van de aanbieder."))
    if slot is not None:
        slot = Slot.objects.select_for_update().get(pk=slot.pk)
        if capacity < slot.seats_taken:
            raise _fail(
                "capacity",
                _("Er zijn al %(n)s plaatsen geboekt; de capaciteit kan niet lager.")
                % {"n": slot.seats_taken},
            )
    before = audit.snapshot(slot) if slot else None
    slot = slot or Slot(offer=offer)
    slot.starts_at, slot.ends_at, slot.capacity, slot.unit = starts_at, ends_at, capacity, unit
    slot.location = location or offer.location
    slot.notes = notes
    slot.full_clean()
    slot.save()
    audit.record(
        action="slot.updated" if before else "slot.created",
        obj=slot,
        actor=actor,
        before=before,
        after=audit.snapshot(slot),
        region_id=offer.provider.region_id,
    )
    if before and capacity > before["capacity"]:
        offer_freed_seats(slot_id=slot.pk, actor=actor)
    return slot


@transaction.atomic
def slot_cancel(*, slot: Slot, actor: Any, reason: str) -> int:
    """Cancel a moment and every booking on it; returns how many bookings were cancelled."""
    if not reason.strip():
        raise _fail("reason", _("Geef een reden op; de scholen krijgen die te zien."))
    slot = Slot.objects.select_for_update().get(pk=slot.pk)
    Slot.objects.filter(pk=slot.pk).update(status=SlotStatus.CANCELLED)
    cancelled = 0
    for booking in Booking.objects.filter(slot=slot, status__in=ACTIVE).select_related(
        "offer", "provider", "school", "requested_by", "teacher"
    ):
        _move(booking, Event.CANCEL, actor=actor, reason=reason)
        _tell(
            school_users(booking),
            booking,
            _("Geannuleerd door de aanbieder: %(offer)s") % {"offer": booking.offer.title},
            _summary(booking) + "\n\n" + _("Reden: %(reason)s") % {"reason": reason},
        )
        cancelled += 1
    audit.record(
        action="slot.cancelled",
        obj=slot,
        actor=actor,
        after={"reason": reason, "bookings": cancelled},
        region_id=slot.offer.provider.region_id,
    )
    return cancelled


# --- Asking -------------------------------------------------------------------------------------


def _validate_request(
    *,
    offer: Offer,
    school: Organisation,
    class_name: str,
    pupils_count: int,
    leerjaar: int | None,
    groep: int | None,
    slot: Slot | None,
    dates: Sequence[dt.date],
    now: dt.datetime,
) -> dt.date:
    """Every reason to refuse an ask before anything is written; returns the ask's date."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if offer.status != OfferStatus.PUBLISHED:
        raise ValidationError(_("Dit aanbod is niet (meer) te boeken."))
    if not school.is_school or school.region_id != offer.provider.region_id:
        raise ValidationError(_("Alleen scholen uit de regio van de aanbieder kunnen boeken."))
    if not offer.accepts_school_kind(school.kind):
        raise ValidationError(
            _("Dit aanbod is niet bedoeld voor %(kind)s-scholen.")
            % {"kind": school.get_kind_display()}
        )
    if not class_name.strip():
        add("class_name", _("Vul de klas in."))
    if school.kind == OrganisationKind.PO:
        if groep is None:
            add("groep", _("Vul de groep in."))
        elif not offer.accepts_year(groep=groep):
            add("groep", _("Dit aanbod is niet bedoeld voor groep %(g)s.") % {"g": groep})
    elif leerjaar is None:
        if offer.leerjaren_mask:
            add(
                "leerjaar",
                _("Vul het leerjaar in: dit aanbod is voor leerjaar %(years)s.")
                % {"years": ", ".join(str(y) for y in offer.leerjaren)},
            )
    elif not offer.accepts_year(leerjaar=leerjaar):
        add("leerjaar", _("Dit aanbod is niet bedoeld voor leerjaar %(j)s.") % {"j": leerjaar})
    if pupils_count < 1:
        add("pupils_count", _("Vul het aantal leerlingen in."))
    if offer.max_pupils and pupils_count > offer.max_pupils:
        add(
            "pupils_count",
            _("Hoogstens %(max)s leerlingen per groep bij dit aanbod.") % {"max": offer.max_pupils},
        )
    if offer.min_pupils and pupils_count < offer.min_pupils:
        add(
            "pupils_count",
            _("Minstens %(min)s leerlingen per groep bij dit aanbod.") % {"min": offer.min_pupils},
        )
    today = timezone.localdate(now)
    if slot is not None:
        if slot.offer_id != offer.pk or slot.status != SlotStatus.OPEN:
            add("slot", _("Dit moment hoort niet bij dit aanbod of is geannuleerd."))
        elif slot.starts_at <= now:
            add("slot", _("Dit moment is al voorbij; kies een moment in de toekomst."))
        elif slot.unit == SlotUnit.PUPILS and pupils_count > slot.capacity:
            add(
                "pupils_count",
                _("Op dit moment passen hoogstens %(n)s leerlingen.") % {"n": slot.capacity},
            )
        ask_date = timezone.localdate(slot.starts_at)
    else:
        if not dates:
            add("preferred_dates", _("Geef minstens één voorkeursdatum op."))
        # Specific dates come next to the range and weekdays, or instead of them.
        specific = set(offer.dates.filter(date__gt=today).values_list("date", flat=True))
        only_specific = not offer.has_range_or_weekdays and offer.dates.exists()
        for day in dates:
            if day <= today:
                add(
                    "preferred_dates",
                    _("%(day)s ligt in het verleden; kies een datum na vandaag.")
                    % {"day": date_format(day, "j F Y")},
                )
            elif day in specific:
                continue
            elif only_specific:
                add(
                    "preferred_dates",
                    _("Dit aanbod is er alleen op vaste data: %(days)s.")
                    % {"days": ", ".join(date_format(d, "j F Y") for d in sorted(specific))}
                    if specific
                    else _("Dit aanbod heeft geen data meer in de toekomst."),
                )
            elif offer.available_until and day > offer.available_until:
                add(
                    "preferred_dates",
                    _("Dit aanbod is beschikbaar tot en met %(day)s.")
                    % {"day": date_format(offer.available_until, "j F Y")},
                )
            elif offer.available_from and day < offer.available_from:
                add(
                    "preferred_dates",
                    _("Dit aanbod is beschikbaar vanaf %(day)s.")
                    % {"day": date_format(offer.available_from, "j F Y")},
                )
            elif offer.weekdays_mask and day.weekday() not in offer.weekdays:
                add(
                    "preferred_dates",
                    _("Op %(day)s biedt de aanbieder dit niet aan.")
                    % {"day": date_format(day, "l j F")},
                )
        ask_date = min(dates) if dates else today
    if not errors:
        closed = closed_period(offer.provider_id, ask_date)
        if closed is not None:
            add(
                "slot" if slot else "preferred_dates",
                _(
                    "%(provider)s neemt van %(start)s tot en met %(end)s geen aanvragen aan: %(reason)s"
                )
                % {
                    "provider": offer.provider.label,
                    "start": date_format(closed.starts_on, "j F"),
                    "end": date_format(closed.ends_on, "j F Y"),
                    "reason": closed.reason,
                },
            )
        duplicate = Booking.objects.filter(
            school=school, offer=offer, class_name__iexact=class_name.strip(), status__in=ACTIVE
        )
        if slot is not None:
            duplicate = duplicate.filter(slot=slot)
        if duplicate.exists():
            add(
                "class_name",
                _("Klas %(class)s heeft dit al aangevraagd; zie Mijn aanvragen.")
                % {"class": class_name},
            )
    if errors:
        raise ValidationError(errors)
    return ask_date


@transaction.atomic
def booking_request(
    *,
    offer: Offer,
    school: Organisation,
    actor: Any,
    class_name: str,
    pupils_count: int,
    teacher: Any = None,
    leerjaar: int | None = None,
    groep: int | None = None,
    slot: Slot | None = None,
    preferred_dates: Sequence[dt.date] = (),
    remarks: str = "",
    now: dt.datetime | None = None,
) -> Booking:
    """Register a school's ask. It holds seats, waits as one class, or is refused for load.

    The returned booking's status tells what happened: `requested` (the provider decides),
    `waiting` (on the moment's or the provider's waiting list) or `declined` (over the provider's
    load limit; the reason says which). Validation errors write nothing.
    """
    now = now or timezone.now()
    dates = sorted(set(preferred_dates))
    ask_date = _validate_request(
        offer=offer,
        school=school,
        class_name=class_name,
        pupils_count=pupils_count,
        leerjaar=leerjaar,
        groep=groep,
        slot=slot,
        dates=dates,
        now=now,
    )
    # One ask to a provider at a time: load limits and quotas are counted under this lock.
    Organisation.objects.select_for_update().filter(pk=offer.provider_id).first()
    school_year = SchoolYear.for_date(ask_date)
    quota = quota_for(offer, ask_date)
    if quota is not None:
        quota = ProgrammeQuota.objects.select_for_update().get(pk=quota.pk)
        _check_quota(quota, school, timezone.localdate(now))
    total, due, note = price(
        offer=offer, school=school, pupils_count=pupils_count, school_year=school_year, quota=quota
    )
    booking = Booking(
        region_id=offer.provider.region_id,
        offer=offer,
        provider_id=offer.provider_id,
        activity_type_id=offer.activity_type_id,
        slot=slot,
        school=school,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        teacher=teacher or (actor if getattr(actor, "is_authenticated", False) else None),
        class_name=class_name.strip(),
        pupils_count=pupils_count,
        leerjaar=leerjaar,
        groep=groep,
        preferred_dates=[d.isoformat() for d in dates],
        remarks=remarks,
        ask_date=ask_date,
        school_year=school_year,
        starts_at=slot.starts_at if slot else None,
        ends_at=slot.ends_at if slot else None,
        quota=quota,
        price_total=total,
        amount_due=due,
        pricing_note=note,
    )
    limit = exceeded_limit(
        provider_id=offer.provider_id, activity_type_id=offer.activity_type_id, day=ask_date
    )
    if limit is not None:
        booking.reason = _(
            "%(provider)s kan %(limit)s aan; in %(period)s is die grens bereikt."
        ) % {
            "provider": offer.provider.label,
            "limit": str(limit).lower(),
            "period": period_label(ask_date, limit.per),
        }
        booking.status = Status.DECLINED if limit.overflow == Overflow.REFUSE else Status.WAITING
    elif slot is not None:
        slot = Slot.objects.select_for_update().get(pk=slot.pk)
        seats = _seats_needed(slot, pupils_count)
        if _take_seats(slot.pk, seats):
            booking.seats = seats
        else:
            booking.status = Status.WAITING
            booking.reason = _(
                "Dit moment zit vol; de klas staat op de wachtlijst en krijgt bericht als er plek vrijkomt."
            )
    if booking.status == Status.REQUESTED and quota is not None and not _take_quota(quota.pk):
        raise ValidationError(_("Alle door het programma betaalde plaatsen zijn vergeven."))
    booking.save()
    audit.record(
        action={
            "requested": "booking.requested",
            "waiting": "booking.waitlisted",
            "declined": "booking.refused_over_limit",
        }[booking.status],
        obj=booking,
        actor=actor,
        after=audit.snapshot(
            booking, ["status", "offer_id", "school_id", "slot_id", "pupils_count", "ask_date"]
        ),
    )
    if booking.status == Status.REQUESTED:
        _tell(
            provider_users(booking),
            booking,
            _("Nieuwe aanvraag: %(offer)s") % {"offer": offer.title},
            _summary(booking) + ("\n\n" + remarks if remarks else ""),
        )
    return booking


def _check_quota(quota: ProgrammeQuota, school: Organisation, today: dt.date) -> None:
    if quota.used >= quota.total:
        raise ValidationError(
            _("Alle %(total)s door het programma betaalde plaatsen van %(name)s zijn vergeven.")
            % {"total": quota.total, "name": quota.name}
        )
    if quota.per_school_max and quota.fair_share_until and today <= quota.fair_share_until:
        taken = Booking.objects.filter(quota=quota, school=school, status__in=HOLDING).count()
        if taken >= quota.per_school_max:
            raise ValidationError(
                _(
                    "Tot en met %(date)s krijgt elke school hoogstens %(n)s van %(name)s; "
                    "daarna is wat over is voor iedereen."
                )
                % {
                    "date": date_format(quota.fair_share_until, "j F Y"),
                    "n": quota.per_school_max,
                    "name": quota.name,
                }
            )


# --- The provider decides -----------------------------------------------------------------------


def _lock(booking: Booking) -> Booking:
    # Lock the booking row only: PostgreSQL refuses FOR UPDATE on the nullable side of the outer
    # joins that select_related makes for slot, offer contact, requested_by and teacher.
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related(
            "offer", "offer__contact", "provider", "school", "slot", "requested_by", "teacher"
        )
        .get(pk=booking.pk)
    )


@transaction.atomic
def booking_accept(
    *,
    booking: Booking,
    actor: Any,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
) -> Booking:
    booking = _lock(booking)
    changes: dict[str, Any] = {}
    if booking.slot_id is None:
        if starts_at is None:
            raise _fail("starts_at", _("Kies de datum en tijd waarop de klas komt."))
        if starts_at <= timezone.now():
            raise _fail("starts_at", _("Kies een moment in de toekomst."))
        duration = dt.timedelta(minutes=booking.offer.duration_minutes or 90)
        ends_at = ends_at or starts_at + duration
        if ends_at <= starts_at:
            raise _fail("ends_at", _("Het einde moet na het begin liggen."))
        changes = {"starts_at": starts_at, "ends_at": ends_at}
    _move(booking, Event.ACCEPT, actor=actor, **changes)
    _tell(
        school_users(booking),
        booking,
        _("Geaccepteerd: %(offer)s") % {"offer": booking.offer.title},
        _summary(booking)
        + "\n\n"
        + _("Bevestig de boeking definitief in Maakstad; dan krijgt u de afspraak voor uw agenda."),
    )
    return booking


@transaction.atomic
def booking_decline(*, booking: Booking, actor: Any, reason: str) -> Booking:
    if not reason.strip():
        raise _fail("reason", _("Geef de school een reden."))
    booking = _lock(booking)
    _move(booking, Event.DECLINE, actor=actor, reason=reason.strip())
    _tell(
        school_users(booking),
        booking,
        _("Afgewezen: %(offer)s") % {"offer": booking.offer.title},
        _summary(booking) + "\n\n" + _("Reden: %(reason)s") % {"reason": reason.strip()},
    )
    return booking


@transaction.atomic
def booking_counter(
    *,
    booking: Booking,
    actor: Any,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None = None,
    message: str = "",
) -> Booking:
    """The provider proposes another moment; a held seat on a slot is given back."""
    booking = _lock(booking)
    if starts_at <= timezone.now():
        raise _fail("starts_at", _("Stel een moment in de toekomst voor."))
    ends_at = ends_at or starts_at + dt.timedelta(minutes=booking.duration_minutes or 90)
    if ends_at <= starts_at:
        raise _fail("ends_at", _("Het einde moet na het begin liggen."))
    if booking.seats:
        _release_seats(booking)
        slot_id = booking.slot_id
        booking.slot = None
    else:
        slot_id = None
    _move(
        booking,
        Event.COUNTER,
        actor=actor,
        reason=message.strip(),
        proposed_starts_at=starts_at,
        proposed_ends_at=ends_at,
    )
    if slot_id:
        offer_freed_seats(slot_id=slot_id, actor=None)
    _tell(
        school_users(booking),
        booking,
        _("Tegenvoorstel: %(offer)s") % {"offer": booking.offer.title},
        _("%(provider)s stelt %(when)s voor.")
        % {"provider": booking.provider.label, "when": _day(starts_at)}
        + ("\n\n" + message.strip() if message.strip() else ""),
    )
    return booking


@transaction.atomic
def booking_counter_respond(*, booking: Booking, actor: Any, accept: bool) -> Booking:
    booking = _lock(booking)
    if accept:
        _move(
            booking,
            Event.COUNTER_ACCEPT,
            actor=actor,
            starts_at=booking.proposed_starts_at,
            ends_at=booking.proposed_ends_at,
        )
        subject = _("Voorstel aangenomen: %(offer)s")
    else:
        _move(booking, Event.COUNTER_DECLINE, actor=actor)
        subject = _("Voorstel afgeslagen: %(offer)s")
    _tell(
        provider_users(booking),
        booking,
        subject % {"offer": booking.offer.title},
        _summary(booking),
    )
    return booking


# --- The school confirms, cancels or takes a freed place ----------------------------------------


@transaction.atomic
def booking_confirm(*, booking: Booking, actor: Any, pupils_count: int | None = None) -> Booking:
    """The school confirms definitively (optionally with the final number of pupils)."""
    booking = _lock(booking)
    changes: dict[str, Any] = {}
    if pupils_count is not None and pupils_count != booking.pupils_count:
        if pupils_count > booking.pupils_count:
            raise _fail(
                "pupils_count",
                _("Meer leerlingen dan aangevraagd kan niet; doe een nieuwe aanvraag."),
            )
        if booking.offer.min_pupils and pupils_count < booking.offer.min_pupils:
            raise _fail(
                "pupils_count",
                _("Minstens %(min)s leerlingen per groep bij dit aanbod.")
                % {"min": booking.offer.min_pupils},
            )
        changes["pupils_count"] = pupils_count
        if booking.slot_id and booking.slot and booking.slot.unit == SlotUnit.PUPILS:
            freed = booking.pupils_count - pupils_count
            Slot.objects.filter(pk=booking.slot_id).update(seats_taken=F("seats_taken") - freed)
            changes["seats"] = booking.seats - freed
    _move(booking, Event.CONFIRM, actor=actor, **changes)
    _schedule_session(booking, actor)
    if "seats" in changes:
        offer_freed_seats(slot_id=booking.slot_id, actor=None)  # type: ignore[arg-type]
    body = _summary(booking) + "\n\n" + _("De afspraak staat in de bijlage (.ics).")
    subject = _("Bevestigd: %(offer)s") % {"offer": booking.offer.title}
    _tell(provider_users(booking), booking, subject, body, ics=True)
    _tell(school_users(booking), booking, subject, body, ics=True)
    return booking


def _schedule_session(booking: Booking, actor: Any) -> None:
    """The confirmed visit becomes a check-in session; the class's pupils are expected."""
    if booking.starts_at is None or booking.ends_at is None:
        return
    location = booking.slot.location if booking.slot and booking.slot.location else None
    session_schedule(
        source=booking,
        category=SessionCategory.LOB,
        provider=booking.provider,
        location=location or booking.offer.location,
        title=f"{booking.offer.title} – {booking.school.label} {booking.class_name}",
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        pupils=Pupil.objects.filter(
            school_id=booking.school_id,
            class_name__iexact=booking.class_name,
            anonymised_at__isnull=True,
        ),
        actor=actor,
    )


@transaction.atomic
def booking_cancel(
    *, booking: Booking, actor: Any, reason: str, by_provider: bool, now: dt.datetime | None = None
) -> Booking:
    now = now or timezone.now()
    booking = _lock(booking)
    if by_provider and not reason.strip():
        raise _fail("reason", _("Geef de school een reden."))
    if (
        not by_provider
        and booking.status in (Status.ACCEPTED, Status.CONFIRMED)
        and booking.starts_at
        and booking.starts_at - now < CANCEL_DEADLINE
    ):
        raise ValidationError(
            _(
                "Annuleren kan tot %(days)s dagen van tevoren. Neem contact op met %(provider)s; "
                "zij kunnen de afspraak nog annuleren."
            )
            % {"days": CANCEL_DEADLINE.days, "provider": booking.provider.label}
        )
    _move(booking, Event.CANCEL, actor=actor, reason=reason.strip())
    other = school_users(booking) if by_provider else provider_users(booking)
    _tell(
        other,
        booking,
        _("Geannuleerd: %(offer)s") % {"offer": booking.offer.title},
        _summary(booking)
        + ("\n\n" + _("Reden: %(reason)s") % {"reason": reason} if reason else ""),
    )
    return booking


@transaction.atomic
def booking_take_offer(*, booking: Booking, actor: Any, now: dt.datetime | None = None) -> Booking:
    booking = _lock(booking)
    now = now or timezone.now()
    if (
        booking.status == Status.OFFERED
        and booking.offer_expires_at
        and booking.offer_expires_at < now
    ):
        raise ValidationError(_("Dit aanbod is verlopen."))
    _move(booking, Event.TAKE_OFFER, actor=actor, offer_expires_at=None)
    _tell(
        provider_users(booking),
        booking,
        _("Nieuwe aanvraag (van de wachtlijst): %(offer)s") % {"offer": booking.offer.title},
        _summary(booking),
    )
    return booking


@transaction.atomic
def booking_close(
    *, booking: Booking, actor: Any, showed_up: bool, by_provider: bool = True
) -> Booking:
    """After the activity: completed, or the class did not show up. The other side hears of it."""
    booking = _lock(booking)
    if booking.starts_at and booking.starts_at > timezone.now():
        raise ValidationError(_("Dit kan pas na het begin van de activiteit."))
    _move(booking, Event.COMPLETE if showed_up else Event.NO_SHOW, actor=actor)
    if showed_up:
        subject = _("Afgerond: %(offer)s") % {"offer": booking.offer.title}
        note = _("De activiteit is als afgerond gemeld.")
    else:
        subject = _("Niet verschenen: %(offer)s") % {"offer": booking.offer.title}
        note = _("Gemeld is dat de klas niet is verschenen.")
    body = _summary(booking) + "\n\n" + note
    users = school_users(booking)
    if not by_provider:
        users += provider_users(booking)
    _tell([u for u in users if actor is None or u.pk != actor.pk], booking, subject, body)
    return booking


# --- Waiting lists ------------------------------------------------------------------------------


def offer_freed_seats(*, slot_id: int, actor: Any, now: dt.datetime | None = None) -> list[Booking]:
    """Offer free seats to waiting classes in order of asking: each class that fits, as a unit."""
    now = now or timezone.now()
    slot = Slot.objects.select_for_update().select_related("offer").get(pk=slot_id)
    if slot.status != SlotStatus.OPEN or slot.starts_at <= now:
        return []
    offered = []
    deadline = min(
        now + dt.timedelta(hours=WAITLIST_OFFER_HOURS), slot.starts_at - dt.timedelta(hours=12)
    )
    for booking in Booking.objects.filter(slot=slot, status=Status.WAITING).order_by(
        "created_at", "pk"
    ):
        seats = _seats_needed(slot, booking.pupils_count)
        if booking.quota_id and not _take_quota(booking.quota_id):
            continue
        if not _take_seats(slot.pk, seats):
            if booking.quota_id:
                ProgrammeQuota.objects.filter(pk=booking.quota_id).update(used=F("used") - 1)
            continue
        booking = _lock(booking)
        _move(booking, Event.OFFER_SEATS, actor=actor, seats=seats, offer_expires_at=deadline)
        _tell(
            school_users(booking),
            booking,
            _("Er is plek: %(offer)s") % {"offer": slot.offer.title},
            _summary(booking)
            + "\n\n"
            + _("Neem de plek aan vóór %(deadline)s; daarna gaat hij naar de volgende klas.")
            % {"deadline": _day(deadline)},
        )
        offered.append(booking)
    return offered


def promote_waiting(*, provider_id: int, day: dt.date) -> list[Booking]:
    """Asks waiting for a provider's load limit move to the provider as soon as they fit."""
    promoted = []
    waiting = Booking.objects.filter(
        provider_id=provider_id, slot__isnull=True, status=Status.WAITING
    ).order_by("created_at", "pk")
    for booking in waiting:
        if exceeded_limit(
            provider_id=provider_id,
            activity_type_id=booking.activity_type_id,
            day=booking.ask_date,
            exclude_pk=booking.pk,
        ):
            continue
        if booking.quota_id and not _take_quota(booking.quota_id):
            continue
        booking = _lock(booking)
        _move(booking, Event.PROMOTE, actor=None, reason="")
        _tell(
            provider_users(booking),
            booking,
            _("Nieuwe aanvraag (van de wachtlijst): %(offer)s") % {"offer": booking.offer.title},
            _summary(booking),
        )
        _tell(
            school_users(booking),
            booking,
            _("Van de wachtlijst naar de aanbieder: %(offer)s") % {"offer": booking.offer.title},
            _summary(booking)
            + "\n\n"
            + _("Er is weer ruimte bij %(provider)s; uw aanvraag ligt nu bij de aanbieder.")
            % {"provider": booking.provider.label},
        )
        promoted.append(booking)
    return promoted


# --- Scheduled housekeeping ---------------------------------------------------------------------


@transaction.atomic
def housekeeping(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Expire waiting-list offers and send the reminders two days before. Run it every hour."""
    now = now or timezone.now()
    expired = 0
    for booking in Booking.objects.filter(status=Status.OFFERED, offer_expires_at__lt=now):
        booking = _lock(booking)
        _move(
            booking,
            Event.EXPIRE,
            actor=None,
            reason=_("De aangeboden plek is niet op tijd aangenomen."),
        )
        _tell(
            school_users(booking),
            booking,
            _("Aanbod verlopen: %(offer)s") % {"offer": booking.offer.title},
            booking.reason,
        )
        expired += 1
    reminded = 0
    window_end = now + dt.timedelta(days=REMINDER_DAYS)
    due = Booking.objects.filter(
        status=Status.CONFIRMED,
        reminded_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=window_end,
    ).select_related("offer", "offer__contact", "provider", "school", "requested_by", "teacher")
    for booking in due:
        subject = _("Herinnering: %(offer)s") % {"offer": booking.offer.title}
        body = _summary(booking)
        if booking.offer.travel_notes:
            body += "\n\n" + booking.offer.travel_notes
        _tell(school_users(booking) + provider_users(booking), booking, subject, body, ics=True)
        Booking.objects.filter(pk=booking.pk).update(reminded_at=now)
        reminded += 1
    return {"expired": expired, "reminded": reminded}


# --- Provider settings, quotas, pricing, calendar feeds ----------------------------------------


@transaction.atomic
def load_limit_save(
    *,
    provider: Organisation,
    activity_type: Any,
    per: str,
    max_requests: int,
    overflow: str,
    actor: Any,
) -> LoadLimit:
    limit, _created = LoadLimit.objects.update_or_create(
        provider=provider,
        activity_type=activity_type,
        per=per,
        defaults={"max_requests": max_requests, "overflow": overflow},
    )
    audit.record(
        action="load_limit.saved",
        obj=limit,
        actor=actor,
        after=audit.snapshot(limit),
        region_id=provider.region_id,
    )
    return limit


def _provider_setting_delete(obj: LoadLimit | ClosedPeriod, action: str, actor: Any) -> None:
    audit.record(
        action=action,
        obj=obj,
        actor=actor,
        before=audit.snapshot(obj),
        region_id=obj.provider.region_id,
    )
    obj.delete()


@transaction.atomic
def load_limit_delete(*, limit: LoadLimit, actor: Any) -> None:
    _provider_setting_delete(limit, "load_limit.deleted", actor)


@transaction.atomic
def closed_period_save(
    *, provider: Organisation, starts_on: dt.date, ends_on: dt.date, reason: str, actor: Any
) -> ClosedPeriod:
    if ends_on < starts_on:
        raise _fail("ends_on", _("De einddatum ligt vóór de begindatum."))
    period = ClosedPeriod.objects.create(
        provider=provider, starts_on=starts_on, ends_on=ends_on, reason=reason
    )
    audit.record(
        action="closed_period.created",
        obj=period,
        actor=actor,
        after=audit.snapshot(period),
        region_id=provider.region_id,
    )
    return period


@transaction.atomic
def closed_period_delete(*, period: ClosedPeriod, actor: Any) -> None:
    _provider_setting_delete(period, "closed_period.deleted", actor)


@transaction.atomic
def quota_save(
    *, region: Region, actor: Any, quota: ProgrammeQuota | None = None, **fields: Any
) -> ProgrammeQuota:
    quota = ProgrammeQuota.objects.select_for_update().get(pk=quota.pk) if quota else None
    before = audit.snapshot(quota) if quota else None
    quota = quota or ProgrammeQuota(region=region)
    for name, value in fields.items():
        setattr(quota, name, value)
    if quota.total < quota.used:
        raise _fail(
            "total",
            _("Er zijn er al %(n)s vergeven; het aantal kan niet lager.") % {"n": quota.used},
        )
    if quota.provider.region_id != region.pk:
        raise _fail("provider", _("Kies een aanbieder uit de eigen regio."))
    quota.full_clean()
    quota.save()
    audit.record(
        action="quota.updated" if before else "quota.created",
        obj=quota,
        actor=actor,
        before=before,
        after=audit.snapshot(quota),
    )
    return quota


@transaction.atomic
def pricing_step_save(
    *, region: Region, school_year: SchoolYear, percent: Decimal, actor: Any
) -> PricingStep:
    if not Decimal(0) <= percent <= Decimal(100):
        raise _fail("own_contribution_percent", _("Een percentage tussen 0 en 100."))
    step, _created = PricingStep.objects.update_or_create(
        region=region, school_year=school_year, defaults={"own_contribution_percent": percent}
    )
    audit.record(
        action="pricing_step.saved",
        obj=step,
        actor=actor,
        after={"school_year": school_year.name, "percent": str(percent)},
    )
    return step


@transaction.atomic
def feed_create(*, actor: Any, organisation: Organisation | None = None) -> CalendarFeed:
    """A new secret calendar address; an older one for the same owner is revoked."""
    owner = {"organisation": organisation} if organisation else {"user": actor}
    CalendarFeed.objects.filter(**owner, revoked_at__isnull=True).update(revoked_at=timezone.now())
    feed = CalendarFeed.objects.create(**owner, created_by=actor)
    audit.record(
        action="calendar_feed.created",
        obj=feed,
        actor=actor,
        region_id=organisation.region_id if organisation else None,
    )
    return feed


@transaction.atomic
def feed_revoke(*, feed: CalendarFeed, actor: Any) -> None:
    CalendarFeed.objects.filter(pk=feed.pk).update(revoked_at=timezone.now())
    audit.record(action="calendar_feed.revoked", obj=feed, actor=actor)
