"""The programme: action lines, activities, milestones and budget lines (activity plan §7)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maakstad.core.models import TimeStampedModel
from maakstad.organisations.models import Region


class Programme(models.Model):
    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="programme")
    name = models.CharField(_("naam"), max_length=200)
    subsidy_number = models.CharField(_("subsidienummer"), max_length=40, blank=True)
    starts_on = models.DateField(_("looptijd vanaf"))
    ends_on = models.DateField(_("looptijd tot en met"))
    # The co-financing the plan requires over the whole programme, in company hours; in euros at
    # the region's rate (`Region.cofinancing_rate`): 18,560 h × €60 = €1,113,600 in the plan.
    cofinancing_required_hours = models.DecimalField(
        _("vereiste cofinanciering (uren)"), max_digits=10, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = _("programma")
        verbose_name_plural = _("programma's")

    def __str__(self) -> str:
        return self.name


class ActionLine(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="action_lines")
    number = models.PositiveSmallIntegerField(_("nummer"))
    name = models.CharField(_("naam"), max_length=200)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("projectleider"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("actielijn")
        verbose_name_plural = _("actielijnen")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="actionline_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Activity(models.Model):
    """An activity or sub-activity of the plan (1.2, 2.2.1, ...), or a programme-wide cost group."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="activities")
    action_line = models.ForeignKey(
        ActionLine, null=True, blank=True, on_delete=models.CASCADE, related_name="activities"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("naam"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )

    class Meta:
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="activity_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class Milestone(TimeStampedModel):
    """A milestone of the plan. Codes repeat within an activity, so each has its own key."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="milestones")
    key = models.CharField(_("sleutel"), max_length=30)
    code = models.CharField(_("code in het plan"), max_length=20)
    action_line = models.ForeignKey(ActionLine, on_delete=models.CASCADE, related_name="milestones")
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="milestones"
    )
    description = models.TextField(_("omschrijving"))
    target_year = models.PositiveSmallIntegerField(_("doeljaar"))
    target_quarter = models.PositiveSmallIntegerField(_("doelkwartaal"))
    quarter_as_written = models.CharField(
        _("kwartaal zoals in het plan"), max_length=20, blank=True
    )
    numeric_target = models.DecimalField(
        _("streefwaarde"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("eenheid"), max_length=30, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verantwoordelijke"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The indicator that measures it (a code in `monitoring.indicators`), when the platform knows.
    indicator_code = models.CharField(_("indicator"), max_length=60, blank=True)
    # For milestones the platform does not measure (no number, or a number without a computing
    # indicator such as pilots and masterclasses): recorded by the programme office.
    achieved_on = models.DateField(_("behaald op"), null=True, blank=True)
    reported_value = models.DecimalField(
        _("gemelde stand"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("mijlpaal")
        verbose_name_plural = _("mijlpalen")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="milestone_unique_key"),
            models.CheckConstraint(
                condition=models.Q(target_quarter__gte=1, target_quarter__lte=4),
                name="milestone_quarter_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"

    @property
    def target_label(self) -> str:
        return f"{self.target_year}-Q{self.target_quarter}"

    @property
    def target_end(self) -> dt.date:
        """The last day of the target quarter."""
        month = self.target_quarter * 3
        next_month = dt.date(self.target_year + (month == 12), month % 12 + 1, 1)
        return next_month - dt.timedelta(days=1)


class BudgetLine(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budget_lines")
    action_line = models.ForeignKey(
        ActionLine, null=True, blank=True, on_delete=models.CASCADE, related_name="budget_lines"
    )
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="budget_lines"
    )
    item = models.CharField(_("post"), max_length=250)
    quantity = models.DecimalField(
        _("aantal"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit_rate = models.DecimalField(
        _("tarief (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount = models.DecimalField(_("bedrag (€)"), max_digits=14, decimal_places=2)
    notes = models.TextField(_("toelichting"), blank=True)
    # The calendar year budgeted; empty when the plan budgets the line for the whole period.
    year = models.PositiveSmallIntegerField(_("jaar"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("begrotingsregel")
        verbose_name_plural = _("begroting")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "position"], name="budgetline_unique_pos")
        ]

    def __str__(self) -> str:
        return self.item

    @property
    def computed_amount(self) -> Decimal | None:
        if self.quantity is None or self.unit_rate is None:
            return None
        return (self.quantity * self.unit_rate).quantize(Decimal("0.01"))

    @property
    def amount_mismatch(self) -> Decimal | None:
        """How far the stated amount is from quantity × rate (None when it agrees or can't tell)."""
        computed = self.computed_amount
        if computed is None or abs(computed - self.amount) < Decimal("1.00"):
            return None
        return self.amount - computed


class Spending(TimeStampedModel):
    """Money spent against a budget line, entered or imported with a document reference."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="spendings")
    budget_line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("begrotingsregel"),
        on_delete=models.PROTECT,
        related_name="spendings",
    )
    spent_on = models.DateField(_("datum"))
    amount = models.DecimalField(_("bedrag (€)"), max_digits=12, decimal_places=2)
    document_reference = models.CharField(_("documentnummer"), max_length=80)
    description = models.CharField(_("omschrijving"), max_length=250, blank=True)
    is_forecast = models.BooleanField(_("prognose"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("uitgave")
        verbose_name_plural = _("uitgaven")
        ordering = ["-spent_on", "-id"]
        indexes = [models.Index(fields=["programme", "spent_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "document_reference", "budget_line"],
                name="spending_unique_document",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_reference} {self.amount}"


class SchoolReportStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    SUBMITTED = "submitted", _("Ingediend")
    ACCEPTED = "accepted", _("Geaccepteerd")
    RETURNED = "returned", _("Teruggestuurd")


class SchoolReport(TimeStampedModel):
    """The one standard yearly form per school: short, pre-filled with what Maakstad knows."""

    TRANSITIONS: dict[str, set[str]] = {
        SchoolReportStatus.DRAFT: {SchoolReportStatus.SUBMITTED},
        SchoolReportStatus.SUBMITTED: {SchoolReportStatus.ACCEPTED, SchoolReportStatus.RETURNED},
        SchoolReportStatus.RETURNED: {SchoolReportStatus.SUBMITTED},
        SchoolReportStatus.ACCEPTED: set(),
    }

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="school_reports"
    )
    school = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="school_reports"
    )
    school_year = models.ForeignKey(
        "organisations.SchoolYear", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SchoolReportStatus.choices,
        default=SchoolReportStatus.DRAFT,
    )
    lob_plan_submitted = models.BooleanField(_("LOB-plan ingediend"), default=False)
    technology_hours_per_onderbouw_pupil = models.DecimalField(
        _("uren techniekonderwijs per onderbouwleerling"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Streefwaarde: minimaal 80 uur per jaar."),
    )
    technical_keuzevakken_offered = models.PositiveSmallIntegerField(
        _("aantal technische keuzevakken aangeboden"), null=True, blank=True
    )
    parents_evening_held = models.BooleanField(
        _("ouderavond over techniek gehouden"), default=False
    )
    parents_evening_on = models.DateField(_("datum ouderavond"), null=True, blank=True)
    # {"PIE": {"girls": 12, "boys": 40, "other": 0}, ...}: pupils per profiel by gender.
    pupils_per_profile = models.JSONField(
        _("leerlingen per profiel naar gender"), default=dict, blank=True
    )
    outflow_total = models.PositiveIntegerField(
        _("uitstroom naar mbo (totaal)"), null=True, blank=True
    )
    outflow_technical = models.PositiveIntegerField(
        _("uitstroom naar technisch mbo"), null=True, blank=True
    )
    outflow_technical_girls = models.PositiveIntegerField(
        _("meisjes naar technisch mbo"), null=True, blank=True
    )
    remarks = models.TextField(_("toelichting"), blank=True)
    review_notes = models.TextField(_("opmerkingen projectleider"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("schoolrapportage")
        verbose_name_plural = _("schoolrapportages")
        ordering = ["school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"], name="schoolreport_unique_year"
            ),
            models.CheckConstraint(
                condition=models.Q(outflow_technical__isnull=True)
                | models.Q(outflow_total__isnull=True)
                | models.Q(outflow_technical__lte=models.F("outflow_total")),
                name="schoolreport_outflow_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.school_year}"


class FollowUpStage(models.TextChoices):
    PROFILE = "profile", _("Profielkeuze (vmbo, na leerjaar 2)")
    OUTFLOW = "outflow", _("Uitstroom naar het mbo")


class Gender(models.TextChoices):
    GIRL = "girl", _("Meisje")
    BOY = "boy", _("Jongen")
    OTHER = "other", _("Anders / onbekend")


class FollowUpChoice(TimeStampedModel):
    """The follow-up choice of one pupil, entered by the school, for the impact analysis.

    Pupils are minors, so this holds the minimum: which stage, which school year, whether the
    choice was technical, and gender (for the girls indicator). No profile or study name, no
    grades, no free text. Only aggregates of at least `impact.MIN_GROUP` pupils are ever shown.
    Schools that do not enter per pupil report the same in aggregate on the school report
    (`outflow_total`, `outflow_technical`, `outflow_technical_girls`).
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="follow_ups")
    pupil = models.ForeignKey(
        "organisations.Pupil", on_delete=models.CASCADE, related_name="follow_ups"
    )
    # Denormalised from the pupil: the school at the time of the choice, for cuts and aggregates.
    school = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="follow_ups"
    )
    school_year = models.ForeignKey(
        "organisations.SchoolYear", on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("moment"), max_length=10, choices=FollowUpStage.choices)
    is_technical = models.BooleanField(_("technische keuze"))
    gender = models.CharField(_("gender"), max_length=5, choices=Gender.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("vervolgkeuze")
        verbose_name_plural = _("vervolgkeuzes")
        constraints = [
            models.UniqueConstraint(fields=["pupil", "stage"], name="followup_one_per_stage")
        ]
        indexes = [models.Index(fields=["programme", "stage", "school_year"])]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.school_year}"
