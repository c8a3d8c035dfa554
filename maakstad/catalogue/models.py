"""The menukaart: standard activity types and the offers of companies, colleges and partners."""

from __future__ import annotations

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
    Region,
    Taxonomy,
    Term,
)

# Longest note of a specific date (`OfferDate.note`).
NOTE_MAX_LENGTH = 100

# The order of school kinds in `Offer.school_kinds_mask` (bit i = AUDIENCE_KINDS[i]).
AUDIENCE_KINDS: tuple[str, ...] = (
    OrganisationKind.PO,
    OrganisationKind.VMBO,
    OrganisationKind.PRO,
    OrganisationKind.VSO,
    OrganisationKind.MBO,
)


class ActivityType(models.Model):
    """A standard activity from the kadernotitie (gastles, bedrijfsbezoek, ...), per region."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="activity_types")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("naam"), max_length=100)
    definition = models.TextField(_("definitie"), blank=True)
    explanation = models.TextField(_("toelichting"), blank=True)
    conditions = models.TextField(_("voorwaarden"), blank=True)
    # Activities of this type need a signed insurance statement / parental consent by default.
    insurance_default = models.BooleanField(_("verzekering standaard nodig"), default=False)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("in gebruik"), default=True)

    class Meta:
        verbose_name = _("soort activiteit")
        verbose_name_plural = _("soorten activiteiten")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="activitytype_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    PUBLISHED = "published", _("Gepubliceerd")
    ARCHIVED = "archived", _("Gearchiveerd")


class BookingMode(models.TextChoices):
    SCHEDULED = "scheduled", _("Vaste momenten")
    ON_REQUEST = "on_request", _("Op aanvraag")


class CostUnit(models.TextChoices):
    FREE = "free", _("Gratis")
    PER_PUPIL = "per_pupil", _("Per leerling")
    PER_GROUP = "per_group", _("Per groep")


class OfferQuerySet(models.QuerySet["Offer"]):
    def published(self) -> OfferQuerySet:
        return self.filter(status=OfferStatus.PUBLISHED)


class Offer(TimeStampedModel):
    """What a provider offers to schools, with every condition a teacher needs to decide."""

    provider = models.ForeignKey(
        Organisation, verbose_name=_("aanbieder"), on_delete=models.CASCADE, related_name="offers"
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("locatie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offers",
    )
    activity_type = models.ForeignKey(
        ActivityType,
        verbose_name=_("soort activiteit"),
        on_delete=models.PROTECT,
        related_name="offers",
    )
    title = models.CharField(_("titel"), max_length=150)
    summary = models.CharField(_("korte omschrijving"), max_length=300, blank=True)
    description = models.TextField(_("omschrijving"), blank=True, help_text=_("Markdown."))
    pupil_activities = models.TextField(_("wat leerlingen doen en leren"), blank=True)
    # Audience. Empty masks mean "no restriction".
    school_kinds_mask = models.PositiveIntegerField(_("schoolsoorten"), default=0)
    leerjaren_mask = models.PositiveIntegerField(_("leerjaren"), default=0)
    groepen_mask = models.PositiveIntegerField(_("groepen (po)"), default=0)
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
    mentalities = models.ManyToManyField(
        Term,
        verbose_name=_("Bèta & Tech-types"),
        blank=True,
        related_name="+",
        limit_choices_to={"taxonomy": Taxonomy.MENTALITY},
    )
    min_pupils = models.PositiveSmallIntegerField(
        _("minimum aantal leerlingen"), null=True, blank=True
    )
    max_pupils = models.PositiveSmallIntegerField(
        _("maximum aantal leerlingen"), null=True, blank=True
    )
    duration_minutes = models.PositiveIntegerField(_("duur (minuten)"), null=True, blank=True)
    # Availability: weekdays (0 = Monday), a date range, free text for periods.
    weekdays_mask = models.PositiveSmallIntegerField(_("weekdagen"), default=0)
    available_from = models.DateField(_("beschikbaar vanaf"), null=True, blank=True)
    available_until = models.DateField(_("beschikbaar tot en met"), null=True, blank=True)
    availability_notes = models.CharField(
        _("beschikbaarheid (toelichting)"), max_length=250, blank=True
    )
    booking_mode = models.CharField(
        _("boeken"), max_length=12, choices=BookingMode.choices, default=BookingMode.ON_REQUEST
    )
    cost_unit = models.CharField(
        _("kosten"), max_length=10, choices=CostUnit.choices, default=CostUnit.FREE
    )
    cost_amount = models.DecimalField(_("bedrag (€)"), max_digits=8, decimal_places=2, default=0)
    own_contribution_amount = models.DecimalField(
        _("eigen bijdrage school (€)"), max_digits=8, decimal_places=2, default=0
    )
    insurance_required = models.BooleanField(_("verzekering nodig"), default=False)
    supervision_required = models.BooleanField(_("begeleiding door school nodig"), default=True)
    supervision_notes = models.CharField(_("begeleiding (toelichting)"), max_length=250, blank=True)
    travel_notes = models.TextField(_("reisinformatie"), blank=True)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contactpersoon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.DRAFT
    )
    is_programme_offer = models.BooleanField(
        _("TechTown-aanbod"), default=False, help_text=_("Betaald door het programma.")
    )
    confirmed_at = models.DateTimeField(_("laatst bevestigd"), null=True, blank=True)
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    # When the provider was last asked to confirm the offer (freshness reminders).
    reminded_at = models.DateTimeField(_("herinnering verstuurd op"), null=True, blank=True)

    objects: ClassVar[OfferQuerySet] = OfferQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("aanbod")
        verbose_name_plural = _("aanbod")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_pupils__isnull=True)
                | Q(min_pupils__isnull=True)
                | Q(max_pupils__gte=models.F("min_pupils")),
                name="offer_max_gte_min",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "activity_type"]),
            models.Index(fields=["provider", "status"]),
            models.Index(fields=["status", "confirmed_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def school_kinds(self) -> list[str]:
        return mask_to_choices(self.school_kinds_mask, AUDIENCE_KINDS)

    @property
    def leerjaren(self) -> list[int]:
        return from_mask(self.leerjaren_mask)

    @property
    def groepen(self) -> list[int]:
        return from_mask(self.groepen_mask)

    @property
    def weekdays(self) -> list[int]:
        return from_mask(self.weekdays_mask)

    @property
    def has_range_or_weekdays(self) -> bool:
        """Does a date range or weekday mask say when it is available? Without them an offer
        with specific dates (`OfferDate`) is available on those days only."""
        return bool(self.available_from or self.available_until or self.weekdays_mask)

    def accepts_school_kind(self, kind: str) -> bool:
        return not self.school_kinds_mask or kind in self.school_kinds

    def accepts_year(self, *, leerjaar: int | None = None, groep: int | None = None) -> bool:
        if leerjaar is not None and self.leerjaren_mask and leerjaar not in self.leerjaren:
            return False
        return not (groep is not None and self.groepen_mask and groep not in self.groepen)


class OfferDate(models.Model):
    """A specific date on which an offer takes place ("Open dag op 14 januari"), next to or
    instead of the weekdays and the date range."""

    offer = models.ForeignKey(
        Offer, verbose_name=_("aanbod"), on_delete=models.CASCADE, related_name="dates"
    )
    date = models.DateField(_("datum"))
    note = models.CharField(_("toelichting"), max_length=NOTE_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("datum")
        verbose_name_plural = _("data")
        ordering = ["date"]
        constraints = [
            # Also the index behind "has a date on or after ..." (offer_id, date).
            models.UniqueConstraint(fields=["offer", "date"], name="offerdate_unique_date")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y}" + (f" {self.note}" if self.note else "")


# Allowed status changes of an offer (services.offer_publish / offer_archive / offer_unpublish).
TRANSITIONS: dict[str, frozenset[str]] = {
    OfferStatus.DRAFT: frozenset({OfferStatus.PUBLISHED, OfferStatus.ARCHIVED}),
    OfferStatus.PUBLISHED: frozenset({OfferStatus.DRAFT, OfferStatus.ARCHIVED}),
    OfferStatus.ARCHIVED: frozenset({OfferStatus.DRAFT, OfferStatus.PUBLISHED}),
}
