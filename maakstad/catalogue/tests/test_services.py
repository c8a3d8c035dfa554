from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from maakstad.catalogue import activity_types as codes
from maakstad.catalogue import permissions, services
from maakstad.catalogue.models import ActivityType, CostUnit, OfferStatus
from maakstad.catalogue.testing import OfferFactory
from maakstad.core.models import AuditEntry
from maakstad.core.testing.factories import LocationFactory, OrganisationFactory, RegionFactory
from maakstad.organisations.models import OrganisationKind, Term

pytestmark = pytest.mark.django_db


def _fields(types: dict[str, ActivityType], **extra: Any) -> dict[str, Any]:
    return {
        "activity_type": types[codes.GASTLES],
        "title": "Gastles lassen",
        "summary": "Een lasser vertelt over zijn vak.",
        "min_pupils": 10,
        "max_pupils": 30,
        **extra,
    }


def test_defaults_are_complete_and_idempotent(world: Any) -> None:
    first = services.activity_types_ensure_defaults(world.region)
    assert len(first) == 13
    assert all(t.definition and t.explanation and t.conditions for t in first)
    services.activity_types_ensure_defaults(world.region)
    assert ActivityType.objects.filter(region=world.region).count() == 13
    assert ActivityType.objects.get(
        region=world.region, code=codes.VERDIEPENDE_STAGE
    ).insurance_default


def test_company_creates_publishes_and_archives(world: Any, types: dict[str, ActivityType]) -> None:
    contact = world.user("company")
    pie = Term.objects.profiles().get(code="PIE")
    offer = services.offer_create(
        provider=world.company, fields=_fields(types, profiles=[pie]), actor=contact
    )
    assert offer.status == OfferStatus.DRAFT
    assert offer.location == world.company.locations.first()
    assert list(offer.profiles.all()) == [pie]
    services.offer_publish(offer=offer, actor=contact)
    assert offer.status == OfferStatus.PUBLISHED and offer.published_at
    services.offer_archive(offer=offer, actor=contact)
    assert offer.status == OfferStatus.ARCHIVED
    actions = list(
        AuditEntry.objects.filter(object_id=str(offer.pk)).values_list("action", flat=True)
    )
    assert {
        "catalogue.offer.create",
        "catalogue.offer.publish",
        "catalogue.offer.archive",
    } <= set(actions)
    with pytest.raises(ValidationError, match="kan niet naar"):
        services.offer_archive(offer=offer, actor=contact)


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"min_pupils": 20, "max_pupils": 10}, "max_pupils", "niet kleiner zijn dan het minimum"),
        (
            {"available_from": dt.date(2020, 1, 1)},
            "available_from",
            "Deze datum ligt in het verleden.",
        ),
        (
            {"cost_unit": CostUnit.FREE, "cost_amount": Decimal("5")},
            "cost_amount",
            "Gratis aanbod heeft geen bedrag",
        ),
        ({"cost_unit": CostUnit.PER_PUPIL, "cost_amount": 0}, "cost_amount", "Vul het bedrag in"),
        (
            {
                "cost_unit": CostUnit.PER_GROUP,
                "cost_amount": Decimal("100"),
                "own_contribution_amount": Decimal("150"),
            },
            "own_contribution_amount",
            "hoger dan de kosten",
        ),
        ({"title": "  "}, "title", "Geef het aanbod een titel."),
    ],
)
def test_bad_input_gives_dutch_field_errors(
    world: Any, types: dict[str, ActivityType], extra: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as info:
        services.offer_create(
            provider=world.company, fields=_fields(types, **extra), actor=world.user("company")
        )
    assert field in info.value.message_dict
    assert any(message in m for m in info.value.message_dict[field])
    assert not world.company.offers.exists()


def test_location_must_belong_to_the_provider(world: Any, types: dict[str, ActivityType]) -> None:
    other = LocationFactory.create(organisation=world.mbo)
    with pytest.raises(ValidationError) as info:
        services.offer_create(
            provider=world.company,
            fields=_fields(types, location=other),
            actor=world.user("company"),
        )
    assert info.value.message_dict["location"] == ["Deze locatie hoort niet bij de aanbieder."]


def test_past_dates_allowed_when_unchanged(world: Any, types: dict[str, ActivityType]) -> None:
    offer = OfferFactory.create(
        provider=world.company,
        activity_type=types[codes.GASTLES],
        available_from=timezone.localdate() - dt.timedelta(days=30),
    )
    services.offer_update(
        offer=offer, fields={"title": "Nieuwe titel"}, actor=world.user("company")
    )
    with pytest.raises(ValidationError):
        services.offer_update(
            offer=offer,
            fields={"available_from": timezone.localdate() - dt.timedelta(days=1)},
            actor=world.user("company"),
        )


def test_other_organisations_cannot_write(world: Any, types: dict[str, ActivityType]) -> None:
    offer = OfferFactory.create(provider=world.company, activity_type=types[codes.GASTLES])
    with pytest.raises(ValidationError):
        services.offer_update(offer=offer, fields={"title": "x"}, actor=world.user("teacher_b"))
    with pytest.raises(ValidationError):
        services.offer_create(
            provider=world.company, fields=_fields(types), actor=world.user("teacher_a")
        )
    with pytest.raises(ValidationError):
        services.offer_mark_programme(
            offer=offer, is_programme_offer=True, actor=world.user("company")
        )
    services.offer_mark_programme(
        offer=offer, is_programme_offer=True, actor=world.user("programme")
    )
    offer.refresh_from_db()
    assert offer.is_programme_offer


def test_vmbo_school_offers_only_po_lessons(world: Any, types: dict[str, ActivityType]) -> None:
    teacher = world.user("teacher_a")
    with pytest.raises(ValidationError) as info:
        services.offer_create(provider=world.school_a, fields=_fields(types), actor=teacher)
    assert "activity_type" in info.value.message_dict
    offer = services.offer_create(
        provider=world.school_a,
        fields=_fields(types, activity_type=types[codes.TECHNIEKLES_PO], groepen_mask=0b111100000),
        actor=teacher,
    )
    assert offer.provider == world.school_a


def test_confirm_refreshes_confirmed_at(world: Any, types: dict[str, ActivityType]) -> None:
    old = timezone.now() - dt.timedelta(days=400)
    offer = OfferFactory.create(provider=world.company, confirmed_at=old)
    services.offer_confirm(offer=offer, actor=world.user("company"))
    offer.refresh_from_db()
    assert offer.confirmed_at and offer.confirmed_at > old


def test_activity_types_are_curated_by_the_programme_office(world: Any) -> None:
    with pytest.raises(ValidationError):
        services.activity_type_create(
            region=world.region, code="hackathon", name="Hackathon", actor=world.user("company")
        )
    created = services.activity_type_create(
        region=world.region, code="hackathon", name="Hackathon", actor=world.user("programme")
    )
    services.activity_type_update(
        activity_type=created,
        fields={"definition": "Een dag bouwen."},
        actor=world.user("programme"),
    )
    created.refresh_from_db()
    assert created.definition == "Een dag bouwen."


def test_visibility(world: Any, types: dict[str, ActivityType]) -> None:
    published = OfferFactory.create(provider=world.company)
    draft = OfferFactory.create(provider=world.company, status=OfferStatus.DRAFT)
    other_region = RegionFactory.create(slug="elders", name="Elders")
    elsewhere = OfferFactory.create(
        provider=OrganisationFactory.create(region=other_region, kind=OrganisationKind.COMPANY)
    )
    teacher = set(permissions.offers_for_user(world.user("teacher_b")))
    assert published in teacher and draft not in teacher and elsewhere not in teacher
    assert draft in set(permissions.offers_for_user(world.user("company")))
    assert draft in set(permissions.offers_for_user(world.user("programme")))
    assert not permissions.offers_for_user(None).exists()
