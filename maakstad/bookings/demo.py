"""Demo bookings for TechTown: the plan's pricing rule and programme quotas, load limits of the
Lomans demo company, a year and a half of history (Spacebuzz, TechMission010, technology lessons
for primary schools, guest lessons and company visits) and open requests in the demo queues.

History is written directly (the services refuse dates in the past); what is still to come goes
through the services, so that seats, quotas and notifications are real. Idempotent: when the
region has bookings, only the settings are brought up to date.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from maakstad.bookings import services
from maakstad.bookings.models import (
    Booking,
    ClosedPeriod,
    LoadLimit,
    LoadPer,
    Overflow,
    PricingStep,
    ProgrammeQuota,
    Slot,
    SlotUnit,
    Status,
)
from maakstad.catalogue import activity_types as codes
from maakstad.catalogue.models import BookingMode, Offer, OfferStatus
from maakstad.core.demo import DemoContext
from maakstad.organisations.models import Organisation, OrganisationKind, Region, SchoolYear

# (name, provider, first day, last day, total, per school until a date)
QUOTAS = (
    ("Spacebuzz 2025", "Spacebuzz", dt.date(2025, 9, 1), dt.date(2025, 12, 31), 5, None),
    (
        "Spacebuzz 2026",
        "Spacebuzz",
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
        15,
        (1, dt.date(2026, 3, 31)),
    ),
    (
        "TechMission010 2026",
        "TechMission010",
        dt.date(2026, 9, 1),
        dt.date(2026, 12, 31),
        70,
        (3, dt.date(2026, 10, 31)),
    ),
)
# The plan: free in 2025-2026, 10 % from 2026-2027, then rising (the step after is our example).
PRICING = ((2025, Decimal("0")), (2026, Decimal("10")), (2027, Decimal("20")))
# Completed in the past: (provider, first day, last day, classes).
HISTORY = (
    ("Spacebuzz", dt.date(2025, 10, 6), dt.date(2025, 12, 12), 5),
    ("Spacebuzz", dt.date(2026, 2, 2), dt.date(2026, 6, 26), 9),
    ("TechMission010", dt.date(2026, 9, 14), dt.date(2026, 11, 20), 26),
)


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _open_day(offer: Offer, day: dt.date) -> dt.date:
    """The first school day from `day` on which the offer is available."""
    day = _weekday(day)
    while offer.weekdays_mask and day.weekday() not in offer.weekdays:
        day = _weekday(day + dt.timedelta(days=1))
    return day


def _settings(region: Region, providers: dict[str, Organisation]) -> None:
    for start_year, percent in PRICING:
        year = SchoolYear.for_date(dt.date(start_year, 9, 1))
        PricingStep.objects.update_or_create(
            region=region, school_year=year, defaults={"own_contribution_percent": percent}
        )
    for name, provider_name, start, end, total, fair in QUOTAS:
        provider = providers.get(provider_name)
        if provider is None:
            continue
        ProgrammeQuota.objects.get_or_create(
            region=region,
            name=name,
            defaults={
                "provider": provider,
                "starts_on": start,
                "ends_on": end,
                "total": total,
                "per_school_max": fair[0] if fair else None,
                "fair_share_until": fair[1] if fair else None,
            },
        )
    lomans = providers.get("Lomans")
    if lomans is not None:
        types = {
            o.activity_type.code: o.activity_type
            for o in lomans.offers.select_related("activity_type")
        }
        if codes.GASTLES in types:
            LoadLimit.objects.get_or_create(
                provider=lomans,
                activity_type=types[codes.GASTLES],
                per=LoadPer.QUARTER,
                defaults={"max_requests": 6, "overflow": Overflow.REFUSE},
            )
        if codes.BEDRIJFSBEZOEK in types:
            LoadLimit.objects.get_or_create(
                provider=lomans,
                activity_type=types[codes.BEDRIJFSBEZOEK],
                per=LoadPer.MONTH,
                defaults={"max_requests": 2, "overflow": Overflow.WAITLIST},
            )
        ClosedPeriod.objects.get_or_create(
            provider=lomans,
            starts_on=dt.date(2026, 12, 14),
            ends_on=dt.date(2027, 1, 3),
            defaults={"reason": "Geen aanvragen rond de feestdagen: jaarafsluiting."},
        )


def _past(
    ctx: DemoContext,
    offer: Offer,
    school: Organisation,
    when: dt.datetime,
    *,
    status: str = Status.COMPLETED,
    quota: ProgrammeQuota | None = None,
    slot: bool = False,
) -> Booking:
    po = school.kind == OrganisationKind.PO
    pupils = ctx.rng.randint(offer.min_pupils or 18, min(offer.max_pupils or 30, 30))
    year = SchoolYear.for_date(when.date())
    total, due, note = services.price(
        offer=offer, school=school, pupils_count=pupils, school_year=year, quota=quota
    )
    ends = when + dt.timedelta(minutes=offer.duration_minutes or 90)
    moment = None
    if slot:
        moment = Slot.objects.create(
            offer=offer,
            location=offer.location,
            starts_at=when,
            ends_at=ends,
            unit=SlotUnit.GROUPS,
            capacity=1,
            seats_taken=1,
        )
    return Booking(
        region_id=offer.provider.region_id,
        offer=offer,
        provider_id=offer.provider_id,
        activity_type_id=offer.activity_type_id,
        slot=moment,
        school=school,
        class_name=f"{ctx.rng.randint(5, 8)}{'abc'[ctx.rng.randint(0, 2)]}"
        if po
        else f"{ctx.rng.randint(1, 2)}{'ABCK'[ctx.rng.randint(0, 3)]}",
        pupils_count=pupils,
        groep=ctx.rng.randint(5, 8) if po else None,
        leerjaar=None if po else ctx.rng.randint(1, 2),
        status=status,
        ask_date=when.date(),
        school_year=year,
        starts_at=when,
        ends_at=ends,
        seats=1 if moment else 0,
        quota=quota,
        price_total=total,
        amount_due=due,
        pricing_note=note,
    )


def _history(ctx: DemoContext, region: Region, providers: dict[str, Organisation]) -> int:
    tz = timezone.get_current_timezone()
    vo = list(
        Organisation.objects.filter(region=region, kind=OrganisationKind.VMBO).order_by("name")
    )
    po = list(Organisation.objects.filter(region=region, kind=OrganisationKind.PO).order_by("name"))
    quotas = {q.name: q for q in ProgrammeQuota.objects.filter(region=region)}
    made: list[Booking] = []
    for provider_name, first, last, classes in HISTORY:
        offer = Offer.objects.filter(
            provider=providers.get(provider_name), status=OfferStatus.PUBLISHED
        ).first()
        if offer is None:
            continue
        span = (last - first).days
        for i in range(classes):
            day = _weekday(first + dt.timedelta(days=span * i // max(classes - 1, 1)))
            when = dt.datetime.combine(day, dt.time(9 + 2 * (i % 3), 0), tzinfo=tz)
            quota = next(
                (
                    q
                    for q in quotas.values()
                    if q.provider_id == offer.provider_id and q.starts_on <= day <= q.ends_on
                ),
                None,
            )
            made.append(_past(ctx, offer, vo[i % len(vo)], when, quota=quota, slot=True))
    # Technology lessons for groep 5-8: about one a school day in 2025-2026 and this autumn.
    lessons = list(
        Offer.objects.filter(
            provider__region=region,
            activity_type__code=codes.TECHNIEKLES_PO,
            status=OfferStatus.PUBLISHED,
        )
    )
    today = timezone.localdate()
    day = dt.date(2025, 9, 8)
    index = 0
    while lessons and po and day < today - dt.timedelta(days=1):
        if (
            day.weekday() < 5
            and not (dt.date(2025, 12, 20) <= day <= dt.date(2026, 1, 4))
            and not (dt.date(2026, 7, 11) <= day <= dt.date(2026, 8, 30))
        ):
            when = dt.datetime.combine(day, dt.time(9 if index % 2 else 13, 0), tzinfo=tz)
            made.append(
                _past(ctx, lessons[index % len(lessons)], po[index % len(po)], when, slot=True)
            )
            index += 1
        day += dt.timedelta(days=1)
    # Guest lessons and company visits with the region's companies, with the odd decline.
    requested = list(
        Offer.objects.filter(
            provider__region=region,
            activity_type__code__in=[codes.GASTLES, codes.BEDRIJFSBEZOEK],
            status=OfferStatus.PUBLISHED,
        ).order_by("pk")
    )
    for i in range(min(len(requested) * 3, 240)):
        offer = requested[(i * 7) % len(requested)]
        day = _weekday(dt.date(2025, 9, 15) + dt.timedelta(days=(i * 3) % 420))
        if day >= today:
            continue
        status = (
            Status.DECLINED if i % 13 == 5 else Status.NO_SHOW if i % 29 == 3 else Status.COMPLETED
        )
        when = dt.datetime.combine(day, dt.time(10, 0), tzinfo=tz)
        booking = _past(ctx, offer, vo[(i * 5) % len(vo)], when, status=status)
        if status == Status.DECLINED:
            booking.reason = "Geen begeleiders beschikbaar in die week."
        made.append(booking)
    Booking.objects.bulk_create(made)
    for quota in quotas.values():
        ProgrammeQuota.objects.filter(pk=quota.pk).update(
            used=Booking.objects.filter(quota=quota).count()
        )
    return len(made)


def _upcoming(ctx: DemoContext, region: Region, providers: dict[str, Organisation]) -> int:
    """Moments to come and open requests, through the services."""
    now = timezone.now()
    for offer in (
        Offer.objects.filter(
            provider__region=region,
            booking_mode=BookingMode.SCHEDULED,
            status=OfferStatus.PUBLISHED,
        )
        .exclude(activity_type__code__in=[codes.EXTERN_KEUZEVAK, codes.VERDIEPENDE_STAGE])
        .select_related("provider")
    ):
        groups = offer.activity_type.code in (codes.WORKSHOP, codes.TECHNIEKLES_PO)
        for week in (1, 2, 4, 6):
            day = _weekday(timezone.localdate() + dt.timedelta(days=7 * week + offer.pk % 5))
            if dt.date(2026, 12, 19) <= day <= dt.date(2027, 1, 3):
                continue
            starts = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))
            services.slot_save(
                offer=offer,
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=offer.duration_minutes or 120),
                capacity=2 if groups else 30,
                unit=SlotUnit.GROUPS if groups else SlotUnit.PUPILS,
                actor=None,
            )
    users = get_user_model().objects.in_bulk(
        ["docent@dehef.demo", "leerkracht@po.demo"], field_name="email"
    )
    teacher = users.get("docent@dehef.demo")
    made = 0
    if teacher is None:
        return made
    dehef = Organisation.objects.filter(memberships__user=teacher).first()
    if dehef is None:
        return made
    lomans = providers.get("Lomans")
    other = (
        Organisation.objects.filter(region=region, kind=OrganisationKind.VMBO)
        .exclude(pk=dehef.pk)
        .order_by("name")
        .first()
    )
    asks: list[dict[str, Any]] = []
    if lomans is not None:
        for offer in lomans.offers.filter(
            status=OfferStatus.PUBLISHED, booking_mode=BookingMode.ON_REQUEST
        ).exclude(activity_type__code=codes.VERDIEPENDE_STAGE):
            for school, class_name, days in ((dehef, "3K", 10), (other, "2C", 17)):
                asks.append(
                    {
                        "school": school,
                        "offer": offer,
                        "class_name": class_name,
                        "pupils_count": 22,
                        "leerjaar": 3,
                        "preferred_dates": [
                            _open_day(offer, now.date() + dt.timedelta(days=days)),
                            _open_day(offer, now.date() + dt.timedelta(days=days + 45)),
                        ],
                    }
                )
    spacebuzz = Offer.objects.filter(
        provider=providers.get("Spacebuzz"), status=OfferStatus.PUBLISHED
    ).first()
    slot = (
        Slot.objects.filter(offer=spacebuzz, starts_at__gt=now).order_by("starts_at").first()
        if spacebuzz
        else None
    )
    if slot is not None:
        asks.append(
            {
                "school": dehef,
                "offer": spacebuzz,
                "slot": slot,
                "class_name": "2B",
                "pupils_count": 26,
                "leerjaar": 2,
            }
        )
    for ask in asks:
        try:
            actor = teacher if ask["school"] == dehef else None
            booking = services.booking_request(actor=actor, **ask)
        except ValidationError as error:
            ctx.log(f"bookings: aanvraag overgeslagen ({'; '.join(error.messages)})")
            continue
        made += 1
        if booking.slot_id and booking.status == Status.REQUESTED:
            booking = services.booking_accept(booking=booking, actor=None)
            services.booking_confirm(booking=booking, actor=teacher)
    return made


def load(ctx: DemoContext) -> None:
    region = Region.objects.filter(slug="techtown").first()
    if region is None:
        return
    names = ("Spacebuzz", "TechMission010", "Lomans")
    providers = {o.name: o for o in Organisation.objects.filter(region=region, name__in=names)}
    _settings(region, providers)
    if Booking.objects.filter(region=region).exists():
        ctx.log("bookings: al geladen")
        return
    past = _history(ctx, region, providers)
    upcoming = _upcoming(ctx, region, providers)
    ctx.log(f"bookings: {past} afgeronde of afgewezen aanvragen, {upcoming} open aanvragen")
