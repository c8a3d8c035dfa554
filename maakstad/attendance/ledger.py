"""Hours and the co-financing ledger (activity plan §6: company hours × rate).

Hours come from two sources: attendance in Maakstad (minutes of pupils present at a company's
sessions: check-in/out or the planned duration the supervisor confirmed) and the contract hours of
regular technical internships that schools report per company per half year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from maakstad.attendance.models import (
    Attendance,
    AttendanceStatus,
    ReportedHours,
    SessionCategory,
    SessionStatus,
)
from maakstad.organisations.models import Region, SchoolYear

REGULAR = "regular"
CATEGORY_LABELS = {
    SessionCategory.INTERNSHIP: "Verdiepende stages",
    SessionCategory.ELECTIVE: "Extern leren",
    SessionCategory.LOB: "LOB-activiteiten",
    REGULAR: "Reguliere technische stages",
}
CATEGORIES = tuple(CATEGORY_LABELS)


@dataclass
class CompanyLine:
    company: str
    hours: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, Decimal(0)))
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def total_hours(self) -> Decimal:
        return sum(self.hours.values(), Decimal(0))


@dataclass
class Ledger:
    region: str
    school_year: str  # "" for the whole programme
    rate: Decimal
    lines: list[CompanyLine]

    def total_hours(self, category: str | None = None) -> Decimal:
        if category:
            return sum((line.hours[category] for line in self.lines), Decimal(0))
        return sum((line.total_hours for line in self.lines), Decimal(0))

    def total_euros(self) -> Decimal:
        return self.total_hours() * self.rate

    def as_dict(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "school_year": self.school_year,
            "rate_eur_per_hour": float(self.rate),
            "companies": [
                {
                    "company": line.company,
                    "hours": {c: float(h) for c, h in line.hours.items()},
                    "euros": {c: float(h * self.rate) for c, h in line.hours.items()},
                    "total_hours": float(line.total_hours),
                    "total_euros": float(line.total_hours * self.rate),
                    "sources": line.sources,
                }
                for line in self.lines
            ],
            "totals": {
                "hours": {c: float(self.total_hours(c)) for c in CATEGORIES},
                "euros": {c: float(self.total_hours(c) * self.rate) for c in CATEGORIES},
                "total_hours": float(self.total_hours()),
                "total_euros": float(self.total_euros()),
            },
        }

    def rows(self) -> tuple[list[str], list[list[Any]]]:
        header = [
            "Bedrijf",
            *[f"Uren {CATEGORY_LABELS[c]}" for c in CATEGORIES],
            "Uren totaal",
            "Euro totaal",
            "Bron",
        ]
        rows = [
            [
                line.company,
                *[float(line.hours[c]) for c in CATEGORIES],
                float(line.total_hours),
                float(line.total_hours * self.rate),
                "; ".join(f"{CATEGORY_LABELS[k]}: {v}" for k, v in line.sources.items()),
            ]
            for line in self.lines
        ]
        rows.append(
            [
                "Totaal",
                *[float(self.total_hours(c)) for c in CATEGORIES],
                float(self.total_hours()),
                float(self.total_euros()),
                "",
            ]
        )
        return header, rows


def ledger(region: Region, school_year: str | None = None) -> Ledger:
    """Hours × rate per company and category, for one school year or (None) the whole programme."""
    lines: dict[str, CompanyLine] = {}
    attendances = Attendance.objects.filter(
        session__region=region,
        session__status=SessionStatus.SCHEDULED,
        session__provider__kind="company",
        status=AttendanceStatus.PRESENT,
        minutes__isnull=False,
    )
    reports = ReportedHours.objects.filter(region=region)
    if school_year:
        _name, starts_on, ends_on = SchoolYear.bounds(int(school_year[:4]))
        attendances = attendances.filter(session__starts_at__date__range=(starts_on, ends_on))
        reports = reports.filter(school_year=school_year)
    attended = attendances.values("session__provider__name", "session__category").annotate(
        minutes=Sum("minutes")
    )
    for row in attended:
        line = lines.setdefault(
            row["session__provider__name"], CompanyLine(row["session__provider__name"])
        )
        category = row["session__category"]
        line.hours[category] += (Decimal(row["minutes"]) / 60).quantize(Decimal("0.01"))
        line.sources[category] = "check-ins"
    reported = reports.values("company__name").annotate(hours=Sum("hours"))
    for report in reported:
        line = lines.setdefault(report["company__name"], CompanyLine(report["company__name"]))
        line.hours[REGULAR] += report["hours"]
        line.sources[REGULAR] = "schoolmelding"
    return Ledger(
        region=region.name,
        school_year=school_year or "",
        rate=region.cofinancing_rate,
        lines=sorted(lines.values(), key=lambda line: line.company.lower()),
    )
