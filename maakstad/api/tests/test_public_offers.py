"""The public menukaart: published offers only, filters, pages, and no contact person's data."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from maakstad.catalogue import activity_types
from maakstad.catalogue.models import AUDIENCE_KINDS, OfferDate, OfferStatus
from maakstad.catalogue.testing import ActivityTypeFactory, OfferFactory
from maakstad.core.bitmask import choices_to_mask, to_mask
from maakstad.core.testing.factories import OrganisationFactory, RegionFactory, UserFactory
from maakstad.organisations.models import OrganisationKind


@pytest.mark.django_db
def test_lists_published_offers_without_a_token(world, api_get) -> None:
    published = OfferFactory.create(provider=world.company, title="Lassen")
    OfferFactory.create(provider=world.company, title="Concept", status=OfferStatus.DRAFT)
    OfferFactory.create(provider=world.company, title="Oud", status=OfferStatus.ARCHIVED)

    response = api_get("offers")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == published.pk
    assert item["title"] == "Lassen"
    assert item["provider"] == {"name": "Bedrijf C", "kind": "company"}
    assert item["activity_type"]["code"] == published.activity_type.code
    assert item["region"] == world.region.slug
    assert published.location is not None
    assert item["location"]["city"] == published.location.city
    assert set(item["cost"]) == {"unit", "amount", "own_contribution"}
    assert item["availability"] == {
        "weekdays": [],
        "available_from": None,
        "available_until": None,
        "dates": [],
        "notes": published.availability_notes,
    }


@pytest.mark.django_db
def test_availability_with_weekdays_range_and_upcoming_dates(world, api_get) -> None:
    today = timezone.localdate()
    offer = OfferFactory.create(
        provider=world.company,
        weekdays_mask=to_mask([1, 3]),
        available_from=today,
        available_until=today + dt.timedelta(days=90),
        availability_notes="Niet in de schoolvakanties",
    )
    later = today + dt.timedelta(days=120)
    OfferDate.objects.create(offer=offer, date=later)
    OfferDate.objects.create(offer=offer, date=today - dt.timedelta(days=1))

    availability = api_get("offers").json()["items"][0]["availability"]

    assert availability == {
        "weekdays": [1, 3],
        "available_from": today.isoformat(),
        "available_until": (today + dt.timedelta(days=90)).isoformat(),
        "dates": [later.isoformat()],
        "notes": "Niet in de schoolvakanties",
    }


@pytest.mark.django_db
def test_never_shows_contact_persons_personal_data(world, api_get) -> None:
    contact = UserFactory.create(
        email="jan.de.vries@bedrijf-c.test", full_name="Jan de Vries Contactpersoon"
    )
    world.company.email = "info@bedrijf-c.test"
    world.company.phone = "010-1234567"
    world.company.save()
    OfferFactory.create(provider=world.company, contact=contact)

    text = api_get("offers").content.decode()

    for secret in (
        "jan.de.vries",
        "Jan de Vries",
        "Contactpersoon",
        "info@bedrijf-c.test",
        "010-1234567",
        "@",
    ):
        assert secret not in text
    item = json.loads(text)["items"][0]
    assert not {"contact", "email", "phone", "contact_name"} & set(item)
    assert not {"email", "phone", "website"} & set(item["provider"])


@pytest.mark.django_db
def test_filters_by_activity_type_and_school_kind(world, api_get) -> None:
    guest = ActivityTypeFactory.create(region=world.region, code=activity_types.GASTLES)
    visit = ActivityTypeFactory.create(region=world.region, code=activity_types.BEDRIJFSBEZOEK)
    po_only = OfferFactory.create(
        provider=world.company,
        activity_type=guest,
        school_kinds_mask=choices_to_mask([OrganisationKind.PO], AUDIENCE_KINDS),
    )
    vmbo_only = OfferFactory.create(
        provider=world.company,
        activity_type=visit,
        school_kinds_mask=choices_to_mask([OrganisationKind.VMBO], AUDIENCE_KINDS),
    )
    everyone = OfferFactory.create(provider=world.company, activity_type=visit)

    def ids(**params: str) -> set[int]:
        return {item["id"] for item in api_get("offers", **params).json()["items"]}

    assert ids(activity_type=activity_types.GASTLES) == {po_only.pk}
    assert ids(activity_type=activity_types.BEDRIJFSBEZOEK) == {vmbo_only.pk, everyone.pk}
    assert ids(school_kind="vmbo") == {vmbo_only.pk, everyone.pk}
    assert ids(school_kind="po") == {po_only.pk, everyone.pk}
    assert ids(school_kind="po", activity_type=activity_types.BEDRIJFSBEZOEK) == {everyone.pk}
    assert api_get("offers", school_kind="university").status_code == 422


@pytest.mark.django_db
def test_filters_by_region(world, api_get) -> None:
    here = OfferFactory.create(provider=world.company)
    elsewhere = OrganisationFactory.create(
        region=RegionFactory.create(slug="elders", name="Elders"),
        kind=OrganisationKind.COMPANY,
    )
    OfferFactory.create(provider=elsewhere)

    body = api_get("offers", region=world.region.slug).json()

    assert [item["id"] for item in body["items"]] == [here.pk]
    assert api_get("offers").json()["count"] == 2


@pytest.mark.django_db
def test_pages(world, api_get, django_assert_max_num_queries) -> None:
    offers = [OfferFactory.create(provider=world.company) for _ in range(5)]

    with django_assert_max_num_queries(5):
        first = api_get("offers", page_size=2).json()
    last = api_get("offers", page_size=2, page=3).json()
    beyond = api_get("offers", page_size=2, page=9).json()

    assert first["count"] == 5
    assert [i["id"] for i in first["items"]] == [o.pk for o in offers[:2]]
    assert first["next_page"] == 2
    assert [i["id"] for i in last["items"]] == [offers[4].pk]
    assert last["next_page"] is None
    assert beyond["items"] == []
    assert api_get("offers", page_size=101).status_code == 422
    assert api_get("offers", page=0).status_code == 422


@pytest.mark.django_db
def test_inactive_providers_are_left_out(world, api_get) -> None:
    OfferFactory.create(provider=world.company)
    world.company.is_active = False
    world.company.save()

    assert api_get("offers").json()["count"] == 0
