"""Sessions: every moment pupils are expected somewhere outside school, and who came.

Bookings, internships and electives create sessions through `attendance.services.session_schedule`
(the one contract between them and attendance); check-in, hours and co-financing build on them.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maakstad.core.models import TimeStampedModel
from maakstad.organisations.models import Location, Organisation, Pupil, Region


class SessionCategory(models.TextChoices):
    """The co-financing category an hour counts towards (activity plan §6)."""

    LOB = "lob", _("LOB-activiteiten")
    INTERNSHIP = "internship", _("Verdiepende stages")
    ELECTIVE = "elective", _("Extern leren")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Gepland")
    CANCELLED = "cancelled", _("Geannuleerd")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def new_handle() -> str:
    return secrets.token_urlsafe(9)


class Session(TimeStampedModel):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="sessions")
    category = models.CharField(_("categorie"), max_length=12, choices=SessionCategory.choices)
    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("gastorganisatie"),
        on_delete=models.CASCADE,
        related_name="hosted_sessions",
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("locatie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    title = models.CharField(_("titel"), max_length=200)
    starts_at = models.DateTimeField(_("begint"), db_index=True)
    ends_at = models.DateTimeField(_("eindigt"))
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    # What the session comes from (a booking, an internship placement day, an elective meeting).
    source_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    # Signs the rotating QR codes; never shown. The static code is the printed fallback.
    secret = models.CharField(max_length=64, default=new_secret, editable=False)
    # The public, random name of the session inside QR codes (never a primary key).
    handle = models.CharField(max_length=16, default=new_handle, unique=True, editable=False)
    static_code = models.CharField(max_length=16, blank=True, db_index=True)
    # The supervisor confirmed the planned duration for everyone present.
    duration_confirmed_at = models.DateTimeField(null=True, blank=True)
    supervisor_rating = models.PositiveSmallIntegerField(
        _("Hoe was het? (begeleider)"), null=True, blank=True
    )
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="supervised_sessions"
    )

    class Meta:
        verbose_name = _("sessie")
        verbose_name_plural = _("sessies")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "starts_at"], name="session_unique_source_start"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["provider", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d-%m-%Y %H:%M})"

    @property
    def planned_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class AttendanceStatus(models.TextChoices):
    EXPECTED = "expected", _("Verwacht")
    PRESENT = "present", _("Aanwezig")
    ABSENT = "absent", _("Afwezig")
    EXCUSED = "excused", _("Afgemeld")


class Attendance(models.Model):
    """One expected pupil at one session, and what happened."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.EXPECTED,
    )
    checked_in_at = models.DateTimeField(_("ingecheckt"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("uitgecheckt"), null=True, blank=True)
    # Minutes that count (from check-in/out, or the planned duration confirmed by the supervisor).
    minutes = models.PositiveIntegerField(_("minuten"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reden"), max_length=250, blank=True)
    # "Hoe was het?" 1-5, asked at check-out.
    rating = models.PositiveSmallIntegerField(_("Hoe was het?"), null=True, blank=True)
    absence_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("aanwezigheid")
        verbose_name_plural = _("aanwezigheid")
        constraints = [
            models.UniqueConstraint(fields=["session", "pupil"], name="attendance_unique_pupil")
        ]
        indexes = [
            models.Index(fields=["pupil", "status"]),
            # For monitoring's aggregates over present pupils (reach, co-financing minutes):
            # index-only scans instead of reading the whole table.
            models.Index(
                fields=["pupil"],
                condition=Q(status="present"),
                name="attendance_present_pupil",
            ),
            models.Index(
                fields=["session", "minutes"],
                condition=Q(status="present", minutes__isnull=False),
                name="attendance_present_session_min",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} @ {self.session}"


class ReportedHours(TimeStampedModel):
    """Contract hours of regular technical internships, reported by a school per company per half
    year (these internships do not run in Maakstad; activity plan §6)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="reported_hours")
    school = models.ForeignKey(
        Organisation,
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="reported_hours",
    )
    company = models.ForeignKey(
        Organisation, verbose_name=_("bedrijf"), on_delete=models.CASCADE, related_name="+"
    )
    school_year = models.CharField(_("schooljaar"), max_length=9)  # "2025-2026"
    half = models.PositiveSmallIntegerField(
        _("halfjaar"), choices=[(1, _("1e halfjaar")), (2, _("2e halfjaar"))]
    )
    hours = models.DecimalField(_("uren"), max_digits=9, decimal_places=1)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("gemelde stage-uren")
        verbose_name_plural = _("gemelde stage-uren")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "company", "school_year", "half"], name="reportedhours_unique"
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="reportedhours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.school} → {self.company} {self.school_year}/{self.half}: {self.hours}"
