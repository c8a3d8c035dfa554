"""Demo step: school year 2025-2026 as it happened, so that the co-financing ledger reproduces the
plan's table exactly (activity plan §6, shared/domain/cofinancing.csv): for each of the 12 named
companies their hours of deepening internships and external electives from real sessions with
check-ins, plus 13,500 hours of regular internships reported by schools — 18,560 h × €60 =
€1,113,600.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from maakstad.attendance.models import Attendance, AttendanceStatus, ReportedHours
from maakstad.attendance.services import session_schedule
from maakstad.core.demo import DemoContext
from maakstad.organisations.models import Organisation, Pupil, Region

PLAN = Path(__file__).resolve().parent / "cofinancing_plan.csv"
SCHOOL_YEAR = "2025-2026"
INTERNSHIP_DAY = (dt.time(8, 30), 480)  # start, minutes
ELECTIVE_MEETING = (dt.time(13, 0), 180)
REGULAR_HOURS = 13_500


def _sessions(
    ctx: DemoContext,
    company: Organisation,
    pupils: list[Pupil],
    *,
    category: str,
    hours: int,
    first_day: dt.date,
    slot: tuple[dt.time, int],
    per_session: int,
) -> None:
    """Sessions whose present pupils' minutes add up to exactly `hours`."""
    remaining = hours * 60
    start_time, minutes = slot
    day = first_day
    index = 0
    title = "Verdiepende stage" if category == "internship" else "Extern keuzevak"
    while remaining > 0:
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        starts = timezone.make_aware(dt.datetime.combine(day, start_time))
        group = [pupils[(index + k) % len(pupils)] for k in range(per_session)]
        session = session_schedule(
            source=company,
            category=category,
            provider=company,
            location=company.locations.first(),
            title=f"{title} bij {company.label}",
            starts_at=starts,
            ends_at=starts + dt.timedelta(minutes=minutes),
            pupils=group,
            actor=None,
        )
        for attendance in Attendance.objects.filter(session=session).order_by("pupil_id"):
            take = min(minutes, remaining)
            attendance.status = AttendanceStatus.PRESENT if take else AttendanceStatus.EXCUSED
            attendance.minutes = take or None
            attendance.checked_in_at = starts if take else None
            attendance.checked_out_at = starts + dt.timedelta(minutes=take) if take else None
            # About half the pupils answer "Hoe was het?" at check-out (deterministic).
            answered = take and (attendance.pupil_id + index) % 2 == 0
            attendance.rating = 3 + (attendance.pupil_id + index) % 3 if answered else None
            attendance.save()
            remaining -= take
        session.supervisor_rating = 3 + (index // per_session + company.pk) % 3
        session.save(update_fields=["supervisor_rating"])
        index += per_session
        day += dt.timedelta(days=7 if category == "elective" else 1)


def load(ctx: DemoContext) -> None:
    region = Region.objects.filter(slug="techtown").first()
    if region is None:
        ctx.log("aanwezigheid: geen regio TechTown, overgeslagen")
        return
    pupils = list(
        Pupil.objects.filter(
            school__region=region, school__kind__in=("vmbo", "pro", "vso"), leerjaar__gte=3
        ).order_by("school__name", "external_id")[:60]
    )
    if not pupils:
        ctx.log("aanwezigheid: geen leerlingen, overgeslagen")
        return
    with PLAN.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if not row["company"].startswith("(")]
    for number, row in enumerate(rows):
        company = Organisation.objects.filter(region=region, name=row["company"]).first()
        if company is None:
            ctx.log(f"aanwezigheid: bedrijf {row['company']} ontbreekt, overgeslagen")
            continue
        if int(row["hours_verdiepende_stages"]):
            _sessions(
                ctx,
                company,
                pupils[number:] + pupils[:number],
                category="internship",
                hours=int(row["hours_verdiepende_stages"]),
                first_day=dt.date(2026, 2, 2) + dt.timedelta(days=number),
                slot=INTERNSHIP_DAY,
                per_session=5,
            )
        if int(row["hours_extern_leren"]):
            _sessions(
                ctx,
                company,
                pupils[-number:] + pupils[:-number] if number else pupils,
                category="elective",
                hours=int(row["hours_extern_leren"]),
                first_day=dt.date(2025, 9, 1) + dt.timedelta(days=number % 5),
                slot=ELECTIVE_MEETING,
                per_session=12,
            )
    _regular(region)
    ctx.log("aanwezigheid: cofinanciering 2025-2026 volgens het plan")


def _regular(region: Region) -> None:
    """13,500 h of regular internships, reported by the technical vmbo schools per half year."""
    if ReportedHours.objects.filter(region=region, school_year=SCHOOL_YEAR).exists():
        return
    schools = [
        school
        for school in Organisation.objects.filter(region=region, kind="vmbo")
        .prefetch_related("offerings__profile")
        .order_by("name")
        if school.has_technical_profile
    ]
    companies = list(
        Organisation.objects.filter(
            region=region, kind="company", name__endswith="(demo)"
        ).order_by("name")
    )
    if not schools or not companies:
        return
    slots = [(school, half) for school in schools for half in (1, 2)]
    share, rest = divmod(REGULAR_HOURS, len(slots))
    for index, (school, half) in enumerate(slots):
        ReportedHours.objects.create(
            region=region,
            school=school,
            company=companies[index % len(companies)],
            school_year=SCHOOL_YEAR,
            half=half,
            hours=Decimal(share + (rest if index == 0 else 0)),
        )
