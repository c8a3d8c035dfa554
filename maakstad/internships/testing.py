"""Test helpers for internships, shared with other apps' tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from maakstad.catalogue import activity_types
from maakstad.catalogue.testing import ActivityTypeFactory, OfferFactory
from maakstad.internships.models import AdWeek, InternshipAd
from maakstad.organisations.models import Organisation


def monday(weeks_ahead: int = 2) -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=weeks_ahead)


def make_ad(
    company: Organisation,
    *,
    weeks: list[tuple[dt.date, int]] | None = None,
    days: int = 3,
    **offer: Any,
) -> InternshipAd:
    activity_type = ActivityTypeFactory.create(
        region=company.region, code=activity_types.VERDIEPENDE_STAGE
    )
    leerwegen = offer.pop("leerwegen", [])
    profiles = offer.pop("profiles", [])
    offer_obj = OfferFactory.create(
        provider=company,
        location=company.locations.first(),
        activity_type=activity_type,
        title=offer.pop("title", "Lassen bij ons bedrijf"),
        **offer,
    )
    offer_obj.leerwegen.set(leerwegen)
    offer_obj.profiles.set(profiles)
    ad = InternshipAd.objects.create(
        offer=offer_obj,
        skills="Lassen, meten",
        knowledge="Metaalsoorten",
        tasks="Meehelpen in de werkplaats",
        days=days,
        requirements="Werkschoenen",
        supervisor_name="Piet Begeleider",
        how_to_get_there="Bus 70",
    )
    for start, places in weeks if weeks is not None else [(monday(2), 2), (monday(3), 1)]:
        AdWeek.objects.create(ad=ad, week_start=start, places=places)
    return ad
