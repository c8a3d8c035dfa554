"""Reads behind the API: every list starts from what the token's organisation may see.

The public menukaart carries no contact person; organisation lists are scoped to the token's
organisation (as school or as provider); pupils appear as first name and initial only.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, Count, Prefetch, Q, QuerySet, Value, When

from maakstad.attendance.ledger import Ledger, ledger
from maakstad.attendance.models import AttendanceStatus, Session
from maakstad.bookings.models import Booking
from maakstad.catalogue.models import AUDIENCE_KINDS, Offer, OfferStatus
from maakstad.catalogue.selectors import upcoming_dates
from maakstad.core.bitmask import filter_any
from maakstad.internships.models import Application, PlacementDay
from maakstad.monitoring.indicators import REGISTRY
from maakstad.monitoring.models import Programme
from maakstad.monitoring.selectors import MilestoneRow, milestone_rows
from maakstad.organisations.models import Organisation, Term


def public_offers(
    *, activity_type: str | None = None, school_kind: str | None = None, region: str | None = None
) -> QuerySet[Offer]:
    """Published offers of active providers, oldest first by id (a stable order for pages)."""
    qs: QuerySet[Offer] = Offer.objects.filter(
        status=OfferStatus.PUBLISHED, provider__is_active=True
    )
    if region:
        qs = qs.filter(provider__region__slug=region)
    if activity_type:
        qs = qs.filter(activity_type__code=activity_type)
    if school_kind:
        qs = filter_any(qs, "school_kinds_mask", [AUDIENCE_KINDS.index(school_kind)])
    codes = Term.objects.only("code")
    return (
        qs.select_related("provider", "provider__region", "activity_type", "location")
        .prefetch_related(
            Prefetch("leerwegen", codes), Prefetch("profiles", codes), upcoming_dates()
        )
        .order_by("id")
    )


def bookings_of(organisation: Organisation, *, status: str | None = None) -> QuerySet[Booking]:
    """Bookings where the organisation is the school or the provider."""
    qs = Booking.objects.filter(Q(school=organisation) | Q(provider=organisation))
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("offer", "activity_type", "school", "provider", "school_year")
        .annotate(
            role=Case(
                When(school=organisation, then=Value("school")),
                default=Value("provider"),
                output_field=CharField(),
            )
        )
        .order_by("id")
    )


def applications_of(
    organisation: Organisation, *, status: str | None = None
) -> QuerySet[Application]:
    """Internship applications of the organisation's pupils (as school), or to its ads once
    the guardians approved (as host company) — the same rule as the internship pages."""
    qs = Application.objects.filter(
        Q(pupil__school=organisation) | Q(ad__offer__provider=organisation, reached_company=True)
    )
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("ad__offer__provider", "pupil__school", "week")
        .prefetch_related(Prefetch("days", PlacementDay.objects.order_by("date")))
        .order_by("id")
    )


def sessions_of(organisation: Organisation) -> QuerySet[Session]:
    """Sessions the organisation hosts, and sessions its pupils are expected at (as school);
    the counts are of the organisation's own pupils unless it hosts the session."""
    own = Q(attendances__pupil__school=organisation)
    hosted = Q(provider=organisation)
    ids = Session.objects.filter(hosted | own).values("pk")
    everyone_or_own = Q(provider=organisation) | own
    return (
        Session.objects.filter(pk__in=ids)
        .select_related("provider", "location")
        .annotate(
            expected=Count("attendances", filter=everyone_or_own, distinct=True),
            present=Count(
                "attendances",
                filter=everyone_or_own & Q(attendances__status=AttendanceStatus.PRESENT),
                distinct=True,
            ),
        )
        .order_by("starts_at", "id")
    )


def cofinancing_of(organisation: Organisation, *, school_year: str | None) -> Ledger:
    """The region's co-financing ledger: whole for the programme office, the organisation's own
    line for anyone else (empty for a school)."""
    from maakstad.api.permissions import is_programme_office

    full = ledger(organisation.region, school_year)
    if is_programme_office(organisation):
        return full
    return Ledger(
        region=full.region,
        school_year=full.school_year,
        rate=full.rate,
        lines=[line for line in full.lines if line.company == organisation.name],
    )


def monitoring_of(organisation: Organisation, *, today: dt.date) -> dict[str, Any] | None:
    programme = Programme.objects.filter(region_id=organisation.region_id).first()
    if programme is None:
        return None
    rows: list[MilestoneRow] = milestone_rows(programme, today=today)
    values: dict[str, Decimal | None] = {}
    for row in rows:
        code = row.milestone.indicator_code
        if code and code in REGISTRY:
            values[code] = row.value
    return {
        "programme": programme,
        "rows": rows,
        "indicators": [
            {
                "code": code,
                "name": REGISTRY[code].name,
                "unit": REGISTRY[code].unit,
                "value": value,
            }
            for code, value in sorted(values.items())
        ],
    }
