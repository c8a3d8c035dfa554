"""Reads of the bookings app: the provider's queue, what a provider already has, the load report,
what schools owe."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncQuarter
from django.utils import timezone

from maakstad.bookings.models import ACTIVE, GRANTED, HOLDING, Booking, Slot, SlotStatus, Status
from maakstad.bookings.services import period_bounds
from maakstad.catalogue.models import Offer, OfferStatus
from maakstad.organisations.models import Region

LIST_RELATED = ("offer", "provider", "school", "slot")


def booking_list(
    bookings: QuerySet[Booking], *, status: str = "", provider_id: int | None = None
) -> QuerySet[Booking]:
    if status == "open":
        bookings = bookings.filter(status__in=ACTIVE)
    elif status:
        bookings = bookings.filter(status=status)
    if provider_id:
        bookings = bookings.filter(provider_id=provider_id)
    return bookings.select_related(*LIST_RELATED).order_by(
        F("starts_at").asc(nulls_last=True), "ask_date", "pk"
    )


def upcoming_slots(offer: Offer, *, now: dt.datetime | None = None) -> list[Slot]:
    now = now or timezone.now()
    return list(
        Slot.objects.filter(offer=offer, status=SlotStatus.OPEN, starts_at__gt=now)
        .select_related("location")
        .order_by("starts_at")[:50]
    )


@dataclass
class ProviderPicture:
    """What a provider already has in the month of a planned ask, shown before asking again."""

    start: dt.date
    end: dt.date
    asks: int
    granted: int
    by_school: list[tuple[str, int]]
    joinable: list[Slot]


def provider_picture(
    offer: Offer, day: dt.date, *, school_id: int | None = None
) -> ProviderPicture:
    start, end = period_bounds(day, "month")
    asks = Booking.objects.filter(provider_id=offer.provider_id, ask_date__range=(start, end))
    if school_id:
        asks = asks.exclude(school_id=school_id)
    counts = asks.aggregate(
        asks=Count("pk", filter=Q(status__in=HOLDING | {Status.WAITING})),
        granted=Count("pk", filter=Q(status__in=GRANTED)),
    )
    by_school = list(
        asks.filter(status__in=HOLDING)
        .values_list("school__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "school__name")[:8]
    )
    joinable = [
        slot
        for slot in Slot.objects.filter(
            offer__provider_id=offer.provider_id,
            offer__activity_type_id=offer.activity_type_id,
            status=SlotStatus.OPEN,
            starts_at__gt=timezone.now(),
        )
        .select_related("offer")
        .order_by("starts_at")[:20]
        if slot.seats_free > 0
    ][:5]
    return ProviderPicture(start, end, counts["asks"], counts["granted"], by_school, joinable)


@dataclass
class LoadRow:
    provider: str
    provider_id: int
    activity_type: str
    asks: int = 0
    granted: int = 0
    declined: int = 0
    waiting: int = 0
    pupils: int = 0
    minutes: int = 0  # pupil minutes: pupils × the activity's length

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"))


@dataclass
class LoadReport:
    start: dt.date
    end: dt.date
    rows: list[LoadRow] = field(default_factory=list)
    most_asked: list[tuple[str, int]] = field(default_factory=list)
    # Providers with a published offer (of the activity type) count too, with 0 asks.
    least_asked: list[tuple[str, int]] = field(default_factory=list)
    never_asked: int = 0
    per: str = "month"
    # (first day of the month or quarter, asks, granted, declined), in order.
    periods: list[tuple[dt.date, int, int, int]] = field(default_factory=list)

    def table(self) -> tuple[list[str], list[list[Any]]]:
        header = [
            "Aanbieder",
            "Soort activiteit",
            "Vragen",
            "Geaccepteerd",
            "Afgewezen",
            "Wachtlijst",
            "Leerlingen ontvangen",
            "Leerlinguren",
        ]
        return header, [
            [
                r.provider,
                r.activity_type,
                r.asks,
                r.granted,
                r.declined,
                r.waiting,
                r.pupils,
                float(r.hours),
            ]
            for r in self.rows
        ]


def load_report(
    region: Region,
    start: dt.date,
    end: dt.date,
    *,
    activity_type_id: int | None = None,
    per: str = "month",
) -> LoadReport:
    """Asks, accepted, declined, pupils hosted and pupil hours per provider and activity type;
    the asks per month (or quarter); providers with no asks at all among the least asked."""
    bookings = Booking.objects.filter(region=region, ask_date__range=(start, end))
    if activity_type_id:
        bookings = bookings.filter(activity_type_id=activity_type_id)
    grouped = (
        bookings.values("provider_id", "provider__name", "activity_type__name")
        .annotate(
            asks=Count("pk"),
            granted=Count("pk", filter=Q(status__in=GRANTED)),
            declined=Count("pk", filter=Q(status=Status.DECLINED)),
            waiting=Count("pk", filter=Q(status=Status.WAITING)),
            pupils=Sum("pupils_count", filter=Q(status=Status.COMPLETED), default=0),
        )
        .order_by("provider__name", "activity_type__name")
    )
    report = LoadReport(start, end, per=per)
    trunc = TruncQuarter if per == "quarter" else TruncMonth
    report.periods = [
        (g["period"], g["asks"], g["granted"], g["declined"])
        for g in bookings.annotate(period=trunc("ask_date"))
        .values("period")
        .annotate(
            asks=Count("pk"),
            granted=Count("pk", filter=Q(status__in=GRANTED)),
            declined=Count("pk", filter=Q(status=Status.DECLINED)),
        )
        .order_by("period")
    ]
    index: dict[tuple[int, str], LoadRow] = {}
    for g in grouped:
        row = LoadRow(
            provider=g["provider__name"],
            provider_id=g["provider_id"],
            activity_type=g["activity_type__name"],
            asks=g["asks"],
            granted=g["granted"],
            declined=g["declined"],
            waiting=g["waiting"],
            pupils=g["pupils"],
        )
        index[(row.provider_id, row.activity_type)] = row
        report.rows.append(row)
    # Pupil hours: pupils × the activity's length, for completed bookings.
    minutes: dict[tuple[int, str], int] = defaultdict(int)
    for provider_id, type_name, pupils, starts, ends, default in bookings.filter(
        status=Status.COMPLETED
    ).values_list(
        "provider_id",
        "activity_type__name",
        "pupils_count",
        "starts_at",
        "ends_at",
        "offer__duration_minutes",
    ):
        length = int((ends - starts).total_seconds() // 60) if starts and ends else default or 0
        minutes[(provider_id, type_name)] += pupils * length
    for key, value in minutes.items():
        if key in index:
            index[key].minutes = value
    per_provider: dict[str, int] = defaultdict(int)
    for row in report.rows:
        per_provider[row.provider] += row.asks
    offering = Offer.objects.filter(provider__region=region, status=OfferStatus.PUBLISHED)
    if activity_type_id:
        offering = offering.filter(activity_type_id=activity_type_id)
    for name in offering.values_list("provider__name", flat=True).distinct():
        if name not in per_provider:
            per_provider[name] = 0
            report.never_asked += 1
    ranked = sorted(per_provider.items(), key=lambda item: (-item[1], item[0]))
    report.most_asked = ranked[:10]
    report.least_asked = sorted(per_provider.items(), key=lambda item: (item[1], item[0]))[:10]
    return report


def owed_by_school(region: Region, school_year: str) -> tuple[list[str], list[list[Any]]]:
    """What each school owes as own contribution in a school year (cancelled bookings excluded)."""
    rows = (
        Booking.objects.filter(
            region=region,
            school_year__name=school_year,
            status__in=GRANTED,
        )
        .values("school__name", "school__brin")
        .annotate(bookings=Count("pk"), total=Sum("price_total"), due=Sum("amount_due"))
        .order_by("school__name")
    )
    header = ["School", "BRIN", "Boekingen", "Kosten (€)", "Eigen bijdrage (€)"]
    return header, [
        [r["school__name"], r["school__brin"], r["bookings"], r["total"], r["due"]] for r in rows
    ]


@dataclass
class PriceEstimate:
    pupils_count: int
    total: Decimal
    due: Decimal
    note: str


def price_estimate(offer: Offer, school: Any, *, pupils_count: int, day: dt.date) -> PriceEstimate:
    """What a booking would cost and what the school would pay, as `booking_request` computes it
    (before the quota's own per-school checks): shown on the request form before submitting."""
    from maakstad.bookings.services import price, quota_for
    from maakstad.organisations.models import SchoolYear

    total, due, note = price(
        offer=offer,
        school=school,
        pupils_count=pupils_count,
        school_year=SchoolYear.for_date(day),
        quota=quota_for(offer, day),
    )
    return PriceEstimate(pupils_count=pupils_count, total=total, due=due, note=note)
