"""factory_boy factories for the catalogue, shared by every app's tests."""

from __future__ import annotations

import factory
from django.utils import timezone

from maakstad.catalogue import activity_types
from maakstad.catalogue.models import ActivityType, Offer, OfferStatus
from maakstad.core.testing.factories import LocationFactory, OrganisationFactory, RegionFactory
from maakstad.organisations.models import OrganisationKind


class ActivityTypeFactory(factory.django.DjangoModelFactory[ActivityType]):
    class Meta:
        model = ActivityType
        django_get_or_create = ("region", "code")

    region = factory.SubFactory(RegionFactory)
    code = activity_types.BEDRIJFSBEZOEK
    name = factory.LazyAttribute(
        lambda o: dict(activity_types.STANDARD).get(o.code, o.code.capitalize())
    )


class OfferFactory(factory.django.DjangoModelFactory[Offer]):
    class Meta:
        model = Offer

    provider = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.COMPANY)
    location = factory.SubFactory(LocationFactory, organisation=factory.SelfAttribute("..provider"))
    activity_type = factory.SubFactory(
        ActivityTypeFactory, region=factory.SelfAttribute("..provider.region")
    )
    title = factory.Sequence(lambda n: f"Aanbod {n}")
    summary = "Een kijkje in de techniek."
    min_pupils = 5
    max_pupils = 30
    duration_minutes = 120
    status = OfferStatus.PUBLISHED
    confirmed_at = factory.LazyFunction(timezone.now)
    published_at = factory.LazyFunction(timezone.now)
