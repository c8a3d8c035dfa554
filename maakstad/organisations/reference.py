"""The reference lists (7 werelden, themes, Bèta & Tech types, profielen, leerwegen).

Loaded by the data migration, and again by tests after a transactional test flushed the tables.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

TAXONOMIES = {"world", "theme", "mentality", "profile", "leerweg"}
CSV_PATH = Path(__file__).resolve().parent / "data" / "taxonomies.csv"


def load_reference_terms(term_model: Any) -> None:
    """Create or update every term; `term_model` may be a migration's historical model."""
    with CSV_PATH.open(encoding="utf-8") as handle:
        for position, row in enumerate(csv.DictReader(handle)):
            if row["taxonomy"] not in TAXONOMIES:
                continue
            term_model.objects.update_or_create(
                taxonomy=row["taxonomy"],
                code=row["code"],
                defaults={
                    "name": row["name_nl"],
                    "is_technical": row["taxonomy"] == "profile"
                    and row["notes"].strip() == "technical",
                    "position": position,
                },
            )
