"""Indicators against hand-computed fixtures."""

import datetime as dt

import pytest

from maakstad.core.testing.factories import OrganisationFactory
from maakstad.knowledge.models import ResourceKind, Usage
from maakstad.knowledge.testing import make_resource
from maakstad.monitoring.indicators import REGISTRY, Cuts
from maakstad.monitoring.models import SchoolReport
from maakstad.monitoring.testing import programme_for
from maakstad.organisations.models import SchoolYear


@pytest.mark.django_db
def test_lesson_kit_schools_count_distinct_schools_per_leerjaar(world) -> None:
    programme = programme_for(world)
    kit = make_resource(world, title="Leskist hout", kind=ResourceKind.LESSON_KIT)
    other = make_resource(world, title="Gewone les")
    far = OrganisationFactory.create(region=world.region, kind="vmbo", subregion="noord")
    rows = [
        (world.school_a, 1, dt.date(2025, 10, 1), kit),
        (world.school_a, 1, dt.date(2025, 11, 1), kit),  # same school twice: counts once
        (world.school_b, 1, dt.date(2026, 9, 1), kit),  # next school year
        (far, 2, dt.date(2025, 10, 1), kit),
        (far, 1, dt.date(2025, 10, 1), other),  # not a lesson kit
    ]
    for school, leerjaar, day, resource in rows:
        Usage.objects.create(resource=resource, school=school, leerjaar=leerjaar, used_on=day)
    year1 = REGISTRY["schools_lesson_kits_year1"].compute
    year2 = REGISTRY["schools_lesson_kits_year2"].compute
    assert year1(programme, Cuts()) == 2
    assert year1(programme, Cuts(school_year="2025-2026")) == 1
    assert year1(programme, Cuts(subregion="noord")) == 0
    assert year2(programme, Cuts(subregion="noord")) == 1
    assert year1(programme, Cuts(school_id=world.school_b.pk)) == 1


@pytest.mark.django_db
def test_parents_evening_from_school_reports(world) -> None:
    programme = programme_for(world)
    year = SchoolYear.for_date(dt.date(2025, 10, 1))
    SchoolReport.objects.create(
        programme=programme, school=world.school_a, school_year=year, parents_evening_held=True
    )
    SchoolReport.objects.create(
        programme=programme, school=world.school_b, school_year=year, parents_evening_held=False
    )
    compute = REGISTRY["schools_parents_evening"].compute
    assert compute(programme, Cuts()) == 1
    assert compute(programme, Cuts(school_year="2026-2027")) == 0


@pytest.mark.django_db
def test_internship_indicators(world) -> None:
    from maakstad.core.testing.factories import PupilFactory
    from maakstad.internships.models import Application, Status
    from maakstad.internships.testing import make_ad

    programme = programme_for(world)
    pro = OrganisationFactory.create(region=world.region, kind="pro", name="Pro-school")
    second_company = OrganisationFactory.create(
        region=world.region, kind="company", name="Tweede bedrijf"
    )
    ad_one, ad_two = make_ad(world.company), make_ad(second_company)
    pro_pupils = [PupilFactory.create(school=pro, leerweg=None) for _ in range(3)]
    rows = [
        (ad_one, world.pupil, Status.COMPLETED),
        (ad_two, pro_pupils[0], Status.COMPLETED),
        (ad_two, pro_pupils[1], Status.CONFIRMED),
        (ad_one, pro_pupils[2], Status.CANCELLED),
        (ad_one, pro_pupils[0], Status.CONFIRMED),  # the same pupil twice counts once
    ]
    for ad, pupil, status in rows:
        Application.objects.create(ad=ad, pupil=pupil, status=status, motivation="x")
    companies = REGISTRY["companies_completed_internships"].compute
    pro_vso = REGISTRY["pro_vso_pupils_internship_technical"].compute
    assert companies(programme, Cuts()) == 2
    assert companies(programme, Cuts(school_kind="pro")) == 1
    assert pro_vso(programme, Cuts()) == 2
    assert pro_vso(programme, Cuts(school_id=world.school_a.pk)) == 0
