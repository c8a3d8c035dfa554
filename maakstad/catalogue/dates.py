"""Specific dates of an offer as text: '14-01-2027 open dag, 11-03-2027'.

Entries are separated by commas, semicolons or new lines. Each entry is a date, Dutch
(dd-mm-jjjj, also with / or .) or ISO (jjjj-mm-dd), optionally followed by a short note. Whether
a date may be saved (not in the past, not too many) is the service's job
(`services._clean_dates`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SEPARATORS = re.compile(r"[,;\n]")
DUTCH = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(text: str) -> dt.date | None:
    """One date, dd-mm-jjjj or jjjj-mm-dd; None when it is not a (valid) date."""
    text = text.strip()
    if match := DUTCH.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := ISO.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_dates(text: str) -> list[tuple[dt.date, str]]:
    """(date, note) per entry, in the order given. Every wrong entry is named in the error."""
    items: list[tuple[dt.date, str]] = []
    errors: list[ValidationError] = []
    for entry in SEPARATORS.split(text or ""):
        entry = " ".join(entry.split())
        if not entry:
            continue
        first, _sep, note = entry.partition(" ")
        day = parse_date(first)
        if day is None:
            errors.append(
                ValidationError(
                    _(
                        "‘%(entry)s’ is geen geldige datum. Schrijf dd-mm-jjjj, "
                        "bijvoorbeeld 14-01-2027."
                    ),
                    code="invalid_date",
                    params={"entry": entry if len(entry) <= 40 else entry[:39] + "…"},
                )
            )
            continue
        items.append((day, note.strip()))
    if errors:
        raise ValidationError(errors)
    return items


def format_dates(items: Iterable[tuple[dt.date, str]]) -> str:
    """The text form of (date, note) pairs, one per line (what the offer form shows)."""
    return "\n".join(f"{day:%d-%m-%Y} {note}".strip() for day, note in items)
