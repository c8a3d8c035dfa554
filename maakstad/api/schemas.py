"""Response shapes of API v1. Changing or removing a field is a breaking change (docs/api.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from maakstad.attendance.models import Session
from maakstad.bookings.models import Booking
from maakstad.catalogue.models import Offer
from maakstad.internships.models import Application


class Error(Schema):
    detail: str


# --- Public menukaart ---


class ProviderOut(Schema):
    name: str
    kind: str


class ActivityTypeOut(Schema):
    code: str
    name: str


class AudienceOut(Schema):
    school_kinds: list[str] = Field(description="Leeg: alle schoolsoorten.")
    leerjaren: list[int]
    groepen: list[int]
    leerwegen: list[str]
    profielen: list[str]


class LocationOut(Schema):
    city: str
    latitude: float | None
    longitude: float | None


class CostOut(Schema):
    unit: str = Field(description="free, per_pupil of per_group")
    amount: Decimal
    own_contribution: Decimal


class AvailabilityOut(Schema):
    weekdays: list[int] = Field(description="0 = maandag ... 6 = zondag; leeg = elke dag")
    available_from: dt.date | None
    available_until: dt.date | None
    dates: list[dt.date] = Field(description="losse data vanaf vandaag")
    notes: str


class OfferOut(Schema):
    id: int
    title: str
    summary: str
    region: str
    provider: ProviderOut
    activity_type: ActivityTypeOut
    audience: AudienceOut
    location: LocationOut | None
    cost: CostOut
    availability: AvailabilityOut
    min_pupils: int | None
    max_pupils: int | None
    duration_minutes: int | None
    is_programme_offer: bool
    published_at: dt.datetime | None

    @staticmethod
    def resolve_region(obj: Offer) -> str:
        return obj.provider.region.slug

    @staticmethod
    def resolve_audience(obj: Offer) -> dict[str, Any]:
        return {
            "school_kinds": obj.school_kinds,
            "leerjaren": obj.leerjaren,
            "groepen": obj.groepen,
            "leerwegen": [t.code for t in obj.leerwegen.all()],
            "profielen": [t.code for t in obj.profiles.all()],
        }

    @staticmethod
    def resolve_location(obj: Offer) -> dict[str, Any] | None:
        loc = obj.location
        if loc is None:
            return None
        return {
            "city": loc.city,
            "latitude": float(loc.latitude) if loc.latitude is not None else None,
            "longitude": float(loc.longitude) if loc.longitude is not None else None,
        }

    @staticmethod
    def resolve_availability(obj: Offer) -> dict[str, Any]:
        return {
            "weekdays": obj.weekdays,
            "available_from": obj.available_from,
            "available_until": obj.available_until,
            "dates": [d.date for d in obj.upcoming_dates],  # type: ignore[attr-defined]
            "notes": obj.availability_notes,
        }

    @staticmethod
    def resolve_cost(obj: Offer) -> dict[str, Any]:
        return {
            "unit": obj.cost_unit,
            "amount": obj.cost_amount,
            "own_contribution": obj.own_contribution_amount,
        }


# --- The organisation's own data ---


class BookingOut(Schema):
    id: int
    role: str = Field(description="school of provider: de rol van uw organisatie")
    status: str
    offer_id: int
    offer_title: str
    activity_type: str
    school: str
    provider: str
    class_name: str
    pupils_count: int
    leerjaar: int | None
    groep: int | None
    school_year: str | None
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    price_total: Decimal | None
    amount_due: Decimal | None
    created_at: dt.datetime

    @staticmethod
    def resolve_offer_title(obj: Booking) -> str:
        return obj.offer.title

    @staticmethod
    def resolve_activity_type(obj: Booking) -> str:
        return obj.activity_type.code

    @staticmethod
    def resolve_school(obj: Booking) -> str:
        return obj.school.name

    @staticmethod
    def resolve_provider(obj: Booking) -> str:
        return obj.provider.name

    @staticmethod
    def resolve_school_year(obj: Booking) -> str | None:
        return obj.school_year.name if obj.school_year else None


class PlacementDayOut(Schema):
    date: dt.date
    starts_at: dt.time
    ends_at: dt.time
    state: str


class ApplicationOut(Schema):
    id: int
    ad_title: str
    company: str
    school: str
    pupil: str = Field(description="Voornaam en initiaal van de achternaam")
    status: str
    week_start: dt.date | None
    days: list[PlacementDayOut]
    created_at: dt.datetime

    @staticmethod
    def resolve_ad_title(obj: Application) -> str:
        return obj.ad.offer.title

    @staticmethod
    def resolve_company(obj: Application) -> str:
        return obj.ad.offer.provider.name

    @staticmethod
    def resolve_school(obj: Application) -> str:
        return obj.pupil.school.name

    @staticmethod
    def resolve_pupil(obj: Application) -> str:
        return obj.pupil.short_name

    @staticmethod
    def resolve_week_start(obj: Application) -> dt.date | None:
        return obj.week.week_start if obj.week else None

    @staticmethod
    def resolve_days(obj: Application) -> list[Any]:
        return list(obj.days.all())


class SessionOut(Schema):
    id: int
    title: str
    category: str
    status: str
    host: str
    city: str | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    pupils_expected: int
    pupils_present: int

    @staticmethod
    def resolve_host(obj: Session) -> str:
        return obj.provider.name

    @staticmethod
    def resolve_city(obj: Session) -> str | None:
        return obj.location.city if obj.location else None

    @staticmethod
    def resolve_pupils_expected(obj: Any) -> int:
        return int(obj.expected)

    @staticmethod
    def resolve_pupils_present(obj: Any) -> int:
        return int(obj.present)


class CofinancingLine(Schema):
    company: str
    hours: dict[str, float]
    euros: dict[str, float]
    total_hours: float
    total_euros: float
    sources: dict[str, str]


class CofinancingTotals(Schema):
    hours: dict[str, float]
    euros: dict[str, float]
    total_hours: float
    total_euros: float


class CofinancingOut(Schema):
    region: str
    school_year: str = Field(description="Leeg: de hele programmaperiode")
    rate_eur_per_hour: float
    companies: list[CofinancingLine]
    totals: CofinancingTotals


class MilestoneOut(Schema):
    key: str
    code: str
    action_line: int
    description: str
    target_year: int
    target_quarter: int
    numeric_target: Decimal | None
    unit: str
    indicator_code: str
    value: Decimal | None
    status: str
    progress: int | None = Field(description="Procent van het doel, hoogstens 100")
    achieved_on: dt.date | None


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    value: Decimal | None


class MonitoringOut(Schema):
    programme: str
    subsidy_number: str
    milestones: list[MilestoneOut]
    indicators: list[IndicatorOut]


# --- Pages ---


class PageMeta(Schema):
    count: int
    page: int
    page_size: int
    next_page: int | None


class OfferPage(PageMeta):
    items: list[OfferOut]


class BookingPage(PageMeta):
    items: list[BookingOut]


class ApplicationPage(PageMeta):
    items: list[ApplicationOut]


class SessionPage(PageMeta):
    items: list[SessionOut]
