"""One front door to every provider: moments with seats, bookings, waiting lists, load limits,
programme quotas, pricing of primary-school lessons and calendar feeds.

Every ask a school makes to a provider is a `Booking`, also when it is refused at once because
the provider is full: the table is the register of asks. Seats on a `Slot` are counted in
`Slot.seats_taken`, changed only by `services` under a row lock and bounded by a database
constraint, so a moment is never oversold.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from maakstad.catalogue.models import ActivityType, Offer
from maakstad.core.models import TimeStampedModel
from maakstad.organisations.models import Location, Organisation, Region, SchoolYear


class SlotUnit(models.TextChoices):
    PUPILS = "pupils", _("leerlingen")
    GROUPS = "groups", _("groepen (klassen)")


class SlotStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CANCELLED = "cancelled", _("Geannuleerd")


class Slot(TimeStampedModel):
    """A scheduled moment of an offer with a number of seats (pupils) or groups."""

    offer = models.ForeignKey(
        Offer, verbose_name=_("aanbod"), on_delete=models.CASCADE, related_name="slots"
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("locatie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    unit = models.CharField(
        _("capaciteit in"), max_length=10, choices=SlotUnit.choices, default=SlotUnit.PUPILS
    )
    capacity = models.PositiveIntegerField(_("capaciteit"))
    seats_taken = models.PositiveIntegerField(_("bezet"), default=0)
    status = models.CharField(max_length=10, choices=SlotStatus.choices, default=SlotStatus.OPEN)
    notes = models.CharField(_("opmerking"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("moment")
        verbose_name_plural = _("momenten")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("capacity")), name="slot_not_oversold"
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after"),
        ]
        indexes = [models.Index(fields=["offer", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.offer.title} ({self.starts_at:%d-%m-%Y %H:%M})"

    @property
    def seats_free(self) -> int:
        return max(self.capacity - self.seats_taken, 0)


class Status(models.TextChoices):
    REQUESTED = "requested", _("Aangevraagd")
    ACCEPTED = "accepted", _("Geaccepteerd")
    DECLINED = "declined", _("Afgewezen")
    COUNTER = "counter", _("Tegenvoorstel")
    CONFIRMED = "confirmed", _("Bevestigd")
    COMPLETED = "completed", _("Afgerond")
    CANCELLED = "cancelled", _("Geannuleerd")
    NO_SHOW = "no_show", _("Niet verschenen")
    WAITING = "waiting", _("Wachtlijst")
    OFFERED = "offered", _("Plek aangeboden")


class Event(models.TextChoices):
    ACCEPT = "accept", _("Accepteren")
    DECLINE = "decline", _("Afwijzen")
    COUNTER = "counter", _("Ander moment voorstellen")
    COUNTER_ACCEPT = "counter_accept", _("Voorstel aannemen")
    COUNTER_DECLINE = "counter_decline", _("Voorstel afslaan")
    CONFIRM = "confirm", _("Definitief bevestigen")
    COMPLETE = "complete", _("Afronden")
    NO_SHOW = "no_show", _("Niet verschenen")
    CANCEL = "cancel", _("Annuleren")
    OFFER_SEATS = "offer_seats", _("Plek aanbieden")
    TAKE_OFFER = "take_offer", _("Plek aannemen")
    EXPIRE = "expire", _("Aanbod verlopen")
    PROMOTE = "promote", _("Van de wachtlijst")


# The state machine: (status, event) -> new status. Services check every step against it.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.REQUESTED, Event.ACCEPT): Status.ACCEPTED,
    (Status.REQUESTED, Event.DECLINE): Status.DECLINED,
    (Status.REQUESTED, Event.COUNTER): Status.COUNTER,
    (Status.REQUESTED, Event.CANCEL): Status.CANCELLED,
    (Status.COUNTER, Event.COUNTER_ACCEPT): Status.ACCEPTED,
    (Status.COUNTER, Event.COUNTER_DECLINE): Status.CANCELLED,
    (Status.COUNTER, Event.CANCEL): Status.CANCELLED,
    (Status.ACCEPTED, Event.CONFIRM): Status.CONFIRMED,
    (Status.ACCEPTED, Event.CANCEL): Status.CANCELLED,
    (Status.CONFIRMED, Event.COMPLETE): Status.COMPLETED,
    (Status.CONFIRMED, Event.NO_SHOW): Status.NO_SHOW,
    (Status.CONFIRMED, Event.CANCEL): Status.CANCELLED,
    (Status.WAITING, Event.OFFER_SEATS): Status.OFFERED,
    (Status.WAITING, Event.PROMOTE): Status.REQUESTED,
    (Status.WAITING, Event.CANCEL): Status.CANCELLED,
    (Status.OFFERED, Event.TAKE_OFFER): Status.REQUESTED,
    (Status.OFFERED, Event.EXPIRE): Status.CANCELLED,
    (Status.OFFERED, Event.CANCEL): Status.CANCELLED,
}
# Statuses in which a booking holds its seats on a slot (and counts against load and quota).
HOLDING = frozenset(
    {
        Status.REQUESTED,
        Status.ACCEPTED,
        Status.COUNTER,
        Status.CONFIRMED,
        Status.COMPLETED,
        Status.NO_SHOW,
        Status.OFFERED,
    }
)
# Statuses that still need someone to act; a duplicate of such a booking is refused.
ACTIVE = frozenset(
    {
        Status.REQUESTED,
        Status.ACCEPTED,
        Status.COUNTER,
        Status.CONFIRMED,
        Status.WAITING,
        Status.OFFERED,
    }
)
# Accepted asks in the load report.
GRANTED = frozenset({Status.ACCEPTED, Status.CONFIRMED, Status.COMPLETED, Status.NO_SHOW})


class Booking(TimeStampedModel):
    """A school's ask for an offer, for one class, on a slot or on dates the school proposes."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="bookings")
    offer = models.ForeignKey(
        Offer, verbose_name=_("aanbod"), on_delete=models.PROTECT, related_name="bookings"
    )
    # Copied from the offer so that the register and the load limits count without joins.
    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("aanbieder"),
        on_delete=models.PROTECT,
        related_name="bookings_received",
    )
    activity_type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="+")
    slot = models.ForeignKey(
        Slot,
        verbose_name=_("moment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    school = models.ForeignKey(
        Organisation, verbose_name=_("school"), on_delete=models.PROTECT, related_name="bookings"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("begeleidend docent"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="bookings_in_charge",
    )
    class_name = models.CharField(_("klas"), max_length=30)
    pupils_count = models.PositiveSmallIntegerField(_("aantal leerlingen"))
    leerjaar = models.PositiveSmallIntegerField(_("leerjaar"), null=True, blank=True)
    groep = models.PositiveSmallIntegerField(_("groep"), null=True, blank=True)
    preferred_dates = models.JSONField(_("voorkeursdata"), default=list, blank=True)
    remarks = models.TextField(_("opmerkingen"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    # The day the ask is about (the slot's day or the first preferred date): the register and the
    # load limits count by it.
    ask_date = models.DateField(_("datum van de vraag"), db_index=True)
    school_year = models.ForeignKey(
        SchoolYear, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("begint om"), null=True, blank=True)
    ends_at = models.DateTimeField(_("eindigt om"), null=True, blank=True)
    proposed_starts_at = models.DateTimeField(_("voorgesteld begin"), null=True, blank=True)
    proposed_ends_at = models.DateTimeField(_("voorgesteld einde"), null=True, blank=True)
    seats = models.PositiveIntegerField(_("plaatsen vastgehouden"), default=0)
    quota = models.ForeignKey(
        "ProgrammeQuota", null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )
    price_total = models.DecimalField(
        _("kosten"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    amount_due = models.DecimalField(
        _("eigen bijdrage school"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    pricing_note = models.CharField(_("toelichting prijs"), max_length=200, blank=True)
    reason = models.TextField(_("toelichting"), blank=True)
    offer_expires_at = models.DateTimeField(_("aanbod geldig tot"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("boeking")
        verbose_name_plural = _("boekingen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "school", "class_name"],
                condition=Q(status__in=sorted(s.value for s in ACTIVE)) & Q(slot__isnull=False),
                name="booking_one_active_per_class_and_slot",
            ),
            models.CheckConstraint(
                condition=Q(pupils_count__gte=1), name="booking_at_least_one_pupil"
            ),
        ]
        indexes = [
            models.Index(fields=["provider", "status", "ask_date"]),
            models.Index(fields=["school", "status"]),
            models.Index(fields=["slot", "status", "created_at"]),
            models.Index(fields=["region", "ask_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.offer.title} – {self.class_name} ({self.get_status_display()})"

    def can(self, event: str) -> bool:
        return (self.status, event) in TRANSITIONS

    @property
    def duration_minutes(self) -> int:
        if self.starts_at and self.ends_at:
            return int((self.ends_at - self.starts_at).total_seconds() // 60)
        return self.offer.duration_minutes or 0


class LoadPer(models.TextChoices):
    WEEK = "week", _("per week")
    MONTH = "month", _("per maand")
    QUARTER = "quarter", _("per kwartaal")
    SCHOOL_YEAR = "school_year", _("per schooljaar")


class Overflow(models.TextChoices):
    REFUSE = "refuse", _("weigeren met reden")
    WAITLIST = "waitlist", _("op de wachtlijst zetten")


class LoadLimit(TimeStampedModel):
    """What a provider can take per period for an activity type (or for all its activities)."""

    provider = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="load_limits")
    activity_type = models.ForeignKey(
        ActivityType,
        verbose_name=_("soort activiteit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Leeg: geldt voor al het aanbod samen."),
    )
    per = models.CharField(_("per"), max_length=12, choices=LoadPer.choices)
    max_requests = models.PositiveSmallIntegerField(_("hoogstens"))
    overflow = models.CharField(
        _("daarboven"), max_length=10, choices=Overflow.choices, default=Overflow.REFUSE
    )

    class Meta:
        verbose_name = _("belastingsgrens")
        verbose_name_plural = _("belastingsgrenzen")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "activity_type", "per"], name="load_limit_unique"
            )
        ]

    def __str__(self) -> str:
        kind = self.activity_type.name if self.activity_type else _("alle activiteiten")
        return f"{kind}: {self.max_requests} {self.get_per_display()}"


class ClosedPeriod(TimeStampedModel):
    """Days on which a provider takes no requests (e.g. December)."""

    provider = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="closed_periods"
    )
    starts_on = models.DateField(_("van"))
    ends_on = models.DateField(_("tot en met"))
    reason = models.CharField(_("reden"), max_length=150)

    class Meta:
        verbose_name = _("gesloten periode")
        verbose_name_plural = _("gesloten periodes")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="closed_period_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%d-%m-%Y} – {self.ends_on:%d-%m-%Y}: {self.reason}"


class ProgrammeQuota(TimeStampedModel):
    """Workshops the programme buys and gives to schools, e.g. 15 Spacebuzz workshops in 2026.

    Fair share: until `fair_share_until` a school gets at most `per_school_max` of them; after
    that date what is left is open to all.
    """

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="quotas")
    name = models.CharField(_("naam"), max_length=120)
    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("aanbieder"),
        on_delete=models.PROTECT,
        related_name="quotas",
    )
    starts_on = models.DateField(_("geldig vanaf"))
    ends_on = models.DateField(_("geldig tot en met"))
    total = models.PositiveIntegerField(_("aantal (klassen)"))
    used = models.PositiveIntegerField(_("gebruikt"), default=0)
    per_school_max = models.PositiveSmallIntegerField(
        _("hoogstens per school"), null=True, blank=True
    )
    fair_share_until = models.DateField(_("eerlijke verdeling tot"), null=True, blank=True)

    class Meta:
        verbose_name = _("programmaquotum")
        verbose_name_plural = _("programmaquota")
        ordering = ["starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(used__lte=F("total")), name="quota_not_exceeded"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="quota_order"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def remaining(self) -> int:
        return max(self.total - self.used, 0)


class PricingStep(TimeStampedModel):
    """The own contribution a primary school pays for a technology lesson in a school year.

    The plan: free in 2025-2026, 10 % from 2026-2027, rising in steps after. A school year without
    a step uses the last step before it.
    """

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="pricing_steps")
    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("schooljaar"), on_delete=models.PROTECT, related_name="+"
    )
    own_contribution_percent = models.DecimalField(
        _("eigen bijdrage (%)"), max_digits=5, decimal_places=2
    )

    class Meta:
        verbose_name = _("tariefstap")
        verbose_name_plural = _("tariefstappen")
        ordering = ["school_year__starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["region", "school_year"], name="pricing_step_unique"),
            models.CheckConstraint(
                condition=Q(own_contribution_percent__gte=0) & Q(own_contribution_percent__lte=100),
                name="pricing_step_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_year}: {self.own_contribution_percent} %"


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(TimeStampedModel):
    """A secret iCal address for one person's or one organisation's bookings; revocable."""

    token = models.CharField(max_length=40, unique=True, default=new_feed_token, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("agenda-abonnement")
        verbose_name_plural = _("agenda-abonnementen")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=True, organisation__isnull=False)
                | Q(user__isnull=False, organisation__isnull=True),
                name="feed_user_xor_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation or self.user}"
