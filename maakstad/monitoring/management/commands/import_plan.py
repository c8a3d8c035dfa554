"""`python manage.py import_plan [--region techtown] [--milestones F] [--budget F] [--check]`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from maakstad.monitoring import services
from maakstad.monitoring.plan_io import cofinancing_plan_hours, read_plan
from maakstad.organisations.models import Region

SHIPPED = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = "Importeer mijlpalen en begroting van een regio uit CSV, met een validatierapport."

    def add_arguments(self, parser: Any) -> None:
        domain = settings.SHARED_DIR / "domain"
        parser.add_argument("--region", default="techtown")
        parser.add_argument(
            "--milestones",
            type=Path,
            default=domain / "milestones.csv" if domain.exists() else SHIPPED / "milestones.csv",
        )
        parser.add_argument(
            "--budget",
            type=Path,
            default=domain / "budget.csv" if domain.exists() else SHIPPED / "budget.csv",
        )
        parser.add_argument(
            "--cofinancing",
            type=Path,
            default=domain / "cofinancing.csv" if domain.exists() else None,
            help="De cofinancieringstabel van het plan (uren per bedrijf): de vereiste uren.",
        )
        parser.add_argument("--subsidy-number", default="", help="Bijvoorbeeld STO 24056.")
        parser.add_argument("--check", action="store_true", help="Alleen controleren.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            region = Region.objects.get(slug=options["region"])
        except Region.DoesNotExist as error:
            raise CommandError(f"Regio '{options['region']}' bestaat niet.") from error
        report = read_plan(
            options["milestones"].read_text(encoding="utf-8"),
            options["budget"].read_text(encoding="utf-8"),
        )
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError("Het plan bevat fouten; er is niets geïmporteerd.")
        if options["check"]:
            return
        programme = services.programme_ensure(
            region=region,
            name=region.programme_name or f"Sterk Techniekonderwijs {region.name}",
            subsidy_number=options["subsidy_number"],
            starts_on=dt.date(2025, 1, 1),
            ends_on=dt.date(2028, 12, 31),
            actor=None,
        )
        counts = services.plan_import(programme=programme, report=report, actor=None)
        if options["cofinancing"] is not None and options["cofinancing"].exists():
            required = cofinancing_plan_hours(options["cofinancing"].read_text(encoding="utf-8"))
            services.programme_set_cofinancing_requirement(
                programme=programme, required_hours=required, actor=None
            )
            self.stdout.write(f"Vereiste cofinanciering: {required} uur.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Geïmporteerd: {counts['milestones_created']} nieuwe en "
                f"{counts['milestones_updated']} bijgewerkte mijlpalen, "
                f"{counts['budget_lines']} begrotingsregels."
            )
        )
