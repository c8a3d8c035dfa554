"""Deepening internships (verdiepende stages): ads, weeks with places, applications and the chain.

An ad IS a catalogue `Offer` of activity type `verdiepende-stage` (so it shows on the menukaart
and the map); `InternshipAd` holds what only internships need. An `Application` walks through one
explicit state machine (`TRANSITIONS`); every step writes an `ApplicationEvent` (the history the
school sees) and every decision an `Approval` (who, when, through which channel).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from maakstad.catalogue.models import Offer
from maakstad.core.models import TimeStampedModel
from maakstad.organisations.models import Guardian, Organisation, Pupil

MIN_DAYS, MAX_DAYS = 2, 5


class InternshipAd(TimeStampedModel):
    offer = models.OneToOneField(
        Offer, verbose_name=_("aanbod"), on_delete=models.CASCADE, related_name="internship_ad"
    )
    skills = models.TextField(_("vaardigheden die je leert"))
    knowledge = models.TextField(_("kennis die je opdoet"), blank=True)
    tasks = models.TextField(_("taken"))
    days = models.PositiveSmallIntegerField(_("aantal dagen"), default=3)
    day_starts = models.TimeField(_("begintijd"), default=dt.time(8, 30))
    day_ends = models.TimeField(_("eindtijd"), default=dt.time(15, 30))
    requirements = models.TextField(
        _("wat je nodig hebt"), blank=True, help_text=_("Bijvoorbeeld werkschoenen.")
    )
    supervisor_name = models.CharField(_("begeleider"), max_length=120)
    supervisor_phone = models.CharField(_("telefoon begeleider"), max_length=30, blank=True)
    how_to_get_there = models.TextField(_("hoe kom je er"), blank=True)

    class Meta:
        verbose_name = _("stage-advertentie")
        verbose_name_plural = _("stage-advertenties")
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=MIN_DAYS, days__lte=MAX_DAYS), name="internshipad_days_2_5"
            ),
            models.CheckConstraint(
                condition=Q(day_ends__gt=F("day_starts")), name="internshipad_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.offer.title


class AdWeek(models.Model):
    """A week (starting on Monday) in which the ad is available, with its places."""

    ad = models.ForeignKey(InternshipAd, on_delete=models.CASCADE, related_name="weeks")
    week_start = models.DateField(_("week van"))
    places = models.PositiveSmallIntegerField(_("plaatsen"))
    places_taken = models.PositiveSmallIntegerField(_("plaatsen bezet"), default=0)

    class Meta:
        verbose_name = _("stageweek")
        verbose_name_plural = _("stageweken")
        ordering = ["week_start"]
        constraints = [
            models.UniqueConstraint(fields=["ad", "week_start"], name="adweek_unique_week"),
            models.CheckConstraint(
                condition=Q(places_taken__lte=F("places")), name="adweek_taken_lte_places"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week_start:%d-%m-%Y}"

    @property
    def week_number(self) -> int:
        return self.week_start.isocalendar()[1]

    @property
    def places_left(self) -> int:
        return max(self.places - self.places_taken, 0)


class SchoolInternshipSettings(models.Model):
    """Per-school choices for the chain."""

    school = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="internship_settings"
    )
    require_all_guardians = models.BooleanField(
        _("toestemming van alle ouders/verzorgers nodig"),
        default=False,
        help_text=_("Anders volstaat de toestemming van één ouder/verzorger."),
    )

    class Meta:
        verbose_name = _("stage-instellingen school")
        verbose_name_plural = _("stage-instellingen scholen")

    def __str__(self) -> str:
        return str(self.school)


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Wacht op mentor")
    MENTOR_REJECTED = "mentor_rejected", _("Afgewezen door mentor")
    AWAITING_GUARDIAN = "awaiting_guardian", _("Wacht op ouder/verzorger")
    GUARDIAN_REJECTED = "guardian_rejected", _("Afgewezen door ouder/verzorger")
    AWAITING_COMPANY = "awaiting_company", _("Wacht op bedrijf")
    DAYS_PROPOSED = "days_proposed", _("Bedrijf stelt andere dagen voor")
    COMPANY_DECLINED = "company_declined", _("Afgewezen door bedrijf")
    CONFIRMED = "confirmed", _("Stage bevestigd")
    COMPLETED = "completed", _("Stage afgerond")
    CANCELLED = "cancelled", _("Geannuleerd")


class Event(models.TextChoices):
    MENTOR_APPROVE = "mentor_approve", _("Mentor keurt goed")
    MENTOR_REJECT = "mentor_reject", _("Mentor wijst af")
    GUARDIAN_APPROVE = "guardian_approve", _("Ouder/verzorger geeft toestemming")
    GUARDIAN_REJECT = "guardian_reject", _("Ouder/verzorger weigert")
    COMPANY_ACCEPT = "company_accept", _("Bedrijf accepteert")
    COMPANY_PROPOSE = "company_propose", _("Bedrijf stelt andere dagen voor")
    COMPANY_DECLINE = "company_decline", _("Bedrijf wijst af")
    PROPOSAL_ACCEPT = "proposal_accept", _("Voorstel geaccepteerd")
    COMPLETE = "complete", _("Stage afgerond")
    CANCEL = "cancel", _("Geannuleerd")


ACTIVE_BEFORE_CONFIRMATION = (
    Status.SUBMITTED,
    Status.AWAITING_GUARDIAN,
    Status.AWAITING_COMPANY,
    Status.DAYS_PROPOSED,
)
FINAL = (
    Status.MENTOR_REJECTED,
    Status.GUARDIAN_REJECTED,
    Status.COMPANY_DECLINED,
    Status.COMPLETED,
    Status.CANCELLED,
)

# (from status, event) -> to status. Nothing else is allowed. A guardian approval moves on only
# when enough guardians approved (one, or all when the school requires it); the service decides.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.SUBMITTED, Event.MENTOR_APPROVE): Status.AWAITING_GUARDIAN,
    (Status.SUBMITTED, Event.MENTOR_REJECT): Status.MENTOR_REJECTED,
    (Status.AWAITING_GUARDIAN, Event.GUARDIAN_APPROVE): Status.AWAITING_COMPANY,
    (Status.AWAITING_GUARDIAN, Event.GUARDIAN_REJECT): Status.GUARDIAN_REJECTED,
    (Status.AWAITING_COMPANY, Event.COMPANY_ACCEPT): Status.CONFIRMED,
    (Status.AWAITING_COMPANY, Event.COMPANY_PROPOSE): Status.DAYS_PROPOSED,
    (Status.AWAITING_COMPANY, Event.COMPANY_DECLINE): Status.COMPANY_DECLINED,
    (Status.DAYS_PROPOSED, Event.PROPOSAL_ACCEPT): Status.CONFIRMED,
    (Status.DAYS_PROPOSED, Event.COMPANY_DECLINE): Status.COMPANY_DECLINED,
    (Status.CONFIRMED, Event.COMPLETE): Status.COMPLETED,
    **{
        (s, Event.CANCEL): Status.CANCELLED for s in (*ACTIVE_BEFORE_CONFIRMATION, Status.CONFIRMED)
    },
}


class Application(TimeStampedModel):
    ad = models.ForeignKey(InternshipAd, on_delete=models.PROTECT, related_name="applications")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="internship_apps")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    motivation = models.TextField(_("motivatie"), max_length=1000)
    preferred_weeks = models.ManyToManyField(
        AdWeek, verbose_name=_("voorkeursweken"), related_name="preferred_by"
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_behalf = models.BooleanField(_("aangemeld door mentor"), default=False)
    # The week whose place this application holds (set on confirmation, cleared on cancel).
    week = models.ForeignKey(
        AdWeek, null=True, blank=True, on_delete=models.PROTECT, related_name="placements"
    )
    # The week of the company's proposal for other days (DAYS_PROPOSED).
    proposed_week = models.ForeignKey(
        AdWeek, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set once the guardians approved: from then on the company may see the application.
    reached_company = models.BooleanField(default=False)
    company_message = models.TextField(_("toelichting bedrijf"), blank=True)
    step_started_at = models.DateTimeField(_("stap begonnen"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("herinnerd"), null=True, blank=True)
    evaluation_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("stage-aanmelding")
        verbose_name_plural = _("stage-aanmeldingen")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "step_started_at"])]

    def __str__(self) -> str:
        return f"{self.ad} – {self.pupil.short_name}"

    @property
    def region_id(self) -> int:
        return self.pupil.school.region_id

    @property
    def is_open(self) -> bool:
        return self.status not in FINAL

    def allowed(self, event: str) -> bool:
        return (self.status, event) in TRANSITIONS


class DayState(models.TextChoices):
    PROPOSED = "proposed", _("Voorgesteld")
    PLANNED = "planned", _("Gepland")
    CANCELLED = "cancelled", _("Vervallen")


class PlacementDay(models.Model):
    """One internship day. The pupil column backs 'no two placements on one day' in the DB."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="days")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("datum"))
    starts_at = models.TimeField(_("van"))
    ends_at = models.TimeField(_("tot"))
    state = models.CharField(max_length=10, choices=DayState.choices, default=DayState.PROPOSED)

    class Meta:
        verbose_name = _("stagedag")
        verbose_name_plural = _("stagedagen")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "date"],
                condition=Q(state="planned"),
                name="placementday_one_planned_per_pupil_day",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="placementday_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"


class ApplicationEvent(models.Model):
    """One step in an application's history (shown to the school)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(auto_now_add=True)
    event = models.CharField(max_length=20, choices=Event.choices, blank=True)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=120, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class Party(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    GUARDIAN = "guardian", _("Ouder/verzorger")
    COMPANY = "company", _("Bedrijf")
    PUPIL = "pupil", _("Leerling")


class Channel(models.TextChoices):
    WEB = "web", _("Maakstad (ingelogd)")
    EMAIL_LINK = "email_link", _("Link in e-mail")


class Approval(models.Model):
    """A decision by one party: stored with time and channel (DESIGN.md §5)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="approvals")
    party = models.CharField(_("partij"), max_length=10, choices=Party.choices)
    approved = models.BooleanField(_("akkoord"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    guardian = models.ForeignKey(
        Guardian, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("naam"), max_length=150)
    channel = models.CharField(_("kanaal"), max_length=12, choices=Channel.choices)
    reason = models.TextField(_("reden"), blank=True)
    created_at = models.DateTimeField(_("tijdstip"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "guardian"],
                condition=Q(guardian__isnull=False),
                name="approval_one_per_guardian",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()} {self.name}"


class LinkPurpose(models.TextChoices):
    APPROVAL = "approval", _("Toestemming")
    AGREEMENT = "agreement", _("Stageovereenkomst")


class GuardianLink(models.Model):
    """A link e-mailed to a guardian. Only a hash of the random token is stored."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="links")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=10, choices=LinkPurpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.created_at:%Y-%m-%d})"


class Agreement(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="agreement"
    )
    generated_at = models.DateTimeField(auto_now=True)
    pdf = models.BinaryField()

    def __str__(self) -> str:
        return f"Stageovereenkomst {self.application_id}"


class Reflection(models.Model):
    """The pupil's short reflection after the last day (optional)."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="reflection"
    )
    rating = models.PositiveSmallIntegerField(_("hoe vond je het? (1-5)"))
    learned = models.TextField(_("wat heb je geleerd?"), max_length=1000)
    would_choose_technology = models.BooleanField(_("ik wil verder in de techniek"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="reflection_rating_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"Reflectie {self.application_id}"


class Assessment(models.Model):
    """The company's short assessment after the last day (optional)."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="assessment"
    )
    rating = models.PositiveSmallIntegerField(_("beoordeling (1-5)"))
    comments = models.TextField(_("toelichting"), max_length=1000, blank=True)
    hours = models.DecimalField(_("begeleide uren"), max_digits=5, decimal_places=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="assessment_rating_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"Beoordeling {self.application_id}"
