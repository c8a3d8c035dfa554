"""`python manage.py export <report> --format json|csv|xlsx|pdf [--region techtown] [--output F]`."""

from __future__ import annotations

import csv
import io
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from maakstad.core.exports import REGISTRY, table_pdf
from maakstad.organisations.models import Region


def to_xlsx(header: list[str], rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.create_sheet("Rapport", 0)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    del book["Sheet"]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class Command(BaseCommand):
    help = "Exporteer een rapport als JSON, CSV, XLSX of PDF."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("report", help="Naam van het rapport, bijvoorbeeld cofinancing.")
        parser.add_argument("--format", default="json", choices=["json", "csv", "xlsx", "pdf"])
        parser.add_argument("--region", default="techtown")
        parser.add_argument(
            "--school-year", default="", help="Bijvoorbeeld 2025-2026; standaard alles."
        )
        parser.add_argument(
            "--output", "-o", help="Bestand; standaard de uitvoer van het commando."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = REGISTRY.get(options["report"])
        if report is None:
            raise CommandError(
                f"Onbekend rapport '{options['report']}'. Kies uit: {', '.join(sorted(REGISTRY))}."
            )
        region = Region.objects.filter(slug=options["region"]).first()
        if region is None:
            raise CommandError(f"Regio '{options['region']}' bestaat niet.")
        fmt = options["format"]
        scope = {"school_year": options["school_year"]}
        if fmt == "json":
            content: bytes = json.dumps(
                report.data(region, **scope), indent=2, ensure_ascii=False
            ).encode()
        elif fmt == "csv":
            header, rows = report.table(region, **scope)
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow(header)
            writer.writerows(rows)
            content = text.getvalue().encode()
        elif fmt == "xlsx":
            content = to_xlsx(*report.table(region, **scope))
        else:
            if report.pdf is not None:
                content = report.pdf(region, **scope)
            else:  # a report without its own layout: its table on A4
                header, rows = report.table(region, **scope)
                subtitle = f"{region.name} · schooljaar {scope['school_year'] or 'alle'}"
                content = table_pdf(report.description, header, rows, subtitle=subtitle)
        if options["output"]:
            with open(options["output"], "wb") as handle:
                handle.write(content)
        elif fmt in ("json", "csv"):
            self.stdout.write(content.decode())
        else:
            sys.stdout.buffer.write(content)
