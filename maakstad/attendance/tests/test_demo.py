import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from maakstad.attendance.models import Session

PLAN = Path(__file__).resolve().parent.parent / "cofinancing_plan.csv"


@pytest.mark.django_db
def test_the_demo_reproduces_the_plans_cofinancing_table_exactly() -> None:
    call_command("load_demo", "--pupils", "300", "--quiet-logins", stdout=io.StringIO())
    sessions = Session.objects.count()
    call_command("load_demo", "--pupils", "300", "--quiet-logins", stdout=io.StringIO())
    assert Session.objects.count() == sessions  # idempotent
    # The check-out survey has answers, so the quality overview has something to show.
    from maakstad.attendance.models import Attendance

    assert Attendance.objects.filter(rating__isnull=False).exists()
    assert Session.objects.filter(supervisor_rating__isnull=False).exists()
    out = io.StringIO()
    call_command("export", "cofinancing", "--school-year", "2025-2026", stdout=out)
    report = json.loads(out.getvalue())
    by_company = {line["company"]: line["hours"] for line in report["companies"]}
    with PLAN.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["company"].startswith("("):
                continue
            assert by_company[row["company"]]["internship"] == float(
                row["hours_verdiepende_stages"]
            ), row
            assert by_company[row["company"]]["elective"] == float(row["hours_extern_leren"]), row
    totals = report["totals"]
    assert totals["hours"] == {
        "internship": 1060.0,
        "elective": 4000.0,
        "lob": 0.0,
        "regular": 13500.0,
    }
    assert totals["total_hours"] == 18560.0
    assert totals["total_euros"] == 1113600.0
    assert report["rate_eur_per_hour"] == 60.0
