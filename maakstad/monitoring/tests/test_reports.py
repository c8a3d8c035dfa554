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
    ]
    milestones = workbook["Mijlpalen"]
    assert milestones.max_row == 48  # header + 47 milestones
    budget = workbook["Begroting"]
    flagged = [row for row in budget.iter_rows(min_row=2, values_only=True) if row[9]]
    assert len(flagged) == 1 and "Slagplug" in str(flagged[0][3])
