from typing import Any

from maakstad.attendance.ledger import ledger
from maakstad.core.exports import Report, register


def _data(region: Any, school_year: str = "") -> dict[str, Any]:
    return ledger(region, school_year or None).as_dict()


def _table(region: Any, school_year: str = "") -> tuple[list[str], list[list[Any]]]:
    return ledger(region, school_year or None).rows()


register(
    Report("cofinancing", "Cofinanciering: uren × tarief per bedrijf en categorie", _data, _table)
)
