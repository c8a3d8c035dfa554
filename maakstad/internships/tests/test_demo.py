from __future__ import annotations

import io
import random
from typing import Any

import pytest

from maakstad.core.demo import DemoContext
from maakstad.core.testing.factories import (
    GuardianFactory,
    LocationFactory,
    MembershipFactory,
    OrganisationFactory,
    PupilFactory,
    RegionFactory,
    UserFactory,
)
from maakstad.internships import demo
from maakstad.internships.models import AdWeek, Agreement, Application, InternshipAd, Status
from maakstad.internships.testing import make_ad
from maakstad.organisations.models import OrganisationKind, Role

pytestmark = pytest.mark.django_db


def _region() -> Any:
    region = RegionFactory.create(slug="techtown")
    for spec in demo.ADS:
        company = OrganisationFactory.create(
            region=region, name=spec.company, kind=OrganisationKind.COMPANY
        )
        LocationFactory.create(organisation=company)
        MembershipFactory.create(organisation=company, role=Role.COMPANY_CONTACT)
    schools = {
        kind: OrganisationFactory.create(region=region, name=f"School {kind}", kind=kind)
        for kind in (OrganisationKind.VMBO, OrganisationKind.PRO, OrganisationKind.VSO)
    }
    hef = OrganisationFactory.create(region=region, name="RVC de Hef", kind=OrganisationKind.VMBO)
    MembershipFactory.create(organisation=hef, role=Role.MENTOR)
    for school in schools.values():
        MembershipFactory.create(organisation=school, role=Role.MENTOR)
        for _n in range(12):
            pupil = PupilFactory.create(school=school, leerjaar=3, leerweg=None)
            GuardianFactory.create(pupil=pupil)
    user = UserFactory.create(email=demo.DEMO_PUPIL_EMAIL)
    PupilFactory.create(school=hef, leerjaar=3, user=user)
    return region


def _ctx() -> DemoContext:
    return DemoContext(rng=random.Random(1), seed=1, pupil_count=10, stdout=io.StringIO())


def test_demo_is_complete_and_idempotent() -> None:
    region = _region()
    # The catalogue demo's offer of one company is reused.
    existing = make_ad(
        region.organisations.get(name="Lomans"), title="Catalogus-stage Lomans"
    ).offer
    InternshipAd.objects.filter(offer=existing).delete()
    demo.load(_ctx())
    assert InternshipAd.objects.count() == 7
    assert InternshipAd.objects.filter(offer=existing).exists()
    states = set(Application.objects.values_list("status", flat=True))
    assert states == set(Status.values)
    assert Application.objects.filter(pupil__school__kind__in=("pro", "vso")).count() >= 10
    mine = Application.objects.filter(pupil__user__email=demo.DEMO_PUPIL_EMAIL)
    assert mine.count() == 1 and mine.get().is_open
    assert (
        Agreement.objects.count()
        == Application.objects.filter(status__in=(Status.CONFIRMED, Status.COMPLETED)).count()
    )
    for week in AdWeek.objects.all():
        assert week.places_taken <= week.places
    counts = (
        InternshipAd.objects.count(),
        AdWeek.objects.count(),
        Application.objects.count(),
        Agreement.objects.count(),
    )
    demo.load(_ctx())
    assert counts == (
        InternshipAd.objects.count(),
        AdWeek.objects.count(),
        Application.objects.count(),
        Agreement.objects.count(),
    )


def test_demo_without_region_does_nothing() -> None:
    demo.load(_ctx())
    assert not InternshipAd.objects.exists()
