"""Indicators against hand-computed fixtures."""

import datetime as dt
from decimal import Decimal

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

    # Reflections and assessments of completed placements feed two quality indicators.
    from maakstad.internships.models import Assessment, Reflection

    reflection = REGISTRY["internship_reflection_rating"].compute
    assessment = REGISTRY["internship_assessment_rating"].compute
    assert reflection(programme, Cuts()) == 0
    completed = Application.objects.filter(status=Status.COMPLETED).order_by("pk")
    confirmed = Application.objects.filter(status=Status.CONFIRMED).first()
    assert confirmed is not None
    for application, rating in zip(completed, (5, 2), strict=True):
        Reflection.objects.create(application=application, rating=rating, learned="lassen")
        Assessment.objects.create(application=application, rating=rating - 1, hours=16)
    Reflection.objects.create(application=confirmed, rating=1, learned="nog bezig")
    assert reflection(programme, Cuts()) == Decimal("3.5")
    assert assessment(programme, Cuts()) == Decimal("2.5")
    assert reflection(programme, Cuts(school_kind="pro")) == 2


@pytest.mark.django_db
def test_elective_periods_running(world) -> None:
    """2.2.2: periods that started with a section that ran (published placements, not closed)."""
    from django.utils import timezone

    from maakstad.core.testing.factories import PupilFactory, RegionFactory
    from maakstad.electives.models import Placement, RoundState
    from maakstad.electives.testing import PeriodFactory, SectionFactory, make_round

    programme = programme_for(world)
    year_2025 = SchoolYear.for_date(dt.date(2025, 10, 1))
    year_2026 = SchoolYear.for_date(dt.date(2026, 10, 1))
    today = timezone.localdate()
    far = OrganisationFactory.create(region=world.region, kind="vmbo", subregion="noord")
    far_pupil = PupilFactory.create(school=far)
    b_pupil = PupilFactory.create(school=world.school_b)
    other_region = RegionFactory.create(slug="elders", name="Elders")

    def period(name: str, starts_on: dt.date, year: SchoolYear, region=None):  # type: ignore[no-untyped-def]
        return PeriodFactory.create(
            region=region or world.region,
            school_year=year,
            name=name,
            starts_on=starts_on,
            ends_on=starts_on + dt.timedelta(days=42),
        )

    def place(per, pupil, *, state=RoundState.PUBLISHED, closed=False, region=None):  # type: ignore[no-untyped-def]
        provider = OrganisationFactory.create(region=region or world.region, kind="mbo")
        section = SectionFactory.create(course__provider=provider, period=per, is_closed=closed)
        choice_round = make_round([per], state=state, name=f"Ronde {section.pk}")
        Placement.objects.create(round=choice_round, pupil=pupil, section=section, period=per)

    p1 = period("P1", dt.date(2025, 9, 15), year_2025)
    place(p1, world.pupil)  # runs: school A
    p2 = period("P2", dt.date(2026, 2, 2), year_2025)
    place(p2, b_pupil, closed=True)  # this section did not run ...
    place(p2, far_pupil)  # ... but this one did: noord
    p3 = period("P3", dt.date(2026, 4, 6), year_2025)
    place(p3, world.pupil, state=RoundState.ALLOCATED)  # not published: does not count
    p4 = period("P4", today + dt.timedelta(days=30), year_2026)
    place(p4, world.pupil)  # has not started yet
    p5 = period("P5", dt.date(2025, 11, 3), year_2025)
    SectionFactory.create(course__provider=world.mbo, period=p5)  # nobody placed
    p6 = period("P6", dt.date(2025, 9, 15), year_2025, region=other_region)
    place(p6, world.pupil, region=other_region)  # another region
    p7 = period("P7", dt.date(2026, 9, 7), year_2026)
    place(p7, b_pupil)  # runs: school B, next school year
    place(p7, world.pupil)  # two sections in one period count once

    compute = REGISTRY["elective_periods_running"].compute
    assert compute(programme, Cuts()) == 3  # P1, P2, P7
    assert compute(programme, Cuts(school_year="2025-2026")) == 2  # P1, P2
    assert compute(programme, Cuts(school_year="2026-2027")) == 1  # P7
    assert compute(programme, Cuts(subregion="noord")) == 1  # P2
    assert compute(programme, Cuts(school_id=world.school_a.pk)) == 2  # P1, P7
    assert compute(programme, Cuts(school_id=world.school_b.pk)) == 1  # P7 (P2's section closed)
    assert compute(programme, Cuts(school_kind="pro")) == 0


@pytest.mark.django_db
def test_milestone_2_2_2_is_bound_to_elective_periods(world) -> None:
    from maakstad.monitoring.demo import DATA
    from maakstad.monitoring.plan_io import read_plan
    from maakstad.monitoring.services import plan_import

    programme = programme_for(world)
    report = read_plan(
        (DATA / "milestones.csv").read_text(encoding="utf-8"),
        (DATA / "budget.csv").read_text(encoding="utf-8"),
    )
    plan_import(programme=programme, report=report, actor=None)
    milestone = programme.milestones.get(key="2.2.2-4")
    assert milestone.indicator_code == "elective_periods_running"
    assert milestone.numeric_target == 2


@pytest.mark.django_db
def test_booking_indicators_count_completed_classes_and_po_pupils(world) -> None:
    from decimal import Decimal

    from django.utils import timezone

    from maakstad.bookings.models import Booking, Status
    from maakstad.catalogue import activity_types
    from maakstad.catalogue.models import ActivityType
    from maakstad.catalogue.testing import OfferFactory

    programme = programme_for(world)
    spacebuzz = OrganisationFactory.create(region=world.region, kind="partner", name="Spacebuzz")
    tm010 = OrganisationFactory.create(region=world.region, kind="partner", name="TechMission010")
    house = OrganisationFactory.create(region=world.region, kind="partner", name="Techniekhuis")
    po = OrganisationFactory.create(region=world.region, kind="po", subregion="zuid")
    lesson_type, _ = ActivityType.objects.get_or_create(
        region=world.region, code=activity_types.TECHNIEKLES_PO, defaults={"name": "Techniekles"}
    )
    offers = {
        "sb": OfferFactory.create(provider=spacebuzz),
        "tm": OfferFactory.create(provider=tm010),
        "po": OfferFactory.create(provider=house, activity_type=lesson_type),
    }
    tz = timezone.get_current_timezone()

    def booking(offer: str, school, day: dt.date, status=Status.COMPLETED, pupils=25, groep=None):  # type: ignore[no-untyped-def]
        o = offers[offer]
        Booking.objects.create(
            region=world.region,
            offer=o,
            provider=o.provider,
            activity_type=o.activity_type,
            school=school,
            class_name="x",
            pupils_count=pupils,
            groep=groep,
            status=status,
            ask_date=day,
            starts_at=dt.datetime.combine(day, dt.time(9), tzinfo=tz),
            ends_at=dt.datetime.combine(day, dt.time(11), tzinfo=tz),
            price_total=Decimal(0),
            amount_due=Decimal(0),
        )

    booking("sb", world.school_a, dt.date(2025, 11, 3))
    booking("sb", world.school_b, dt.date(2026, 10, 5))
    booking("sb", world.school_b, dt.date(2026, 10, 6), status=Status.CONFIRMED)  # not done yet
    booking("tm", world.school_a, dt.date(2026, 9, 21))
    booking("tm", world.school_a, dt.date(2026, 9, 22), status=Status.CANCELLED)
    booking("po", po, dt.date(2025, 10, 1), pupils=27, groep=6)
    booking("po", po, dt.date(2026, 10, 1), pupils=24, groep=8)
    booking("po", po, dt.date(2026, 10, 2), pupils=20, groep=4)  # groep 4: not counted
    booking("po", po, dt.date(2026, 10, 3), pupils=30, groep=7, status=Status.NO_SHOW)
    spacebuzz_classes = REGISTRY["spacebuzz_classes"].compute
    techmission_classes = REGISTRY["techmission_classes"].compute
    po_pupils = REGISTRY["po_pupils_technology_lessons"].compute
    assert spacebuzz_classes(programme, Cuts()) == 2
    assert spacebuzz_classes(programme, Cuts(school_year="2026-2027")) == 1
    assert spacebuzz_classes(programme, Cuts(school_id=world.school_a.pk)) == 1
    assert techmission_classes(programme, Cuts()) == 1
    assert po_pupils(programme, Cuts()) == 51
    assert po_pupils(programme, Cuts(school_year="2025-2026")) == 27
    assert po_pupils(programme, Cuts(subregion="zuid", school_kind="po")) == 51
    assert po_pupils(programme, Cuts(school_kind="vmbo")) == 0
