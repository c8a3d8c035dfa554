"""External electives (extern leren): courses, periods, sections, choice rounds and allocation."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maakstad.core.bitmask import from_mask, mask_to_choices
from maakstad.core.models import TimeStampedModel
from maakstad.organisations.models import (
    Location,
    Organisation,
    OrganisationKind,
    Pupil,
    Region,
    SchoolYear,
    Taxonomy,
    Term,
)

# The order of school kinds in `Course.school_kinds_mask` (bit i = ELIGIBLE_KINDS[i]).
ELIGIBLE_KINDS: tuple[str, ...] = (
    OrganisationKind.VMBO,
    OrganisationKind.PRO,
    OrganisationKind.VSO,
)


class Keuzevak(models.Model):
    """A vocational elective: an official SLO keuzevak (national) or a free one (per region)."""

    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="keuzevakken",
        help_text=_("Leeg voor de officiële SLO-keuzevakken."),
    )
    code = models.CharField(_("SLO-code"), max_length=10, blank=True)
    name = models.CharField(_("naam"), max_length=200)
    profile = models.ForeignKey(
        Term,
        verbose_name=_("profiel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"taxonomy": Taxonomy.PROFILE},
    )
    is_official = models.BooleanField(_("officieel (SLO)"), default=False)

    class Meta:
        verbose_name = _("keuzevak")
        verbose_name_plural = _("keuzevakken")
        ordering = ["profile__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="keuzevak_unique_name"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(region__isnull=True), name="keuzevak_unique_official"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class HalfDay(models.TextChoices):
    MORNING = "morning", _("ochtend")
    AFTERNOON = "afternoon", _("middag")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("maandag")
    TUESDAY = 1, _("dinsdag")
    WEDNESDAY = 2, _("woensdag")
    THURSDAY = 3, _("donderdag")
    FRIDAY = 4, _("vrijdag")


# When a half-day starts and ends (local time).
HALF_DAY_TIMES: dict[str, tuple[dt.time, dt.time]] = {
    HalfDay.MORNING: (dt.time(8, 30), dt.time(12, 0)),
    HalfDay.AFTERNOON: (dt.time(13, 0), dt.time(16, 30)),
}


class Course(TimeStampedModel):
    """An external elective that a provider (mbo, company or technical vmbo school) teaches."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="courses")
    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("aanbieder"),
        on_delete=models.CASCADE,
        related_name="elective_courses",
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("locatie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="elective_courses",
    )
    keuzevak = models.ForeignKey(
        Keuzevak,
        verbose_name=_("keuzevak"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses",
    )
    title = models.CharField(_("titel"), max_length=150)
    description = models.TextField(_("omschrijving"), blank=True)
    worlds = models.ManyToManyField(
        Term,
        verbose_name=_("7 werelden"),
        blank=True,
        related_name="+",
        limit_choices_to={"taxonomy": Taxonomy.WORLD},
    )
    themes = models.ManyToManyField(
        Term,
        verbose_name=_("thema's"),
        blank=True,
        related_name="+",
        limit_choices_to={"taxonomy": Taxonomy.THEME},
    )
    # Eligibility. Empty means "no restriction".
    leerwegen = models.ManyToManyField(
        Term,
        verbose_name=_("leerwegen"),
        blank=True,
        related_name="+",
        limit_choices_to={"taxonomy": Taxonomy.LEERWEG},
    )
    profiles = models.ManyToManyField(
        Term,
        verbose_name=_("profielen"),
        blank=True,
        related_name="+",
        limit_choices_to={"taxonomy": Taxonomy.PROFILE},
    )
    leerjaren_mask = models.PositiveIntegerField(_("leerjaren"), default=0)
    school_kinds_mask = models.PositiveIntegerField(_("schoolsoorten"), default=0)
    is_orienting = models.BooleanField(
        _("oriënterend"),
        default=False,
        help_text=_("Ook voor leerlingen zonder technisch profiel."),
    )
    weekday = models.PositiveSmallIntegerField(_("weekdag"), choices=Weekday.choices)
    half_day = models.CharField(_("dagdeel"), max_length=10, choices=HalfDay.choices)
    offer = models.ForeignKey(
        "catalogue.Offer",
        verbose_name=_("aanbod op de menukaart"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="elective_courses",
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("cursus")
        verbose_name_plural = _("cursussen")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "title"], name="elective_course_unique_title"
            ),
            models.CheckConstraint(condition=Q(weekday__lte=4), name="elective_course_weekday"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def leerjaren(self) -> list[int]:
        return from_mask(self.leerjaren_mask)

    @property
    def school_kinds(self) -> list[str]:
        return mask_to_choices(self.school_kinds_mask, ELIGIBLE_KINDS)

    @property
    def school_kind_labels(self) -> list[str]:
        """The school kinds this course admits, as labels (empty = every kind)."""
        return [str(OrganisationKind(kind).label) for kind in self.school_kinds]

    @property
    def times(self) -> tuple[dt.time, dt.time]:
        return HALF_DAY_TIMES[self.half_day]

    @property
    def when(self) -> str:
        return f"{self.get_weekday_display()} {self.get_half_day_display()}"


class ElectivePeriod(models.Model):
    """A period of weekly elective meetings within a school year; the programme decides how many."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="elective_periods")
    school_year = models.ForeignKey(
        SchoolYear,
        verbose_name=_("schooljaar"),
        on_delete=models.PROTECT,
        related_name="elective_periods",
    )
    name = models.CharField(_("naam"), max_length=60)
    starts_on = models.DateField(_("eerste week"))
    ends_on = models.DateField(_("laatste week"))

    class Meta:
        verbose_name = _("periode extern leren")
        verbose_name_plural = _("periodes extern leren")
        ordering = ["starts_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "school_year", "name"], name="elective_period_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="elective_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.school_year}"

    def meeting_dates(self, weekday: int) -> list[dt.date]:
        """The dates of the weekly meetings on `weekday` (0 = Monday) within the period."""
        first = self.starts_on + dt.timedelta(days=(weekday - self.starts_on.weekday()) % 7)
        dates = []
        day = first
        while day <= self.ends_on:
            dates.append(day)
            day += dt.timedelta(days=7)
        return dates


class Section(models.Model):
    """A course given in one period, with its seats. `seats_taken` is guarded by a constraint."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sections")
    period = models.ForeignKey(ElectivePeriod, on_delete=models.CASCADE, related_name="sections")
    capacity = models.PositiveSmallIntegerField(_("aantal plaatsen"))
    min_size = models.PositiveSmallIntegerField(_("minimale groepsgrootte"), default=0)
    seats_taken = models.PositiveSmallIntegerField(default=0, editable=False)
    is_closed = models.BooleanField(
        _("gesloten"), default=False, help_text=_("Gaat niet door (te weinig aanmeldingen).")
    )

    class Meta:
        verbose_name = _("groep")
        verbose_name_plural = _("groepen")
        ordering = ["period__starts_on", "course__title"]
        constraints = [
            models.UniqueConstraint(fields=["course", "period"], name="section_unique_course"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="section_capacity_positive"),
            models.CheckConstraint(
                condition=Q(min_size__lte=models.F("capacity")), name="section_min_lte_capacity"
            ),
            models.CheckConstraint(
                condition=Q(seats_taken__lte=models.F("capacity")), name="section_not_overfull"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.title} ({self.period.name})"

    @property
    def seats_free(self) -> int:
        return max(self.capacity - self.seats_taken, 0)


class RoundState(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    OPEN = "open", _("Open voor keuzes")
    CLOSED = "closed", _("Gesloten")
    ALLOCATED = "allocated", _("Ingedeeld")
    PUBLISHED = "published", _("Gepubliceerd")


class AnnouncedRule(models.TextChoices):
    """The allocation rule pupils are told before they choose (values are `Mechanism` values)."""

    LOTTERY = "lottery", _("Loting: eerlijk kiezen loont altijd")
    OPTIMUM = (
        "optimum",
        _("Optimum: zoveel mogelijk leerlingen geplaatst, tactisch kiezen kan lonen"),
    )


class ChoiceRound(TimeStampedModel):
    """Pupils rank sections of one or more periods between two dates."""

    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        RoundState.CONCEPT: (RoundState.OPEN,),
        RoundState.OPEN: (RoundState.CLOSED,),
        RoundState.CLOSED: (RoundState.OPEN, RoundState.ALLOCATED),
        RoundState.ALLOCATED: (RoundState.CLOSED, RoundState.PUBLISHED),
        RoundState.PUBLISHED: (),
    }

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="choice_rounds")
    name = models.CharField(_("naam"), max_length=100)
    periods = models.ManyToManyField(
        ElectivePeriod, verbose_name=_("periodes"), related_name="choice_rounds"
    )
    opens_on = models.DateField(_("open vanaf"))
    closes_on = models.DateField(_("sluit op"))
    choices_count = models.PositiveSmallIntegerField(_("aantal keuzes"), default=4)
    state = models.CharField(
        _("status"), max_length=10, choices=RoundState.choices, default=RoundState.CONCEPT
    )
    previous_round = models.ForeignKey(
        "self",
        verbose_name=_("vorige ronde"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_rounds",
        help_text=_("Een tweede ronde verdeelt de overgebleven plaatsen."),
    )
    fair_share = models.BooleanField(
        _("eerlijk deel per school"),
        default=False,
        help_text=_("Elke school krijgt hooguit haar aandeel van de plaatsen in een groep."),
    )
    max_distance_km = models.PositiveSmallIntegerField(
        _("maximale reisafstand (km)"), null=True, blank=True
    )
    announced_rule = models.CharField(
        _("aangekondigde indelingsregel"),
        max_length=10,
        choices=AnnouncedRule.choices,
        default=AnnouncedRule.LOTTERY,
        help_text=_("Leerlingen lezen deze regel voordat ze kiezen."),
    )
    # Which `PriorityRule`s the lottery applies (served before the lottery decides).
    priority_rules = models.JSONField(_("voorrangsregels"), default=list, blank=True)
    published_run = models.ForeignKey(
        "AllocationRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("keuzeronde")
        verbose_name_plural = _("keuzerondes")
        ordering = ["-opens_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="round_closes_after_open"
            ),
            models.CheckConstraint(
                condition=Q(choices_count__gte=1, choices_count__lte=10),
                name="round_choices_count_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def can_become(self, state: str) -> bool:
        return state in self.TRANSITIONS.get(self.state, ())

    @property
    def is_open(self) -> bool:
        return self.state == RoundState.OPEN

    @property
    def priority_rule_labels(self) -> list[str]:
        return [str(PriorityRule(rule).label) for rule in self.priority_rules or []]

    @property
    def is_strategy_proof(self) -> bool:
        """Is ranking honestly a pupil's best strategy under this round's rule? The rule is the
        published run's mechanism, else the one published for the previous round (a second round
        follows its first), else the rule announced to the pupils."""
        for choice_round in (self, self.previous_round):
            if choice_round is not None and choice_round.published_run is not None:
                return choice_round.published_run.is_strategy_proof
        return self.announced_rule in STRATEGY_PROOF


class Choice(models.Model):
    """A pupil's ranked wish for a section; entered by the pupil or by their mentor."""

    round = models.ForeignKey(ChoiceRound, on_delete=models.CASCADE, related_name="choices")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="elective_choices")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="choices")
    rank = models.PositiveSmallIntegerField(_("voorkeur"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("keuze")
        verbose_name_plural = _("keuzes")
        ordering = ["round", "pupil", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["round", "pupil", "rank"], name="choice_unique_rank"),
            models.UniqueConstraint(
                fields=["round", "pupil", "section"], name="choice_unique_section"
            ),
            models.CheckConstraint(condition=Q(rank__gte=1), name="choice_rank_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.pupil_id}: {self.rank} → {self.section_id}"


class PriorityRule(models.TextChoices):
    HOST_SCHOOL = "host_school", _("leerlingen van de school die het vak aanbiedt")
    PROFILE = "profile", _("leerlingen bij wier profiel het vak hoort")


class Mechanism(models.TextChoices):
    LOTTERY = "lottery", _("Loting (uitgestelde acceptatie)")
    OPTIMUM = "optimum", _("Optimum (min-cost flow)")
    RSD = "rsd", _("Loting zonder voorrang (RSD)")
    FCFS = "fcfs", _("Wie het eerst komt (FCFS)")


# Published mechanisms first; the baselines are there for comparison.
MECHANISM_ORDER = (Mechanism.LOTTERY, Mechanism.OPTIMUM, Mechanism.RSD, Mechanism.FCFS)
STRATEGY_PROOF = frozenset({Mechanism.LOTTERY, Mechanism.RSD})


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    FAILED = "failed", _("Mislukt")


class AllocationRun(TimeStampedModel):
    round = models.ForeignKey(ChoiceRound, on_delete=models.CASCADE, related_name="runs")
    batch = models.PositiveIntegerField(
        _("reeks"), default=1, help_text=_("Runs die samen gestart zijn.")
    )
    mechanism = models.CharField(_("mechanisme"), max_length=10, choices=Mechanism.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    seed = models.BigIntegerField(_("loting-seed"))
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    metrics = models.JSONField(_("uitkomsten"), default=dict, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("indelingsrun")
        verbose_name_plural = _("indelingsruns")
        ordering = ["-batch", "mechanism"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="run_progress_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_mechanism_display()} #{self.batch}"

    @property
    def is_strategy_proof(self) -> bool:
        return self.mechanism in STRATEGY_PROOF

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)


class RunResult(models.Model):
    """One pupil's outcome in a run, with what the explanation needs."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="results")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    lottery_number = models.PositiveIntegerField(null=True, blank=True)
    explanation = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "pupil", "section"], name="runresult_unique_pupil_section"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.pupil_id} → {self.section_id}"


class PlacementSource(models.TextChoices):
    ALLOCATION = "allocation", _("Indeling")
    SWAP = "swap", _("Geruild door coördinator")
    MOVE = "move", _("Verplaatst door coördinator")
    WAITLIST = "waitlist", _("Van de wachtlijst")


class Placement(TimeStampedModel):
    """A pupil goes to a section: from the published run, a swap or the waiting list."""

    round = models.ForeignKey(ChoiceRound, on_delete=models.CASCADE, related_name="placements")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="elective_placements")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="placements")
    # Denormalised from the section so that "one course per pupil per period" is a constraint.
    period = models.ForeignKey(ElectivePeriod, on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(
        AllocationRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(
        max_length=10, choices=PlacementSource.choices, default=PlacementSource.ALLOCATION
    )

    class Meta:
        verbose_name = _("plaatsing")
        verbose_name_plural = _("plaatsingen")
        ordering = ["section", "pupil__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "period"], name="placement_one_per_period"),
        ]


class SectionWaitlist(models.Model):
    """Pupils waiting for a seat in a section, in lottery order."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="waitlist")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("wachtlijstplek")
        verbose_name_plural = _("wachtlijst")
        ordering = ["section", "position"]
        constraints = [
            models.UniqueConstraint(fields=["section", "pupil"], name="waitlist_unique_pupil"),
        ]

    def __str__(self) -> str:
        return f"{self.section_id}: {self.position}. {self.pupil_id}"
