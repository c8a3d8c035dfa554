"""The indicators, computed from operational data (read-only). Each is registered by code and
bound to milestones in `indicators.DEFAULT_BINDINGS`.

Cuts: school year (by the date of the activity), subregion, school kind, school.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from maakstad.knowledge.models import ResourceKind, Usage
from maakstad.monitoring.indicators import Cuts, indicator
from maakstad.monitoring.models import Programme, SchoolReport
from maakstad.organisations.models import SchoolYear


def school_year_bounds(name: str) -> tuple[dt.date, dt.date] | None:
    if not name:
        return None
    start = int(name.split("-")[0])
    _name, starts_on, ends_on = SchoolYear.bounds(start)
    return starts_on, ends_on


def cut_schools(qs: QuerySet, cuts: Cuts, prefix: str) -> QuerySet:  # type: ignore[type-arg]
    """Apply the subregion / school kind / school cuts through the path `prefix` to a school."""
    if cuts.subregion:
        qs = qs.filter(**{f"{prefix}__subregion": cuts.subregion})
    if cuts.school_kind:
        qs = qs.filter(**{f"{prefix}__kind": cuts.school_kind})
    if cuts.school_id:
        qs = qs.filter(**{f"{prefix}_id": cuts.school_id})
    return qs


def cut_dates(qs: QuerySet, cuts: Cuts, field: str) -> QuerySet:  # type: ignore[type-arg]
    bounds = school_year_bounds(cuts.school_year)
    if bounds:
        qs = qs.filter(**{f"{field}__range": bounds})
    return qs


def _lesson_kit_schools(programme: Programme, cuts: Cuts, leerjaar: int) -> Decimal:
    usages = Usage.objects.filter(
        Q(resource__kind=ResourceKind.LESSON_KIT)
        | Q(resource__collection_items__collection__is_lesson_kit_programme=True),
        school__region_id=programme.region_id,
        leerjaar=leerjaar,
    )
    usages = cut_dates(cut_schools(usages, cuts, "school"), cuts, "used_on")
    return Decimal(usages.values("school_id").distinct().count())


@indicator("schools_lesson_kits_year1", "Scholen die leskisten gebruiken in leerjaar 1", "scholen")
def schools_lesson_kits_year1(programme: Programme, cuts: Cuts) -> Decimal:
    return _lesson_kit_schools(programme, cuts, 1)


@indicator("schools_lesson_kits_year2", "Scholen die leskisten gebruiken in leerjaar 2", "scholen")
def schools_lesson_kits_year2(programme: Programme, cuts: Cuts) -> Decimal:
    return _lesson_kit_schools(programme, cuts, 2)


@indicator("schools_parents_evening", "Scholen met een ouderavond over techniek", "scholen")
def schools_parents_evening(programme: Programme, cuts: Cuts) -> Decimal:
    reports = SchoolReport.objects.filter(programme=programme, parents_evening_held=True)
    if cuts.school_year:
        reports = reports.filter(school_year__name=cuts.school_year)
    reports = cut_schools(reports, cuts, "school")
    return Decimal(reports.values("school_id").distinct().count())


def _placements(programme: Programme, cuts: Cuts, statuses: tuple[str, ...]) -> QuerySet:  # type: ignore[type-arg]
    from maakstad.internships.models import Application

    placements = Application.objects.filter(
        pupil__school__region_id=programme.region_id, status__in=statuses
    )
    placements = cut_schools(placements, cuts, "pupil__school")
    bounds = school_year_bounds(cuts.school_year)
    if bounds:
        placements = placements.filter(days__date__range=bounds)
    return placements


@indicator(
    "companies_completed_internships",
    "Bedrijven die een verdiepende stage hebben afgerond",
    "bedrijven",
)
def companies_completed_internships(programme: Programme, cuts: Cuts) -> Decimal:
    from maakstad.internships.models import Status

    placements = _placements(programme, cuts, (Status.COMPLETED,))
    return Decimal(placements.values("ad__offer__provider_id").distinct().count())


@indicator(
    "pro_vso_pupils_internship_technical",
    "Pro/vso-leerlingen met een stage bij een technisch bedrijf",
    "leerlingen",
)
def pro_vso_pupils_internship_technical(programme: Programme, cuts: Cuts) -> Decimal:
    """Confirmed or completed placements of pro/vso pupils; every company that offers deepening
    internships in Maakstad is a technical company (that is what the menukaart is for)."""
    from maakstad.internships.models import Status

    placements = _placements(programme, cuts, (Status.CONFIRMED, Status.COMPLETED)).filter(
        pupil__school__kind__in=("pro", "vso"), ad__offer__provider__kind="company"
    )
    return Decimal(placements.values("pupil_id").distinct().count())


def _average_rating(model: Any, programme: Programme, cuts: Cuts) -> Decimal:
    from django.db.models import Avg

    from maakstad.internships.models import Status

    placements = _placements(programme, cuts, (Status.COMPLETED,))
    average = model.objects.filter(application__in=placements.values("pk")).aggregate(
        v=Avg("rating")
    )["v"]
    return Decimal(str(round(average, 1))) if average is not None else Decimal(0)


@indicator(
    "internship_reflection_rating",
    "Verdiepende stages: waardering door leerlingen (reflectie, 1-5)",
    "gemiddeld",
)
def internship_reflection_rating(programme: Programme, cuts: Cuts) -> Decimal:
    """The pupils' own rating in their reflection after a completed placement (0: none yet)."""
    from maakstad.internships.models import Reflection

    return _average_rating(Reflection, programme, cuts)


@indicator(
    "internship_assessment_rating",
    "Verdiepende stages: beoordeling door bedrijven (1-5)",
    "gemiddeld",
)
def internship_assessment_rating(programme: Programme, cuts: Cuts) -> Decimal:
    """The companies' assessment after a completed placement (0: none yet)."""
    from maakstad.internships.models import Assessment

    return _average_rating(Assessment, programme, cuts)


@indicator("cofinancing_hours", "Cofinanciering: uren van bedrijven", "uur")
def cofinancing_hours(programme: Programme, cuts: Cuts) -> Decimal:
    """The co-financing ledger's hours (check-ins at companies and school-reported internship
    hours), cut by the pupils' / reporting schools. Rounded per company and category exactly as
    `attendance.ledger` does, so the uncut total is the ledger's total."""
    from django.db.models import OuterRef, Subquery, Sum

    from maakstad.attendance.models import Attendance, AttendanceStatus, ReportedHours, Session
    from maakstad.attendance.models import SessionStatus as AttendanceSessionStatus

    # Minutes are summed per session first (a correlated subquery on the partial index
    # `attendance_present_session_min`), then per company and category: far cheaper than
    # joining a million attendance rows to their sessions.
    bounds = school_year_bounds(cuts.school_year)
    per_company: Any
    if cuts.subregion or cuts.school_kind or cuts.school_id:
        # With a school cut, one join of the present rows to sessions and pupils' schools: a
        # per-session subquery would look up a pupil for every attendance row.
        attendances = Attendance.objects.filter(
            session__region_id=programme.region_id,
            session__status=AttendanceSessionStatus.SCHEDULED,
            session__provider__kind="company",
            status=AttendanceStatus.PRESENT,
            minutes__isnull=False,
        )
        attendances = cut_schools(attendances, cuts, "pupil__school")
        if bounds:
            attendances = attendances.filter(session__starts_at__date__range=bounds)
        per_company = attendances.values("session__provider_id", "session__category").annotate(
            minutes=Sum("minutes")
        )
    else:
        present = Attendance.objects.filter(
            session_id=OuterRef("pk"), status=AttendanceStatus.PRESENT, minutes__isnull=False
        )
        minutes = present.values("session_id").annotate(total=Sum("minutes")).values("total")
        sessions = Session.objects.filter(
            region_id=programme.region_id,
            status=AttendanceSessionStatus.SCHEDULED,
            provider__kind="company",
        )
        if bounds:
            sessions = sessions.filter(starts_at__date__range=bounds)
        per_company = (
            sessions.annotate(session_minutes=Subquery(minutes))
            .order_by()
            .values("provider_id", "category")
            .annotate(minutes=Sum("session_minutes"))
        )
    reported = cut_schools(
        ReportedHours.objects.filter(region_id=programme.region_id), cuts, "school"
    )
    if cuts.school_year:
        reported = reported.filter(school_year=cuts.school_year)
    total = Decimal(0)
    for row in per_company:  # one row per company and category
        if row["minutes"]:
            total += (Decimal(row["minutes"]) / 60).quantize(Decimal("0.01"))
    total += reported.aggregate(hours=Sum("hours"))["hours"] or Decimal(0)
    return total


@indicator("pupils_reached", "Leerlingen bereikt (aanwezig bij een activiteit)", "leerlingen")
def pupils_reached(programme: Programme, cuts: Cuts) -> Decimal:
    """Distinct pupils of the region's schools present at least once at a session (check-in or
    marked present): bookings, deepening internships, electives and LOB activities alike."""
    from django.db.models import OuterRef, Subquery

    from maakstad.attendance.models import Attendance, AttendanceStatus
    from maakstad.organisations.models import Pupil

    # A correlated `(SELECT pupil_id ... LIMIT 1) IS NOT NULL` per pupil probes the partial
    # index `attendance_present_pupil` once per pupil; PostgreSQL would plan EXISTS as a hash
    # semi-join over every present row (3x slower at a million rows).
    present = Attendance.objects.filter(pupil_id=OuterRef("pk"), status=AttendanceStatus.PRESENT)
    bounds = school_year_bounds(cuts.school_year)
    if bounds:
        present = present.filter(session__starts_at__date__range=bounds)
    pupils = cut_schools(
        Pupil.objects.filter(school__region_id=programme.region_id), cuts, "school"
    )
    reached = pupils.annotate(present=Subquery(present.values("pupil_id")[:1])).filter(
        present__isnull=False
    )
    return Decimal(reached.count())


@indicator("elective_periods_running", "Periodes waarin externe keuzevakken draaien", "periodes")
def elective_periods_running(programme: Programme, cuts: Cuts) -> Decimal:
    """Periods of the region that have started and have at least one section that ran: not closed
    for lack of sign-ups, with pupils placed from a published round. The school cuts apply to the
    placed pupils' schools; the school year is the period's own."""
    from django.utils import timezone

    from maakstad.electives.models import ElectivePeriod, Placement, RoundState

    placements = Placement.objects.filter(
        round__state=RoundState.PUBLISHED,
        section__is_closed=False,
        period__region_id=programme.region_id,
        period__starts_on__lte=timezone.localdate(),
    )
    placements = cut_schools(placements, cuts, "pupil__school")
    periods = ElectivePeriod.objects.filter(pk__in=placements.values("period_id"))
    if cuts.school_year:
        periods = periods.filter(school_year__name=cuts.school_year)
    return Decimal(periods.count())


def _completed_bookings(programme: Programme, cuts: Cuts) -> QuerySet:  # type: ignore[type-arg]
    from maakstad.bookings.models import Booking, Status

    bookings = Booking.objects.filter(region_id=programme.region_id, status=Status.COMPLETED)
    return cut_dates(cut_schools(bookings, cuts, "school"), cuts, "ask_date")


# The plan names the two workshop providers; the programme's quotas are with them.
SPACEBUZZ = "Spacebuzz"
TECHMISSION = "TechMission010"


@indicator("spacebuzz_classes", "Klassen die het Spacebuzz-programma volgden", "klassen")
def spacebuzz_classes(programme: Programme, cuts: Cuts) -> Decimal:
    return Decimal(
        _completed_bookings(programme, cuts).filter(provider__name__iexact=SPACEBUZZ).count()
    )


@indicator("techmission_classes", "Klassen die een workshop bij TechMission010 volgden", "klassen")
def techmission_classes(programme: Programme, cuts: Cuts) -> Decimal:
    return Decimal(
        _completed_bookings(programme, cuts).filter(provider__name__iexact=TECHMISSION).count()
    )


@indicator(
    "po_pupils_technology_lessons",
    "Leerlingen groep 5-8 in afgeronde technieklessen",
    "leerlingen",
)
def po_pupils_technology_lessons(programme: Programme, cuts: Cuts) -> Decimal:
    from django.db.models import Sum

    from maakstad.catalogue.activity_types import TECHNIEKLES_PO

    lessons = _completed_bookings(programme, cuts).filter(
        activity_type__code=TECHNIEKLES_PO, school__kind="po", groep__range=(5, 8)
    )
    return Decimal(lessons.aggregate(n=Sum("pupils_count", default=0))["n"])
