"""Demo step: courses at the mbo colleges and co-financing companies, the 2025-2026 pilot period
(published) and two periods in 2026-2027, one with an open round. Idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from maakstad.core.demo import DemoContext
from maakstad.electives import runs, services
from maakstad.electives.models import (
    Choice,
    ChoiceRound,
    Course,
    ElectivePeriod,
    HalfDay,
    Keuzevak,
    Mechanism,
    RoundState,
    RunStatus,
    Section,
)
from maakstad.electives.selectors import eligible_sections
from maakstad.organisations.models import (
    Organisation,
    OrganisationKind,
    Pupil,
    SchoolYear,
    Term,
)

# (provider name, course title, profile code, weekday, half-day, capacity, min size, orienting)
COURSES: tuple[tuple[str, str, str, int, str, int, int, bool], ...] = (
    (
        "Techniek College Rotterdam",
        "Elektrotechnische installaties in de woning",
        "PIE",
        1,
        HalfDay.AFTERNOON,
        16,
        6,
        False,
    ),
    (
        "Techniek College Rotterdam",
        "Lassen en constructies",
        "PIE",
        3,
        HalfDay.AFTERNOON,
        12,
        5,
        True,
    ),
    (
        "Scheepvaart- en Transport College",
        "Scheepsbouw en maritieme techniek",
        "PIE",
        2,
        HalfDay.MORNING,
        14,
        5,
        True,
    ),
    (
        "Scheepvaart- en Transport College",
        "Logistiek in de haven",
        "PIE",
        0,
        HalfDay.AFTERNOON,
        16,
        6,
        True,
    ),
    ("Hout- en Meubileringscollege", "Meubelmaken", "BWI", 2, HalfDay.AFTERNOON, 12, 4, True),
    (
        "Grafisch Lyceum Rotterdam",
        "Mediaproductie en vormgeving",
        "MVI",
        1,
        HalfDay.MORNING,
        16,
        6,
        True,
    ),
    ("Grafisch Lyceum Rotterdam", "Game design", "MVI", 3, HalfDay.AFTERNOON, 16, 6, True),
    ("Lentiz", "Groene techniek en kassen", "PIE", 4, HalfDay.MORNING, 12, 4, True),
    ("Hoornbeeck College", "Installatietechniek basis", "PIE", 2, HalfDay.MORNING, 12, 4, False),
    ("Stedin", "Werken aan het energienet", "PIE", 2, HalfDay.AFTERNOON, 10, 4, False),
    ("Goflex/Vakwijs", "Vakwijs: bouwen in de praktijk", "BWI", 1, HalfDay.AFTERNOON, 10, 4, False),
    ("SPG infra", "Infra en grondwerk", "BWI", 3, HalfDay.MORNING, 8, 3, True),
    ("Beroepentuin", "Beroepentuin: techniek ontdekken", "PIE", 2, HalfDay.AFTERNOON, 14, 4, True),
    ("Lomans", "Duurzame installaties", "PIE", 1, HalfDay.AFTERNOON, 10, 4, False),
    (
        "Hollandia Infra",
        "Bruggenbouw en staalconstructies",
        "PIE",
        0,
        HalfDay.AFTERNOON,
        8,
        3,
        False,
    ),
    (
        "Installatiewerk Zuid-Holland",
        "Leren installeren",
        "PIE",
        3,
        HalfDay.AFTERNOON,
        10,
        4,
        False,
    ),
    ("Metalent", "Metaalbewerking en CNC", "PIE", 2, HalfDay.MORNING, 10, 4, False),
    ("Vemefa Constructa", "Constructiewerk", "PIE", 4, HalfDay.AFTERNOON, 8, 3, False),
    ("Bouwplein 010", "Bouwplaats 010", "BWI", 2, HalfDay.AFTERNOON, 12, 4, True),
)


def _year(start: int) -> SchoolYear:
    name, starts_on, ends_on = SchoolYear.bounds(start)
    year, _created = SchoolYear.objects.get_or_create(
        name=name, defaults={"starts_on": starts_on, "ends_on": ends_on}
    )
    return year


def _period(
    region: Any, year: SchoolYear, name: str, start: dt.date, end: dt.date
) -> ElectivePeriod:
    period = ElectivePeriod.objects.filter(region=region, school_year=year, name=name).first()
    return period or services.period_create(
        region=region, school_year=year, name=name, starts_on=start, ends_on=end, actor=None
    )


def _choose(ctx: DemoContext, choice_round: ChoiceRound, pupils: list[Pupil], share: float) -> int:
    already = set(Choice.objects.filter(round=choice_round).values_list("pupil_id", flat=True))
    count = 0
    for pupil in pupils:
        if pupil.pk in already or ctx.rng.random() > share:
            continue
        options = eligible_sections(choice_round, pupil)
        if not options:
            continue
        # Popularity is skewed: the first courses in the guide are the popular ones.
        weights = [1.0 / (i + 1) for i in range(len(options))]
        picked: list[Section] = []
        while options and len(picked) < choice_round.choices_count:
            section = ctx.rng.choices(options, weights=weights)[0]
            index = options.index(section)
            options.pop(index)
            weights.pop(index)
            picked.append(section)
        services.choices_set(
            choice_round=choice_round, pupil=pupil, sections=picked, actor=pupil.user
        )
        count += 1
    return count


def load(ctx: DemoContext) -> None:
    providers = {
        o.name: o
        for o in Organisation.objects.filter(name__in={c[0] for c in COURSES}).prefetch_related(
            "locations", "offerings__profile"
        )
    }
    if not providers:
        ctx.log("electives: geen aanbieders gevonden (draai eerst de stap organisations)")
        return
    region = next(iter(providers.values())).region
    profiles = {t.code: t for t in Term.objects.profiles()}
    leerwegen = list(Term.objects.leerwegen())
    created = 0
    courses: list[Course] = []
    for name, title, profile, weekday, half_day, _cap, _min, orienting in COURSES:
        provider = providers.get(name)
        if provider is None:
            continue
        course = Course.objects.filter(provider=provider, title=title).first()
        if course is None:
            keuzevak = (
                Keuzevak.objects.filter(region__isnull=True, profile__code=profile)
                .order_by("name")
                .first()
            )
            course = services.course_create(
                provider=provider,
                title=title,
                weekday=weekday,
                half_day=half_day,
                location=provider.locations.first(),
                keuzevak=keuzevak,
                description=f"{title} bij {provider.name}: elke week een dagdeel praktijk in de echte werkomgeving.",
                profiles=[profiles[profile]],
                leerwegen=leerwegen,
                leerjaren=[3, 4],
                school_kinds=[OrganisationKind.VMBO, OrganisationKind.PRO, OrganisationKind.VSO],
                is_orienting=orienting,
                actor=None,
            )
            created += 1
        courses.append(course)
    spec = {c[1]: c for c in COURSES}
    pilot_year, next_year = _year(2025), _year(2026)
    pilot = _period(region, pilot_year, "Pilotperiode", dt.date(2025, 11, 3), dt.date(2026, 1, 30))
    p1 = _period(region, next_year, "Periode 1", dt.date(2026, 9, 7), dt.date(2026, 11, 13))
    p2 = _period(region, next_year, "Periode 2", dt.date(2027, 1, 11), dt.date(2027, 3, 26))
    for period, subset in ((pilot, courses[::2]), (p1, courses), (p2, courses)):
        for course in subset:
            if not Section.objects.filter(course=course, period=period).exists():
                _n, _t, _p, _w, _h, capacity, min_size, _o = spec[course.title]
                services.section_create(
                    course=course, period=period, capacity=capacity, min_size=min_size, actor=None
                )
    pupils = list(
        Pupil.objects.filter(
            school__region=region, school__kind=OrganisationKind.VMBO, leerjaar__in=[3, 4]
        )
        .select_related("school", "profile", "user")
        .order_by("pk")[:400]
    )
    # The pilot: chosen, allocated and published in the autumn of 2025.
    pilot_round = ChoiceRound.objects.filter(region=region, name="Pilot extern leren 2025").first()
    if pilot_round is None:
        pilot_round = services.round_create(
            region=region,
            name="Pilot extern leren 2025",
            periods=[pilot],
            opens_on=dt.date(2025, 10, 1),
            closes_on=dt.date(2025, 10, 17),
            actor=None,
        )
        services.round_transition(choice_round=pilot_round, to=RoundState.OPEN, actor=None)
        # Mentors entered the pilot's choices (the round's dates are in the past).
        for pupil in pupils[:150]:
            options = eligible_sections(pilot_round, pupil)[:4]
            if options:
                ctx.rng.shuffle(options)
                services.choices_set(
                    choice_round=pilot_round, pupil=pupil, sections=options, actor=None
                )
        services.round_transition(choice_round=pilot_round, to=RoundState.CLOSED, actor=None)
    if (
        pilot_round.state in (RoundState.CLOSED, RoundState.ALLOCATED)
        and pilot_round.choices.exists()
    ):
        if not pilot_round.runs.exists():
            # The queue would run them after this step's transaction: run them here, so that the
            # pilot is published on the first load (the queued tasks then find them done).
            for run in services.runs_start(choice_round=pilot_round, actor=None, seed=ctx.seed):
                runs.execute(run)
        pilot_round.refresh_from_db()
        lottery = pilot_round.runs.filter(
            mechanism=Mechanism.LOTTERY, status=RunStatus.DONE
        ).first()
        if lottery is not None and pilot_round.state == RoundState.ALLOCATED:
            services.run_publish(run=lottery, actor=None)
        elif lottery is None:
            ctx.log("electives: de pilot-indeling is niet gelukt; zie de runs van de ronde")
    # 2026-2027: the round for period 2 is open now, with choices from demo pupils.
    open_round = ChoiceRound.objects.filter(
        region=region, name="Extern leren 2026-2027 periode 2"
    ).first()
    if open_round is None:
        today = timezone.localdate()
        open_round = services.round_create(
            region=region,
            name="Extern leren 2026-2027 periode 2",
            periods=[p2],
            opens_on=min(today, dt.date(2026, 11, 16)),
            closes_on=max(today + dt.timedelta(days=14), dt.date(2026, 12, 11)),
            actor=None,
        )
        services.round_transition(choice_round=open_round, to=RoundState.OPEN, actor=None)
        chosen = _choose(ctx, open_round, pupils, share=0.6)
        ctx.log(f"electives: {chosen} leerlingen hebben gekozen in de open ronde")
    ctx.log(f"electives: {created} cursussen aangemaakt, {len(courses)} in totaal")
