import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from maakstad.monitoring import reports, services
from maakstad.monitoring.plan_io import read_plan
from maakstad.monitoring.testing import programme_for

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def programme(world):
    programme = programme_for(world)
    report = read_plan(
        (DATA / "milestones.csv").read_text(encoding="utf-8"),
        (DATA / "budget.csv").read_text(encoding="utf-8"),
    )
    services.plan_import(programme=programme, report=report, actor=None)
    return programme


@pytest.mark.django_db
def test_quarterly_pdf_has_the_milestones_and_the_flagged_budget_line(programme, tmp_path) -> None:
    pdf = reports.quarterly_pdf(programme, today=dt.date(2026, 1, 15))
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Voortgangsrapportage 2026-Q1" in text
    assert "STO 24056" in text
    assert "Spacebuzz" in text
    assert "Slagplug" in text


@pytest.mark.django_db
def test_workbook_has_every_table(programme) -> None:
    data = reports.workbook_xlsx(programme, today=dt.date(2026, 1, 15))
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == [
        "Mijlpalen",
        "Indicatoren",
        "Begroting",
        "Besteding per kwartaal",
        "Cofinanciering",
        "Cofinanciering per bedrijf",
        "Schoolrapportages",
        "Impact",
        "Impact cohorten",
    ]
    milestones = workbook["Mijlpalen"]
    assert milestones.max_row == 48  # header + 47 milestones
    budget = workbook["Begroting"]
    flagged = [row for row in budget.iter_rows(min_row=2, values_only=True) if row[9]]
    assert len(flagged) == 1 and "Slagplug" in str(flagged[0][3])


@pytest.mark.django_db
def test_workbook_holds_cofinancing_school_reports_and_impact(programme, world) -> None:
    from decimal import Decimal

    from maakstad.attendance.models import ReportedHours
    from maakstad.monitoring.models import SchoolReport, SchoolReportStatus
    from maakstad.organisations.models import SchoolYear

    services.programme_set_cofinancing_requirement(
        programme=programme, required_hours=Decimal(18560), actor=None
    )
    ReportedHours.objects.create(
        region=world.region,
        school=world.school_a,
        company=world.company,
        school_year="2025-2026",
        half=1,
        hours=856,
    )
    year = SchoolYear.for_date(dt.date(2025, 9, 1))
    SchoolReport.objects.create(
        programme=programme,
        school=world.school_a,
        school_year=year,
        status=SchoolReportStatus.ACCEPTED,
        lob_plan_submitted=True,
        technology_hours_per_onderbouw_pupil=Decimal("82.5"),
        parents_evening_held=True,
        outflow_total=40,
        outflow_technical=12,
        outflow_technical_girls=3,  # under 5: left out
    )
    data = reports.workbook_xlsx(programme, today=dt.date(2026, 1, 15))
    workbook = load_workbook(io.BytesIO(data))

    cofinancing = list(workbook["Cofinanciering"].iter_rows(min_row=2, values_only=True))
    assert cofinancing[0] == ("2024-2025", 0, 0, 0, 0)
    assert cofinancing[1] == ("2025-2026", 856, 51360, 51360, 4)
    assert cofinancing[-2] == ("Totaal", 856, 51360, 51360, 4)
    assert cofinancing[-1] == ("Vereist", 18560, 1113600, None, 100)
    companies = list(workbook["Cofinanciering per bedrijf"].iter_rows(min_row=2, values_only=True))
    assert companies[0][0] == world.company.name and companies[-1][0] == "Totaal"
    assert companies[-1][-2] == 51360

    school_reports = list(workbook["Schoolrapportages"].iter_rows(min_row=2, values_only=True))
    assert school_reports == [
        (
            world.school_a.name,
            "2025-2026",
            "Geaccepteerd",
            "ja",
            82.5,
            None,
            "ja",
            40,
            12,
            None,
            None,
            None,
        )
    ]

    impact = {row[0]: row for row in workbook["Impact"].iter_rows(min_row=2, values_only=True)}
    assert impact["2025-2026"][1:5] == (40, 12, 30, None)
    assert impact["2025-2026"][5:] == (28.8, 38)
    cohorts = list(workbook["Impact cohorten"].iter_rows(min_row=2, values_only=True))
    assert len(cohorts) == 10 and cohorts[0][1] == "Alle leerlingen met een ingevoerde keuze"
