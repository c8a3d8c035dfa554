"""Every write in external electives: courses, rounds, choices, runs, publishing, swaps."""

from __future__ import annotations

import datetime as dt
import math
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maakstad.attendance.models import SessionCategory
from maakstad.attendance.services import session_schedule
from maakstad.core import audit
from maakstad.core.bitmask import choices_to_mask, to_mask
from maakstad.core.notifications import notify
from maakstad.electives import permissions
from maakstad.electives.eligibility import is_eligible
from maakstad.electives.models import (
    ELIGIBLE_KINDS,
    MECHANISM_ORDER,
    AllocationRun,
    AnnouncedRule,
    Choice,
    ChoiceRound,
    Course,
    ElectivePeriod,
    Keuzevak,
    Placement,
    PlacementSource,
    PriorityRule,
    RoundState,
    RunResult,
    RunStatus,
    Section,
    SectionWaitlist,
)
from maakstad.organisations.models import (
    Location,
    Membership,
    Organisation,
    OrganisationKind,
    Pupil,
    Region,
    Role,
    SchoolYear,
    Term,
)

PROVIDER_KINDS = (OrganisationKind.MBO, OrganisationKind.COMPANY, OrganisationKind.VMBO)


# --- Courses, periods, sections -------------------------------------------------------------


@transaction.atomic
def course_create(
    *,
    provider: Organisation,
    title: str,
    weekday: int,
    half_day: str,
    actor: Any,
    location: Location | None = None,
    keuzevak: Keuzevak | None = None,
    description: str = "",
    worlds: Iterable[Term] = (),
    themes: Iterable[Term] = (),
    leerwegen: Iterable[Term] = (),
    profiles: Iterable[Term] = (),
    leerjaren: Iterable[int] = (),
    school_kinds: Iterable[str] = (),
    is_orienting: bool = False,
    offer: Any = None,
) -> Course:
    if provider.kind not in PROVIDER_KINDS:
        raise ValidationError(
            {"provider": _("Alleen een mbo-school, bedrijf of vmbo-school kan een cursus geven.")}
        )
    if provider.kind == OrganisationKind.VMBO and not provider.has_technical_profile:
        raise ValidationError(
            {"provider": _("Een vmbo-school geeft alleen cursussen met een technisch profiel.")}
        )
    if location is not None and location.organisation_id != provider.pk:
        raise ValidationError({"location": _("Deze locatie hoort niet bij de aanbieder.")})
    if not title.strip():
        raise ValidationError({"title": _("Geef de cursus een titel.")})
    if Course.objects.filter(provider=provider, title=title.strip()).exists():
        raise ValidationError({"title": _("Deze aanbieder heeft al een cursus met deze titel.")})
    course = Course.objects.create(
        region_id=provider.region_id,
        provider=provider,
        location=location,
        keuzevak=keuzevak,
        title=title.strip(),
        description=description,
        weekday=weekday,
        half_day=half_day,
        leerjaren_mask=to_mask(leerjaren),
        school_kinds_mask=choices_to_mask(school_kinds, ELIGIBLE_KINDS),
        is_orienting=is_orienting,
        offer=offer,
    )
    course.worlds.set(worlds)
    course.themes.set(themes)
    course.leerwegen.set(leerwegen)
    course.profiles.set(profiles)
    audit.record(
        action="elective.course.created", obj=course, actor=actor, after=audit.snapshot(course)
    )
    return course


@transaction.atomic
def period_create(
    *,
    region: Region,
    school_year: SchoolYear,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    actor: Any,
) -> ElectivePeriod:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("De laatste week ligt voor de eerste.")})
    if not (school_year.starts_on <= starts_on and ends_on <= school_year.ends_on):
        raise ValidationError({"starts_on": _("De periode moet binnen het schooljaar vallen.")})
    if ElectivePeriod.objects.filter(region=region, school_year=school_year, name=name).exists():
        raise ValidationError({"name": _("Er is al een periode met deze naam in dit schooljaar.")})
    period = ElectivePeriod.objects.create(
        region=region, school_year=school_year, name=name, starts_on=starts_on, ends_on=ends_on
    )
    audit.record(action="elective.period.created", obj=period, actor=actor)
    return period


@transaction.atomic
def section_create(
    *, course: Course, period: ElectivePeriod, capacity: int, min_size: int = 0, actor: Any
) -> Section:
    if course.region_id != period.region_id:
        raise ValidationError({"period": _("Cursus en periode horen bij verschillende regio's.")})
    if capacity < 1:
        raise ValidationError({"capacity": _("Een groep heeft minstens één plaats.")})
    if min_size > capacity:
        raise ValidationError(
            {"min_size": _("De minimale groepsgrootte is groter dan het aantal plaatsen.")}
        )
    if Section.objects.filter(course=course, period=period).exists():
        raise ValidationError({"period": _("Deze cursus heeft al een groep in deze periode.")})
    section = Section.objects.create(
        course=course, period=period, capacity=capacity, min_size=min_size
    )
    audit.record(
        action="elective.section.created", obj=section, actor=actor, region_id=course.region_id
    )
    return section


# --- Choice rounds --------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    region: Region,
    name: str,
    periods: Sequence[ElectivePeriod],
    opens_on: dt.date,
    closes_on: dt.date,
    actor: Any,
    choices_count: int = 4,
    fair_share: bool = False,
    max_distance_km: int | None = None,
    previous_round: ChoiceRound | None = None,
    priority_rules: Sequence[str] = (),
    announced_rule: str = AnnouncedRule.LOTTERY,
) -> ChoiceRound:
    errors: dict[str, str] = {}
    if announced_rule not in AnnouncedRule.values:
        errors["announced_rule"] = _("Kies de loting of het optimum.")
    if any(rule not in PriorityRule.values for rule in priority_rules):
        errors["priority_rules"] = _("Onbekende voorrangsregel.")
    if not name.strip():
        errors["name"] = _("Geef de ronde een naam.")
    if closes_on < opens_on:
        errors["closes_on"] = _("De ronde sluit voordat ze opent.")
    if not 1 <= choices_count <= 10:
        errors["choices_count"] = _("Kies tussen 1 en 10 keuzes.")
    if not periods:
        errors["periods"] = _("Kies minstens één periode.")
    elif any(p.region_id != region.pk for p in periods):
        errors["periods"] = _("Een periode hoort bij een andere regio.")
    if errors:
        raise ValidationError(errors)
    choice_round = ChoiceRound.objects.create(
        region=region,
        name=name.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        choices_count=choices_count,
        fair_share=fair_share,
        max_distance_km=max_distance_km,
        previous_round=previous_round,
        priority_rules=[r for r in PriorityRule.values if r in priority_rules],
        announced_rule=announced_rule,
    )
    choice_round.periods.set(periods)
    audit.record(
        action="elective.round.created",
        obj=choice_round,
        actor=actor,
        after=audit.snapshot(choice_round),
    )
    return choice_round


@transaction.atomic
def round_transition(*, choice_round: ChoiceRound, to: str, actor: Any) -> ChoiceRound:
    """Move a round along its state machine (`ChoiceRound.TRANSITIONS`)."""
    if to not in RoundState.values:
        raise ValidationError({"state": _("Onbekende status.")})
    locked = ChoiceRound.objects.select_for_update().get(pk=choice_round.pk)
    if not locked.can_become(to):
        raise ValidationError(
            {
                "state": _("Een ronde met status ‘%(from)s’ kan niet naar ‘%(to)s’.")
                % {"from": locked.get_state_display(), "to": RoundState(to).label}
            }
        )
    if to == RoundState.PUBLISHED:
        raise ValidationError({"state": _("Publiceer een ronde door een indeling te kiezen.")})
    if to == RoundState.ALLOCATED and not locked.runs.filter(status=RunStatus.DONE).exists():
        raise ValidationError({"state": _("Er is nog geen afgeronde indeling.")})
    before = locked.state
    locked.state = to
    locked.save(update_fields=["state", "updated_at"])
    audit.record(
        action="elective.round.transition",
        obj=locked,
        actor=actor,
        before={"state": before},
        after={"state": to},
    )
    choice_round.state = to
    return locked


def round_sections(choice_round: ChoiceRound) -> list[Section]:
    """The open sections of a round (with their course, provider and period)."""
    return list(
        Section.objects.filter(period__choice_rounds=choice_round, is_closed=False)
        .select_related("course__provider", "course__location", "period")
        .prefetch_related("course__leerwegen", "course__profiles")
        .order_by("period__starts_on", "course__title")
    )


def followed_course_ids(pupil: Pupil, before: dt.date) -> set[int]:
    """Courses the pupil was placed in during an earlier period."""
    return set(
        Placement.objects.filter(pupil=pupil, period__starts_on__lt=before).values_list(
            "section__course_id", flat=True
        )
    )


@transaction.atomic
def choices_set(
    *, choice_round: ChoiceRound, pupil: Pupil, sections: Sequence[Section], actor: Any
) -> list[Choice]:
    """Replace the pupil's ranked choices (rank = position in `sections`)."""
    locked = ChoiceRound.objects.select_for_update().get(pk=choice_round.pk)
    entered_by_pupil = getattr(pupil, "user_id", None) == getattr(actor, "pk", -1)
    if entered_by_pupil:
        today = timezone.localdate()
        if locked.state != RoundState.OPEN or not locked.opens_on <= today <= locked.closes_on:
            raise ValidationError({"__all__": _("Deze keuzeronde is niet open.")})
    elif locked.state not in (RoundState.OPEN, RoundState.CLOSED):
        raise ValidationError({"__all__": _("De keuzes van deze ronde liggen vast.")})
    if pupil.school.region_id != locked.region_id:
        raise ValidationError({"__all__": _("Deze leerling hoort niet bij deze regio.")})
    chosen = [s for s in sections if s is not None]
    if not chosen:
        raise ValidationError({"choice_1": _("Kies minstens één keuzevak.")})
    if len(chosen) > locked.choices_count:
        raise ValidationError(
            {"__all__": _("Je mag hooguit %(n)d keuzes opgeven.") % {"n": locked.choices_count}}
        )
    if len({s.pk for s in chosen}) != len(chosen):
        raise ValidationError({"__all__": _("Je hebt hetzelfde keuzevak twee keer gekozen.")})
    allowed = {s.pk: s for s in round_sections(locked)}
    first_start = min((s.period.starts_on for s in allowed.values()), default=timezone.localdate())
    followed = followed_course_ids(pupil, first_start)
    for position, section in enumerate(chosen, start=1):
        field = f"choice_{position}"
        full = allowed.get(section.pk)
        if full is None:
            raise ValidationError({field: _("Dit keuzevak hoort niet bij deze ronde.")})
        if not is_eligible(full.course, pupil):
            raise ValidationError(
                {
                    field: _("%(course)s staat niet open voor jouw leerweg, profiel of leerjaar.")
                    % {"course": full.course.title}
                }
            )
        if full.course_id in followed:
            raise ValidationError(
                {field: _("%(course)s heb je al eerder gevolgd.") % {"course": full.course.title}}
            )
        if locked.previous_round_id and full.seats_free <= 0:
            raise ValidationError(
                {field: _("%(course)s is al vol.") % {"course": full.course.title}}
            )
    before = list(
        Choice.objects.filter(round=locked, pupil=pupil).values_list("section_id", flat=True)
    )
    Choice.objects.filter(round=locked, pupil=pupil).delete()
    created = Choice.objects.bulk_create(
        [
            Choice(round=locked, pupil=pupil, section=s, rank=rank, entered_by=actor)
            for rank, s in enumerate(chosen, start=1)
        ]
    )
    audit.record(
        action="elective.choices.set",
        obj=locked,
        actor=actor,
        before={"pupil": pupil.pk, "sections": before},
        after={"pupil": pupil.pk, "sections": [s.pk for s in chosen]},
    )
    return created


def pupils_without_choice(choice_round: ChoiceRound, school_id: int) -> list[Pupil]:
    from maakstad.electives import selectors

    return [p for p in selectors.round_school_pupils(choice_round, school_id) if not p.choice_count]


@transaction.atomic
def reminders_send(*, choice_round: ChoiceRound, school_id: int, actor: Any) -> int:
    """Remind every pupil of the school who has not chosen yet (inbox + e-mail)."""
    if choice_round.state != RoundState.OPEN:
        raise ValidationError({"__all__": _("Herinneren kan alleen als de ronde open is.")})
    pupils = pupils_without_choice(choice_round, school_id)
    users = [p.user for p in pupils if p.user is not None]
    notify(
        users,
        subject=_("Kies je externe keuzevak"),
        body=_(
            "Je hebt nog geen keuzevakken gekozen voor ‘%(round)s’. Kies vóór %(date)s je "
            "favorieten in Maakstad."
        )
        % {"round": choice_round.name, "date": choice_round.closes_on.strftime("%d-%m-%Y")},
        url=reverse("electives:choose", args=[choice_round.pk]),
    )
    audit.record(
        action="elective.reminders.sent",
        obj=choice_round,
        actor=actor,
        after={"school": school_id, "pupils": len(pupils), "notified": len(users)},
    )
    return len(users)


# --- Allocation runs ------------------------------------------------------------------------


@transaction.atomic
def runs_start(
    *,
    choice_round: ChoiceRound,
    actor: Any,
    seed: int | None = None,
    rank_cost: str = "linear",
) -> list[AllocationRun]:
    """Queue one run per mechanism (lottery, optimum and both baselines) on the same lottery."""
    from maakstad.electives.tasks import allocation_run_execute

    if rank_cost not in ("linear", "convex"):
        raise ValidationError({"rank_cost": _("Kies lineaire of kwadratische kosten per keuze.")})
    locked = ChoiceRound.objects.select_for_update().get(pk=choice_round.pk)
    if locked.state not in (RoundState.CLOSED, RoundState.ALLOCATED):
        raise ValidationError({"__all__": _("Sluit de keuzeronde voordat je gaat indelen.")})
    if not locked.choices.exists():
        raise ValidationError({"__all__": _("Er zijn nog geen keuzes om in te delen.")})
    batch = (locked.runs.aggregate(m=Max("batch"))["m"] or 0) + 1
    seed = seed if seed is not None else secrets.randbelow(2**31)
    parameters = {
        "rank_cost": rank_cost,
        "fair_share": locked.fair_share,
        "max_distance_km": locked.max_distance_km,
        "priority_rules": locked.priority_rules,
    }
    runs = [
        AllocationRun.objects.create(
            round=locked,
            batch=batch,
            mechanism=mechanism,
            parameters=parameters,
            seed=seed,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for mechanism in MECHANISM_ORDER
    ]
    audit.record(
        action="elective.runs.started",
        obj=locked,
        actor=actor,
        after={"batch": batch, "seed": seed, "parameters": parameters},
    )
    for run in runs:
        transaction.on_commit(partial(allocation_run_execute.enqueue, run.pk))
    return runs


@transaction.atomic
def run_publish(*, run: AllocationRun, actor: Any, deviation_ok: bool = False) -> ChoiceRound:
    """Make `run` the round's result: placements, waiting lists, sessions, notifications.

    Pupils chose under the announced rule: publishing a run where tactics pay after they were
    told that honest ranking is best needs `deviation_ok` (the board's explicit decision)."""
    choice_round = (
        ChoiceRound.objects.select_for_update(of=("self",))
        .select_related("previous_round__published_run")
        .get(pk=run.round_id)
    )
    if choice_round.state != RoundState.ALLOCATED:
        raise ValidationError(
            {"__all__": _("Alleen een ingedeelde ronde kan gepubliceerd worden.")}
        )
    if run.round_id != choice_round.pk or run.status != RunStatus.DONE:
        raise ValidationError({"__all__": _("Deze indeling is niet klaar.")})
    deviates = choice_round.is_strategy_proof and not run.is_strategy_proof
    if deviates and not deviation_ok:
        raise ValidationError(
            {
                "deviation_ok": _(
                    "De leerlingen is verteld dat eerlijk kiezen loont. Bevestig dat je toch "
                    "%(mechanism)s publiceert; de pagina's van de leerlingen zeggen dan dat "
                    "tactisch kiezen kon lonen."
                )
                % {"mechanism": run.get_mechanism_display()}
            }
        )
    results = list(RunResult.objects.filter(run=run).select_related("pupil", "section__period"))
    sections = {
        s.pk: s
        for s in Section.objects.select_for_update().filter(period__choice_rounds=choice_round)
    }
    placed: dict[int, list[int]] = defaultdict(list)
    placements = []
    for r in results:
        if r.section_id is None:
            continue
        section = sections[r.section_id]
        placements.append(
            Placement(
                round=choice_round,
                pupil=r.pupil,
                section=section,
                period_id=section.period_id,
                run=run,
                rank=r.rank,
                source=PlacementSource.ALLOCATION,
            )
        )
        placed[section.pk].append(r.pupil_id)
    Placement.objects.bulk_create(placements)
    for section_id, pupil_ids in placed.items():
        updated = Section.objects.filter(
            pk=section_id, seats_taken__lte=F("capacity") - len(pupil_ids)
        ).update(seats_taken=F("seats_taken") + len(pupil_ids))
        if not updated:
            raise ValidationError({"__all__": _("Een groep zou overvol raken.")})
    closed = _close_sections_below_minimum(sections.values(), placed, run)
    if closed:
        audit.record(
            action="elective.sections.closed",
            obj=choice_round,
            actor=actor,
            after={"sections": closed, "run": run.pk, "on": "publish"},
        )
    _fill_waitlists(choice_round, run)
    choice_round.state = RoundState.PUBLISHED
    choice_round.published_run = run
    choice_round.published_at = timezone.now()
    choice_round.save(update_fields=["state", "published_run", "published_at", "updated_at"])
    for section_id in placed:
        schedule_sessions(section=sections[section_id], actor=actor)
    audit.record(
        action="elective.round.published",
        obj=choice_round,
        actor=actor,
        after={
            "run": run.pk,
            "mechanism": run.mechanism,
            "placements": len(placements),
            "announced_rule": choice_round.announced_rule,
            "deviates_from_announced_rule": deviates,
        },
    )
    _notify_published(choice_round, placements, results)
    return choice_round


def _close_sections_below_minimum(
    sections: Iterable[Section], placed: dict[int, list[int]], run: AllocationRun
) -> list[int]:
    """Close the sections the published run closed, and every open section whose placed pupils
    cannot reach its minimum group size (nobody placed): they do not go ahead, so they get no
    waiting list and nobody is promoted into them.
    """
    run_closed = set((run.metrics or {}).get("engine_closed_sections") or [])
    closed = sorted(
        s.pk
        for s in sections
        if not s.is_closed and not placed.get(s.pk) and (s.pk in run_closed or s.min_size > 0)
    )
    if closed:
        Section.objects.filter(pk__in=closed).update(is_closed=True)
    return closed


def _fill_waitlists(choice_round: ChoiceRound, run: AllocationRun) -> None:
    """Unplaced pupils wait, in lottery order, for each open section they chose."""
    unplaced = {
        r.pupil_id: r.lottery_number or 0
        for r in RunResult.objects.filter(run=run, section__isnull=True)
    }
    if not unplaced:
        return
    per_section: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for c in Choice.objects.filter(
        round=choice_round, pupil_id__in=unplaced, section__is_closed=False
    ):
        per_section[c.section_id].append((unplaced[c.pupil_id], c.pupil_id))
    rows = []
    for section_id, entries in per_section.items():
        start = (
            SectionWaitlist.objects.filter(section_id=section_id).aggregate(m=Max("position"))["m"]
            or 0
        )
        for offset, (_number, pupil_id) in enumerate(sorted(entries), start=1):
            rows.append(
                SectionWaitlist(section_id=section_id, pupil_id=pupil_id, position=start + offset)
            )
    SectionWaitlist.objects.bulk_create(rows, ignore_conflicts=True)


def _school_staff(school_ids: Iterable[int], roles: Iterable[str]) -> list[Any]:
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id__in=list(school_ids), role__in=list(roles), user__is_active=True
        ).select_related("user")
    ]


def _notify_published(
    choice_round: ChoiceRound, placements: list[Placement], results: list[RunResult]
) -> None:
    my_url = reverse("electives:my")
    by_pupil = {p.pupil_id: p for p in placements}
    for r in results:
        if r.pupil.user_id is None:
            continue
        placement = by_pupil.get(r.pupil_id)
        if placement is not None:
            body = _("Je bent ingedeeld bij %(course)s (%(when)s, %(period)s).") % {
                "course": placement.section.course.title,
                "when": placement.section.course.when,
                "period": placement.section.period.name,
            }
        else:
            body = _(
                "Er was helaas geen plek voor je in ‘%(round)s’. Je staat op de wachtlijst van je "
                "keuzes en doet mee in de tweede ronde."
            ) % {"round": choice_round.name}
        notify([r.pupil.user], subject=_("Uitslag externe keuzevakken"), body=body, url=my_url)
    school_ids = {r.pupil.school_id for r in results}
    mentors = _school_staff(school_ids, [Role.MENTOR, *permissions.SCHOOL_COORDINATOR_ROLES])
    notify(
        mentors,
        subject=_("Indeling externe keuzevakken gepubliceerd"),
        body=_("De indeling van ‘%(round)s’ is gepubliceerd. Bekijk wie waar naartoe gaat.")
        % {"round": choice_round.name},
        url=reverse("electives:round_school", args=[choice_round.pk]),
    )
    counts: dict[int, int] = defaultdict(int)
    for p in placements:
        counts[p.section.course.provider_id] += 1
    for provider_id, count in counts.items():
        contacts = _school_staff([provider_id], permissions.PROVIDER_ROLES)
        notify(
            contacts,
            subject=_("Deelnemers externe keuzevakken"),
            body=_("%(n)d leerlingen zijn ingedeeld bij jullie keuzevakken in ‘%(round)s’.")
            % {"n": count, "round": choice_round.name},
            url=reverse("electives:provider_sections"),
        )


def schedule_sessions(*, section: Section, actor: Any) -> int:
    """Turn the section's weekly meetings into attendance sessions with its current pupils."""
    course = section.course
    pupils = list(Pupil.objects.filter(elective_placements__section=section))
    start, end = course.times
    count = 0
    for day in section.period.meeting_dates(course.weekday):
        session_schedule(
            source=section,
            category=SessionCategory.ELECTIVE,
            provider=course.provider,
            location=course.location,
            title=f"{course.title} ({section.period.name})",
            starts_at=timezone.make_aware(dt.datetime.combine(day, start)),
            ends_at=timezone.make_aware(dt.datetime.combine(day, end)),
            pupils=pupils,
            actor=actor,
        )
        count += 1
    return count


@transaction.atomic
def sections_close_below_minimum(*, run: AllocationRun, actor: Any) -> list[Section]:
    """Close the sections that `run` cannot fill to their minimum; then re-run every mechanism."""
    choice_round = ChoiceRound.objects.select_for_update().get(pk=run.round_id)
    if choice_round.state not in (RoundState.CLOSED, RoundState.ALLOCATED):
        raise ValidationError({"__all__": _("De indeling van deze ronde ligt al vast.")})
    counts: dict[int, int] = defaultdict(int)
    for section_id in RunResult.objects.filter(run=run, section__isnull=False).values_list(
        "section_id", flat=True
    ):
        counts[section_id] += 1
    closed = [
        s
        for s in Section.objects.select_for_update().filter(
            period__choice_rounds=choice_round, is_closed=False, min_size__gt=0
        )
        if counts.get(s.pk, 0) < s.min_size
    ]
    if not closed:
        raise ValidationError({"__all__": _("Alle groepen halen hun minimale grootte.")})
    Section.objects.filter(pk__in=[s.pk for s in closed]).update(is_closed=True)
    Choice.objects.filter(round=choice_round, section__in=closed).delete()
    audit.record(
        action="elective.sections.closed",
        obj=choice_round,
        actor=actor,
        after={"sections": [s.pk for s in closed], "run": run.pk},
    )
    if choice_round.state == RoundState.ALLOCATED:
        round_transition(choice_round=choice_round, to=RoundState.CLOSED, actor=actor)
    if choice_round.choices.exists():
        runs_start(choice_round=choice_round, actor=actor, seed=run.seed)
    return closed


@transaction.atomic
def second_round_create(
    *, choice_round: ChoiceRound, opens_on: dt.date, closes_on: dt.date, actor: Any
) -> ChoiceRound:
    """A new round over the same periods for the leftover seats."""
    choice_round = ChoiceRound.objects.select_for_update().get(pk=choice_round.pk)
    if choice_round.state != RoundState.PUBLISHED:
        raise ValidationError({"__all__": _("Een tweede ronde volgt op een gepubliceerde ronde.")})
    return round_create(
        region=choice_round.region,
        name=_("%(name)s – tweede ronde") % {"name": choice_round.name},
        periods=list(choice_round.periods.all()),
        opens_on=opens_on,
        closes_on=closes_on,
        choices_count=choice_round.choices_count,
        fair_share=choice_round.fair_share,
        max_distance_km=choice_round.max_distance_km,
        priority_rules=choice_round.priority_rules,
        # A second round follows the rule its first round was published under.
        announced_rule=(
            AnnouncedRule.LOTTERY if choice_round.is_strategy_proof else AnnouncedRule.OPTIMUM
        ),
        previous_round=choice_round,
        actor=actor,
    )


# --- After publishing: moves, swaps, waiting lists ------------------------------------------


def _check_fits(
    pupil: Pupil,
    section: Section,
    choice_round: ChoiceRound | None = None,
    *,
    leaving: Pupil | None = None,
) -> None:
    """Every constraint the allocation keeps, for putting `pupil` into `section` (in a swap,
    `leaving` is the pupil who gives up their seat there)."""
    if section.is_closed:
        raise ValidationError({"section": _("Deze groep gaat niet door.")})
    if not is_eligible(section.course, pupil):
        raise ValidationError(
            {
                "section": _("%(pupil)s mag %(course)s niet volgen (leerweg, profiel of leerjaar).")
                % {"pupil": pupil.short_name, "course": section.course.title}
            }
        )
    if section.course_id in followed_course_ids(pupil, section.period.starts_on):
        raise ValidationError(
            {
                "section": _("%(pupil)s heeft %(course)s al eerder gevolgd.")
                % {"pupil": pupil.short_name, "course": section.course.title}
            }
        )
    if choice_round is None:
        return
    if (
        Placement.objects.filter(pupil=pupil, section__course_id=section.course_id)
        .exclude(period_id=section.period_id)
        .exists()
    ):
        raise ValidationError(
            {
                "section": _("%(pupil)s volgt %(course)s al in een andere periode.")
                % {"pupil": pupil.short_name, "course": section.course.title}
            }
        )
    if choice_round.max_distance_km is not None:
        from maakstad.electives.runs import _distance_km

        km = _distance_km(pupil.school.locations.first(), section.course.location)
        if km is not None and km > choice_round.max_distance_km:
            raise ValidationError(
                {
                    "section": _(
                        "%(course)s ligt verder dan %(km)d km van de school van %(pupil)s."
                    )
                    % {
                        "course": section.course.title,
                        "km": choice_round.max_distance_km,
                        "pupil": pupil.short_name,
                    }
                }
            )
    same_school_swap = leaving is not None and leaving.school_id == pupil.school_id
    if (
        choice_round.fair_share
        and not same_school_swap
        and _school_count(section, pupil.school_id) + 1 > _fair_cap(choice_round, section, pupil)
    ):
        raise ValidationError(
            {
                "section": _("De school van %(pupil)s heeft haar eerlijke deel van %(course)s al.")
                % {"pupil": pupil.short_name, "course": section.course.title}
            }
        )


def _school_count(section: Section, school_id: int) -> int:
    return Placement.objects.filter(section=section, pupil__school_id=school_id).count()


def _fair_cap(choice_round: ChoiceRound, section: Section, pupil: Pupil) -> int:
    """The engine's fair share (`allocation.core.fair_caps`): the school's share of the seats in
    proportion to its pupils who ranked the section, rounded up, at least 1. A pupil who did not
    rank the section counts as asking for it."""
    askers = dict(
        Choice.objects.filter(round=choice_round, section=section).values_list(
            "pupil_id", "pupil__school_id"
        )
    )
    askers[pupil.pk] = pupil.school_id
    total = len(askers)
    mine = sum(1 for school_id in askers.values() if school_id == pupil.school_id)
    return max(1, math.ceil(section.capacity * mine / total))


def _take_seat(section: Section) -> None:
    if not Section.objects.filter(pk=section.pk, seats_taken__lt=F("capacity")).update(
        seats_taken=F("seats_taken") + 1
    ):
        raise ValidationError({"section": _("Deze groep is vol.")})


def _free_seat(section: Section) -> None:
    Section.objects.filter(pk=section.pk, seats_taken__gt=0).update(
        seats_taken=F("seats_taken") - 1
    )


@transaction.atomic
def placement_move(
    *, placement: Placement, section: Section, actor: Any, below_minimum_ok: bool = False
) -> Placement:
    """Move a pupil to another section of the same period that has a free seat. A move that
    takes the pupil's section below its minimum group size needs `below_minimum_ok`: whoever
    moves decides, knowingly, that the group still goes ahead."""
    placement = (
        Placement.objects.select_for_update()
        .select_related("pupil__school", "section")
        .get(pk=placement.pk)
    )
    if section.period_id != placement.period_id:
        raise ValidationError({"section": _("Kies een groep in dezelfde periode.")})
    if section.pk == placement.section_id:
        raise ValidationError({"section": _("De leerling zit al in deze groep.")})
    _check_fits(placement.pupil, section, placement.round)
    old = (
        Section.objects.select_for_update()
        .select_related("course", "period")
        .get(pk=placement.section_id)
    )
    if old.seats_taken - 1 < old.min_size and not below_minimum_ok:
        raise ValidationError(
            {
                "below_minimum": _(
                    "%(section)s houdt dan %(left)s leerlingen over, minder dan de minimale "
                    "groepsgrootte van %(minimum)s. Vink ‘Toch verplaatsen’ aan als de groep zo "
                    "door kan gaan."
                )
                % {"section": old, "left": old.seats_taken - 1, "minimum": old.min_size}
            }
        )
    _take_seat(section)
    _free_seat(old)
    placement.section, placement.source = section, PlacementSource.MOVE
    placement.rank = _rank_of(placement.round_id, placement.pupil_id, section.pk)
    placement.save(update_fields=["section", "source", "rank", "updated_at"])
    SectionWaitlist.objects.filter(section=section, pupil=placement.pupil).delete()
    audit.record(
        action="elective.placement.moved",
        obj=placement.round,
        actor=actor,
        before={"pupil": placement.pupil_id, "section": old.pk},
        after={
            "pupil": placement.pupil_id,
            "section": section.pk,
            "below_minimum": old.seats_taken - 1 < old.min_size,
        },
    )
    schedule_sessions(section=old, actor=actor)
    schedule_sessions(section=section, actor=actor)
    return placement


@transaction.atomic
def placement_swap(*, first: Placement, second: Placement, actor: Any) -> None:
    """Swap two pupils' sections in one period; each must fit the other's section."""
    a, b = (
        Placement.objects.select_for_update()
        .select_related("pupil__school", "section__course", "section__period")
        .get(pk=p.pk)
        for p in sorted((first, second), key=lambda p: p.pk)
    )
    if a.period_id != b.period_id:
        raise ValidationError({"second": _("Ruilen kan alleen binnen dezelfde periode.")})
    if a.section_id == b.section_id:
        raise ValidationError({"second": _("Beide leerlingen zitten al in dezelfde groep.")})
    _check_fits(a.pupil, b.section, a.round, leaving=b.pupil)
    _check_fits(b.pupil, a.section, b.round, leaving=a.pupil)
    section_a, section_b = a.section, b.section
    a.section, b.section = section_b, section_a
    for p in (a, b):
        p.source = PlacementSource.SWAP
        p.rank = _rank_of(p.round_id, p.pupil_id, p.section_id)
        p.save(update_fields=["section", "source", "rank", "updated_at"])
    audit.record(
        action="elective.placement.swapped",
        obj=a.round,
        actor=actor,
        after={"pupils": [a.pupil_id, b.pupil_id], "sections": [section_a.pk, section_b.pk]},
    )
    schedule_sessions(section=section_a, actor=actor)
    schedule_sessions(section=section_b, actor=actor)


def _rank_of(round_id: int, pupil_id: int, section_id: int) -> int | None:
    return (
        Choice.objects.filter(round_id=round_id, pupil_id=pupil_id, section_id=section_id)
        .values_list("rank", flat=True)
        .first()
    )


@transaction.atomic
def waitlist_promote(*, section: Section, actor: Any) -> Placement | None:
    """Give a free seat to the first pupil on the waiting list who still fits."""
    section = (
        Section.objects.select_for_update().select_related("course", "period").get(pk=section.pk)
    )
    if section.is_closed:
        raise ValidationError({"section": _("Deze groep gaat niet door.")})
    if section.seats_free <= 0:
        raise ValidationError({"section": _("Deze groep heeft geen vrije plaats.")})
    choice_round = (
        ChoiceRound.objects.filter(periods=section.period, state=RoundState.PUBLISHED)
        .order_by("-published_at")
        .first()
    )
    if choice_round is None:
        raise ValidationError({"section": _("Er is geen gepubliceerde ronde voor deze groep.")})
    for entry in SectionWaitlist.objects.filter(section=section).select_related("pupil__school"):
        pupil = entry.pupil
        if Placement.objects.filter(pupil=pupil, period=section.period).exists():
            entry.delete()
            continue
        try:
            _check_fits(pupil, section, choice_round)
        except ValidationError:
            entry.delete()
            continue
        _take_seat(section)
        placement = Placement.objects.create(
            round=choice_round,
            pupil=pupil,
            section=section,
            period=section.period,
            rank=_rank_of(choice_round.pk, pupil.pk, section.pk),
            source=PlacementSource.WAITLIST,
        )
        SectionWaitlist.objects.filter(pupil=pupil, section__period=section.period).delete()
        audit.record(
            action="elective.waitlist.promoted",
            obj=choice_round,
            actor=actor,
            after={"pupil": pupil.pk, "section": section.pk},
        )
        schedule_sessions(section=section, actor=actor)
        if pupil.user is not None:
            notify(
                [pupil.user],
                subject=_("Er is een plek voor je vrijgekomen"),
                body=_("Je bent alsnog ingedeeld bij %(course)s (%(when)s).")
                % {"course": section.course.title, "when": section.course.when},
                url=reverse("electives:my"),
            )
        return placement
    return None
