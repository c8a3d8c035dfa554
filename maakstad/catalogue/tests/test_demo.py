from __future__ import annotations

import io
import random
from typing import Any

import pytest
from django.utils import timezone

from maakstad.catalogue import activity_types as codes
from maakstad.catalogue import demo
from maakstad.catalogue.models import ActivityType, Offer, OfferDate
from maakstad.catalogue.selectors import stale_cutoff
from maakstad.core.demo import DemoContext
from maakstad.core.testing.factories import (
    LocationFactory,
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
)
from maakstad.organisations.models import OrganisationKind, Role

pytestmark = pytest.mark.django_db


def _ctx() -> DemoContext:
    return DemoContext(rng=random.Random(1), seed=1, pupil_count=0, stdout=io.StringIO())


def _region() -> Any:
    region = RegionFactory.create(slug="techtown")
    names = [
        *((n, OrganisationKind.COMPANY) for n in demo.ELECTIVES),
        ("Valk Welding", OrganisationKind.COMPANY),
        *((n, OrganisationKind.PARTNER) for n in (*demo.PO_PARTNERS, *demo.TECHTOWN)),
        ("Techniek College Rotterdam", OrganisationKind.MBO),
        ("Lentiz", OrganisationKind.MBO),
    ]
    for name, kind in names:
        org = OrganisationFactory.create(region=region, name=name, kind=kind)
        LocationFactory.create(organisation=org)
        MembershipFactory.create(organisation=org, role=Role.COMPANY_CONTACT)
    return region


def test_demo_offers_what_the_plan_says_and_is_idempotent() -> None:
    region = _region()
    ctx = _ctx()
    demo.load(ctx)
    count = Offer.objects.count()
    dates = sorted(OfferDate.objects.values_list("offer_id", "date", "note"))
    demo.load(_ctx())
    assert Offer.objects.count() == count
    assert sorted(OfferDate.objects.values_list("offer_id", "date", "note")) == dates
    # Spacebuzz comes on three Tuesdays, each mbo college's proefstuderen on two Wednesdays;
    # all ahead of today.
    spacebuzz = Offer.objects.get(provider__name="Spacebuzz")
    assert [d.weekday() for d in spacebuzz.dates.values_list("date", flat=True)] == [1, 1, 1]
    proef = OfferDate.objects.filter(offer__activity_type__code=codes.PROEFSTUDEREN_MBO)
    assert proef.count() == 4 and {d.date.weekday() for d in proef} == {2}
    assert proef.filter(note="ook open dag").count() == 2
    assert all(d > timezone.localdate() for d in OfferDate.objects.values_list("date", flat=True))
    assert ActivityType.objects.filter(region=region).count() == 13
    lomans = Offer.objects.filter(provider__name="Lomans")
    assert {o.activity_type.code for o in lomans} == {
        codes.EXTERN_KEUZEVAK,
        codes.GASTLES,
        codes.BEDRIJFSBEZOEK,
    }
    # Deepening internships come from the internships demo, not from here.
    assert not Offer.objects.filter(activity_type__code=codes.VERDIEPENDE_STAGE).exists()
    assert not Offer.objects.filter(
        provider__name="Valk Welding", activity_type__code=codes.EXTERN_KEUZEVAK
    ).exists()
    techtown = Offer.objects.filter(is_programme_offer=True)
    assert {o.provider.name for o in techtown} == {"Spacebuzz", "TechMission010"}
    po = Offer.objects.filter(activity_type__code=codes.TECHNIEKLES_PO)
    assert {o.provider.name for o in po} == set(demo.PO_PARTNERS)
    assert all(o.groepen == [5, 6, 7, 8] for o in po)
    assert Offer.objects.filter(provider__kind="mbo").count() == 4
    assert Offer.objects.filter(confirmed_at__lt=stale_cutoff()).exists()
    assert all(o.location and o.location.has_coordinates for o in Offer.objects.all())


def test_demo_skips_without_region() -> None:
    ctx = _ctx()
    demo.load(ctx)
    assert "overgeslagen" in ctx.stdout.getvalue()
    assert not Offer.objects.exists()
