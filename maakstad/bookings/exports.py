from typing import Any

from django.utils import timezone

from maakstad.bookings import selectors
from maakstad.core.exports import Report, register
from maakstad.organisations.models import SchoolYear


def _year(school_year: str) -> str:
    return school_year or SchoolYear.for_date(timezone.localdate()).name


def _owed_table(region: Any, school_year: str = "") -> tuple[list[str], list[list[Any]]]:
    return selectors.owed_by_school(region, _year(school_year))


def _owed_data(region: Any, school_year: str = "") -> dict[str, Any]:
    header, rows = _owed_table(region, school_year)
    return {
        "school_year": _year(school_year),
        "schools": [dict(zip(header, map(str, row), strict=True)) for row in rows],
    }


def _load_table(region: Any, school_year: str = "") -> tuple[list[str], list[list[Any]]]:
    year = (
        SchoolYear.objects.get(name=_year(school_year))
        if school_year
        else SchoolYear.for_date(timezone.localdate())
    )
    return selectors.load_report(region, year.starts_on, year.ends_on).table()


def _load_data(region: Any, school_year: str = "") -> dict[str, Any]:
    header, rows = _load_table(region, school_year)
    return {
        "school_year": _year(school_year),
        "providers": [dict(zip(header, row, strict=True)) for row in rows],
    }


register(Report("owed", "Eigen bijdragen per school per schooljaar", _owed_data, _owed_table))
register(Report("load", "Belasting per aanbieder en soort activiteit", _load_data, _load_table))
