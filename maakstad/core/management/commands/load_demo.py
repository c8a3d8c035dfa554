"""Build the TechTown demo region: `python manage.py load_demo [--seed N]`.

Idempotent: a second run changes nothing. Each app contributes a step in `maakstad/<app>/demo.py`
with a `load(ctx: DemoContext) -> None` function; steps run in the order data flows.
"""

from __future__ import annotations

import importlib
import importlib.util
import random
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from maakstad.core.demo import DEMO_LOGINS, DemoContext

STEPS = (
    "organisations",
    "catalogue",
    "bookings",
    "internships",
    "electives",
    "attendance",
    "knowledge",
    "monitoring",
)


class Command(BaseCommand):
    help = "Laad de demoregio TechTown (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument(
            "--pupils", type=int, default=3000, help="Aantal leerlingen (vo en po) in de demo."
        )
        parser.add_argument("--quiet-logins", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        ctx = DemoContext(
            rng=random.Random(options["seed"]),
            seed=options["seed"],
            pupil_count=options["pupils"],
            stdout=self.stdout,
        )
        for step in STEPS:
            module_name = f"maakstad.{step}.demo"
            if importlib.util.find_spec(module_name) is None:
                continue
            started = time.monotonic()
            module = importlib.import_module(module_name)
            with transaction.atomic():
                module.load(ctx)
            self.stdout.write(f"  {step}: {time.monotonic() - started:.1f} s")
        if not options["quiet_logins"]:
            self.stdout.write(self.style.SUCCESS("\nDemo-log-ins (wachtwoord: maakstad-demo):"))
            for email, description in DEMO_LOGINS:
                self.stdout.write(f"  {email:28} {description}")
