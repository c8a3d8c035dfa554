from __future__ import annotations

import io
import random

import pytest

from maakstad.core.demo import DemoContext
from maakstad.core.testing.factories import (
    LocationFactory,
    OrganisationFactory,
    PupilFactory,
    RegionFactory,
)
from maakstad.electives import demo
from maakstad.electives.models import Choice, ChoiceRound, Course, RoundState, Section
from maakstad.organisations.models import OrganisationKind, Term

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent() -> None:
    region = RegionFactory.create()
    for name in {c[0] for c in demo.COURSES}:
        kind = (
            OrganisationKind.MBO
            if "College" in name or name in {"Lentiz", "Grafisch Lyceum Rotterdam"}
            else OrganisationKind.COMPANY
        )
        LocationFactory.create(
            organisation=OrganisationFactory.create(region=region, name=name, kind=kind)
        )
    school = OrganisationFactory.create(
        region=region, name="RVC de Hef", kind=OrganisationKind.VMBO
    )
    pie = Term.objects.profiles().get(code="PIE")
    for _ in range(30):
        PupilFactory.create(school=school, leerjaar=3, profile=pie)
    ctx = DemoContext(rng=random.Random(1), seed=1, pupil_count=30, stdout=io.StringIO())
    demo.load(ctx)
    counts = (
        Course.objects.count(),
        Section.objects.count(),
        Choice.objects.count(),
        ChoiceRound.objects.count(),
    )
    assert counts[0] == len(demo.COURSES)
    assert ChoiceRound.objects.get(name__contains="periode 2").state == RoundState.OPEN
    # The pilot is allocated and published on the first load, not only when loaded again.
    pilot = ChoiceRound.objects.get(name="Pilot extern leren 2025")
    assert pilot.state == RoundState.PUBLISHED and pilot.placements.exists()
    assert Choice.objects.filter(round__name__contains="periode 2").exists()
    demo.load(DemoContext(rng=random.Random(1), seed=1, pupil_count=30, stdout=io.StringIO()))
    assert (
        Course.objects.count(),
        Section.objects.count(),
        Choice.objects.count(),
        ChoiceRound.objects.count(),
    ) == counts
