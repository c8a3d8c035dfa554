"""Test helpers: factories and a small electives setup on top of the shared test world."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import factory
from django.utils import timezone

from maakstad.core.testing.factories import LocationFactory, OrganisationFactory
from maakstad.core.testing.world import World
from maakstad.electives.models import (
    AllocationRun,
    ChoiceRound,
    Course,
    ElectivePeriod,
    HalfDay,
    Mechanism,
    Placement,
    RoundState,
    RunResult,
    RunStatus,
    Section,
)
from maakstad.organisations.models import OrganisationKind, SchoolYear


def this_school_year() -> SchoolYear:
    return SchoolYear.for_date(timezone.localdate())


class CourseFactory(factory.django.DjangoModelFactory[Course]):
    class Meta:
        model = Course

    provider = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.MBO)
    region = factory.SelfAttribute("provider.region")
    location = factory.SubFactory(LocationFactory, organisation=factory.SelfAttribute("..provider"))
    title = factory.Sequence(lambda n: f"Keuzevak {n}")
    description = "Lassen, solderen en een eigen werkstuk maken."
    weekday = 2
    half_day = HalfDay.AFTERNOON


class PeriodFactory(factory.django.DjangoModelFactory[ElectivePeriod]):
    class Meta:
        model = ElectivePeriod

    school_year = factory.LazyFunction(this_school_year)
    name = factory.Sequence(lambda n: f"Periode {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + dt.timedelta(days=42))


class SectionFactory(factory.django.DjangoModelFactory[Section]):
    class Meta:
        model = Section

    course = factory.SubFactory(CourseFactory)
    period = factory.SubFactory(PeriodFactory, region=factory.SelfAttribute("..course.region"))
    capacity = 12
    min_size = 0


def make_round(
    periods: list[ElectivePeriod], *, state: str = RoundState.OPEN, **extra: Any
) -> ChoiceRound:
    today = timezone.localdate()
    choice_round = ChoiceRound.objects.create(
        region_id=periods[0].region_id,
        name=extra.pop("name", "Ronde test"),
        opens_on=extra.pop("opens_on", today - dt.timedelta(days=1)),
        closes_on=extra.pop("closes_on", today + dt.timedelta(days=7)),
        state=state,
        **extra,
    )
    choice_round.periods.set(periods)
    return choice_round


@dataclass
class ElectivesSetup:
    period: ElectivePeriod
    section: Section
    open_round: ChoiceRound
    published_round: ChoiceRound
    published_period: ElectivePeriod
    published_section: Section
    run: AllocationRun
    placement: Placement


def electives_setup(world: World) -> ElectivesSetup:
    """An open round (pupil can choose) and a published round with the pupil placed at the company."""
    cached = getattr(world, "_electives", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    period = PeriodFactory.create(region=world.region, name="Periode open")
    section = SectionFactory.create(course__provider=world.mbo, period=period)
    open_round = make_round([period], name="Open ronde")
    published_period = PeriodFactory.create(
        region=world.region,
        name="Periode gepubliceerd",
        starts_on=timezone.localdate() - dt.timedelta(days=7),
    )
    published_section = SectionFactory.create(
        course__provider=world.company, period=published_period, seats_taken=1
    )
    published_round = make_round(
        [published_period], state=RoundState.PUBLISHED, name="Gepubliceerde ronde"
    )
    run = AllocationRun.objects.create(
        round=published_round,
        mechanism=Mechanism.LOTTERY,
        seed=7,
        status=RunStatus.DONE,
        progress=100,
        metrics={"pupils": 1, "placed": 1, "unplaced": 0, "by_rank": [1, 0, 0, 0]},
    )
    RunResult.objects.create(
        run=run,
        pupil=world.pupil,
        section=published_section,
        rank=1,
        lottery_number=1,
        explanation={"mechanism": "lottery", "lottery_number": 1, "higher": []},
    )
    published_round.published_run = run
    published_round.published_at = timezone.now()
    published_round.save()
    placement = Placement.objects.create(
        round=published_round,
        pupil=world.pupil,
        section=published_section,
        period=published_period,
        run=run,
        rank=1,
    )
    setup = ElectivesSetup(
        period=period,
        section=section,
        open_round=open_round,
        published_round=published_round,
        published_period=published_period,
        published_section=published_section,
        run=run,
        placement=placement,
    )
    world._electives = setup  # type: ignore[attr-defined]
    return setup
