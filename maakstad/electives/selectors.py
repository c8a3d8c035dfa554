"""Reads for the electives pages, pre-joined, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from maakstad.electives.eligibility import CourseRule, eligible_course_ids
from maakstad.electives.models import (
    ELIGIBLE_KINDS,
    AllocationRun,
    Choice,
    ChoiceRound,
    ElectivePeriod,
    Mechanism,
    Placement,
    RunResult,
    Section,
)
from maakstad.organisations.models import Organisation, Pupil


def guide_sections(period: ElectivePeriod) -> QuerySet[Section]:
    return (
        Section.objects.filter(period=period, course__is_active=True)
        .select_related(
            "course__provider", "course__location", "course__keuzevak__profile", "period"
        )
        .prefetch_related(
            "course__worlds", "course__themes", "course__leerwegen", "course__profiles"
        )
        .order_by("course__title")
    )


def round_list(qs: QuerySet[ChoiceRound]) -> QuerySet[ChoiceRound]:
    return qs.annotate(
        pupil_count=Count("choices__pupil", distinct=True),
    ).prefetch_related("periods__school_year")


def eligible_sections(choice_round: ChoiceRound, pupil: Pupil) -> list[Section]:
    sections = list(
        Section.objects.filter(period__choice_rounds=choice_round, is_closed=False)
        .select_related("course__provider", "course__location", "period")
        .prefetch_related("course__leerwegen", "course__profiles")
        .order_by("period__starts_on", "course__title")
    )
    rules = {s.course_id: CourseRule.of(s.course) for s in sections}
    allowed = eligible_course_ids(rules.values(), pupil)
    first = min((s.period.starts_on for s in sections), default=None)
    followed: set[int] = set()
    if first is not None:
        followed = set(
            Placement.objects.filter(pupil=pupil, period__starts_on__lt=first).values_list(
                "section__course_id", flat=True
            )
        )
    second_round = choice_round.previous_round_id is not None
    return [
        s
        for s in sections
        if s.course_id in allowed
        and s.course_id not in followed
        and (not second_round or s.seats_free > 0)
    ]


def pupil_choices(choice_round: ChoiceRound, pupil: Pupil) -> list[Choice]:
    return list(
        Choice.objects.filter(round=choice_round, pupil=pupil)
        .select_related("section__course__provider", "section__period")
        .order_by("rank")
    )


def round_school_pupils(choice_round: ChoiceRound, school_id: int) -> list[Any]:
    """The school's pupils in the leerjaren the round is for, with how many choices each made."""
    return list(
        Pupil.objects.filter(school_id=school_id, anonymised_at__isnull=True)
        .select_related("user")
        .annotate(
            choice_count=Count("elective_choices", filter=Q(elective_choices__round=choice_round))
        )
        .order_by("class_name", "first_name")
    )


def runs_by_batch(choice_round: ChoiceRound) -> list[list[AllocationRun]]:
    batches: dict[int, list[AllocationRun]] = defaultdict(list)
    for run in choice_round.runs.all().order_by("-batch", "pk"):
        batches[run.batch].append(run)
    return [batches[b] for b in sorted(batches, reverse=True)]


def latest_batch(choice_round: ChoiceRound) -> list[AllocationRun]:
    batch = choice_round.runs.aggregate(m=Max("batch"))["m"]
    if batch is None:
        return []
    return list(choice_round.runs.filter(batch=batch).order_by("pk"))


@dataclass
class Comparison:
    runs: list[AllocationRun]
    lottery: AllocationRun | None
    optimum: AllocationRun | None

    @property
    def optimum_gain(self) -> int | None:
        if not self.lottery or not self.optimum:
            return None
        if not self.lottery.metrics or not self.optimum.metrics:
            return None
        return int(self.optimum.metrics["placed"]) - int(self.lottery.metrics["placed"])

    @property
    def rank_rows(self) -> list[tuple[int, list[Any]]]:
        k = max((len(r.metrics.get("by_rank", [])) for r in self.runs), default=0)
        return [
            (
                i + 1,
                [
                    (r.metrics.get("by_rank") or [0] * k)[i] if r.metrics else None
                    for r in self.runs
                ],
            )
            for i in range(k)
        ]


def comparison(runs: Sequence[AllocationRun]) -> Comparison:
    by_mechanism = {r.mechanism: r for r in runs}
    return Comparison(
        runs=list(runs),
        lottery=by_mechanism.get(Mechanism.LOTTERY),
        optimum=by_mechanism.get(Mechanism.OPTIMUM),
    )


def run_results(run: AllocationRun) -> QuerySet[RunResult]:
    return (
        RunResult.objects.filter(run=run)
        .select_related("pupil__school", "section__course__provider", "section__period")
        .order_by("pupil__school__name", "pupil__class_name", "pupil__first_name")
    )


def section_roster(section: Section) -> list[Placement]:
    return list(
        Placement.objects.filter(section=section)
        .select_related("pupil__school")
        .order_by("pupil__school__name", "pupil__first_name")
    )


def provider_sections(qs: QuerySet[Section]) -> QuerySet[Section]:
    return (
        qs.select_related("course__provider", "course__location", "period__school_year")
        .annotate(
            placed=Count("placements", distinct=True), waiting=Count("waitlist", distinct=True)
        )
        .order_by("-period__starts_on", "course__title")
    )


def school_placements(choice_round: ChoiceRound, school_id: int) -> list[Placement]:
    return list(
        Placement.objects.filter(round__in=_round_family(choice_round), pupil__school_id=school_id)
        .select_related("pupil", "section__course__provider", "section__course__location", "period")
        .order_by("period__starts_on", "pupil__class_name", "pupil__first_name")
    )


def round_placements(choice_round: ChoiceRound) -> QuerySet[Placement]:
    return (
        Placement.objects.filter(round__in=_round_family(choice_round))
        .select_related("pupil__school", "section__course__provider", "period")
        .order_by("section__course__title", "pupil__school__name", "pupil__first_name")
    )


def _round_family(choice_round: ChoiceRound) -> list[int]:
    """The round and its second rounds: placements of both together make the result."""
    ids = [choice_round.pk]
    ids += list(
        ChoiceRound.objects.filter(previous_round=choice_round).values_list("pk", flat=True)
    )
    return ids


@dataclass
class TransportRow:
    school: str
    venue: str
    address: str
    when: str
    week: str
    date: Any
    pupils: int


def transport_rows(choice_round: ChoiceRound) -> list[TransportRow]:
    """Per school → venue → week: how many pupils travel (for buses and OV-cards)."""
    counts: dict[tuple[Any, ...], int] = defaultdict(int)
    for p in Placement.objects.filter(round__in=_round_family(choice_round)).select_related(
        "pupil__school",
        "section__course__location__organisation",
        "section__course__provider",
        "section__period",
    ):
        course = p.section.course
        venue = course.location
        for day in p.section.period.meeting_dates(course.weekday):
            key = (
                p.pupil.school.name,
                str(venue) if venue else course.provider.name,
                venue.address if venue else "",
                course.when,
                f"{day.isocalendar()[0]}-W{day.isocalendar()[1]:02d}",
                day,
            )
            counts[key] += 1
    return [
        TransportRow(
            school=k[0], venue=k[1], address=k[2], when=k[3], week=k[4], date=k[5], pupils=n
        )
        for k, n in sorted(counts.items(), key=lambda item: (item[0][0], item[0][1], item[0][5]))
    ]


def round_school_summary(choice_round: ChoiceRound) -> QuerySet[Organisation]:
    """Per school of the region: its pupils and how many of them have chosen."""
    return (
        Organisation.objects.filter(
            region_id=choice_round.region_id, kind__in=ELIGIBLE_KINDS, is_active=True
        )
        .annotate(
            pupil_total=Count(
                "pupils", filter=Q(pupils__anonymised_at__isnull=True), distinct=True
            ),
            chosen=Count(
                "pupils",
                filter=Q(pupils__elective_choices__round=choice_round),
                distinct=True,
            ),
        )
        .order_by("name")
    )
