"""Read uploaded CSV or XLSX files as rows of text with their line numbers (for imports)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _


class TableError(ValueError):
    """The file cannot be read as a table at all."""


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number as a spreadsheet shows it, row)


def _normalise(name: object) -> str:
    return " ".join(str(name or "").strip().lower().split())


def read_table(file: IO[bytes], filename: str) -> Table:
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(file)
    if name.endswith((".csv", ".txt")):
        return _read_csv(file.read())
    raise TableError(_("Alleen .csv- en .xlsx-bestanden kunnen worden ingelezen."))


def _read_csv(raw: bytes) -> Table:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything
        raise TableError(_("Het bestand is geen leesbare tekst (gebruik UTF-8)."))
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    lines = list(reader)
    if not lines:
        raise TableError(_("Het bestand is leeg."))
    header = [_normalise(h) for h in lines[0]]
    rows = [
        (number, {header[i]: cell.strip() for i, cell in enumerate(line) if i < len(header)})
        for number, line in enumerate(lines[1:], start=2)
        if any(cell.strip() for cell in line)
    ]
    return Table(header=header, rows=rows)


def _read_xlsx(file: IO[bytes]) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise TableError(_("Het Excel-bestand kan niet worden gelezen.")) from error
    sheet = workbook.worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    if not values:
        raise TableError(_("Het bestand is leeg."))
    header = [_normalise(h) for h in values[0]]

    def text(cell: object) -> str:
        if cell is None:
            return ""
        if isinstance(cell, float) and cell.is_integer():
            return str(int(cell))
        return str(cell).strip()

    rows = [
        (number, {header[i]: text(cell) for i, cell in enumerate(line) if i < len(header)})
        for number, line in enumerate(values[1:], start=2)
        if any(text(cell) for cell in line)
    ]
    return Table(header=header, rows=rows)
