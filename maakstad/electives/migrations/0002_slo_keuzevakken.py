"""Load the official SLO keuzevakken shipped in `electives/data/keuzevakken.csv`."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "keuzevakken.csv"


def load(apps: Any, schema_editor: Any) -> None:
    keuzevak_model = apps.get_model("electives", "Keuzevak")
    term_model = apps.get_model("organisations", "Term")
    profiles = {t.code: t for t in term_model.objects.filter(taxonomy="profile")}
    with CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            keuzevak_model.objects.update_or_create(
                region=None,
                name=row["name_nl"].strip(),
                defaults={
                    "code": row["slo_code"].strip(),
                    "profile": profiles.get(row["profile"].strip()),
                    "is_official": True,
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("electives", "0001_initial"),
        ("organisations", "0002_reference_terms"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
