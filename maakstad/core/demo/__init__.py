"""Shared pieces of the demo loader (see `manage.py load_demo`)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "maakstad-demo"

DEMO_LOGINS: tuple[tuple[str, str], ...] = (
    ("programma@techtown.demo", "programmamanager TechTown"),
    ("docent@dehef.demo", "docent, RVC de Hef"),
    ("mentor@dehef.demo", "mentor, RVC de Hef"),
    ("leerling@dehef.demo", "leerling, RVC de Hef"),
    ("contact@lomans.demo", "contactpersoon bedrijf, Lomans"),
    ("mbo@tcr.demo", "medewerker mbo, Techniek College Rotterdam"),
    ("leerkracht@po.demo", "leerkracht basisschool"),
)


@dataclass
class DemoContext:
    """What every demo step gets: a seeded random generator and room to share lookups."""

    rng: random.Random
    seed: int
    pupil_count: int
    stdout: Any
    cache: dict[str, Any] = field(default_factory=dict)

    def log(self, message: str) -> None:
        self.stdout.write(f"    {message}")
