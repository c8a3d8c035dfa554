"""`manage.py export <milestones|indicators|budget|cofinancing|schools> --format json|csv|xlsx|pdf`."""

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from maakstad.monitoring.demo import DATA
from maakstad.monitoring.models import SchoolReport
from maakstad.monitoring.plan_io import read_plan
from maakstad.monitoring.services import plan_import
from maakstad.monitoring.testing import activity_fixture, programme_for
from maakstad.organisations.models import SchoolYear

REPORTS = ("milestones", "indicators", "budget", "cofinancing", "schools")


@pytest.fixture
def exported_world(world):
    programme = programme_for(world)
    plan = read_plan(
        (DATA / "milestones.csv").read_text(encoding="utf-8"),
        (DATA / "budget.csv").read_text(encoding="utf-8"),
    )
    plan_import(programme=programme, report=plan, actor=None)
    activity_fixture(world)
    SchoolReport.objects.create(
        programme=programme,
        school=world.school_a,
        school_year=SchoolYear.for_date(dt.date(2026, 3, 1)),
        parents_evening_held=True,
        outflow_total=40,
        outflow_technical=12,
    )
    return world


def run(world, name: str, fmt: str, tmp_path, *extra: str) -> bytes:
    target = tmp_path / f"{name}.{fmt}"
    call_command(
        "export", name, "--format", fmt, "--region", world.region.slug, "-o", str(target), *extra
    )
    return target.read_bytes()


def parse(fmt: str, content: bytes) -> tuple[list[str], list[list[Any]]]:
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode())))
        return rows[0], rows[1:]
    book = load_workbook(io.BytesIO(content))
    cells: list[list[Any]] = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    return [str(c) for c in cells[0]], cells[1:]


@pytest.mark.django_db
@pytest.mark.parametrize("name", REPORTS)
def test_every_report_in_every_format(exported_world, tmp_path, name) -> None:
    world = exported_world
    data = json.loads(run(world, name, "json", tmp_path))
    assert data
    for fmt in ("csv", "xlsx"):
        header, rows = parse(fmt, run(world, name, fmt, tmp_path))
        assert header and all(len(row) == len(header) for row in rows), (name, fmt)
    pdf = run(world, name, "pdf", tmp_path)
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        (tmp_path / "r.pdf").write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        expected = {
            "milestones": "Voortgangsrapportage",
            "indicators": "Leerlingen bereikt",
            "budget": "Begroting",
            "cofinancing": world.company.name,
            "schools": world.school_a.name,
        }[name]
        assert expected in " ".join(text.split()), name  # cells wrap in narrow columns


@pytest.mark.django_db
def test_report_contents_parse_back(exported_world, tmp_path) -> None:
    world = exported_world
    header, rows = parse("csv", run(world, "milestones", "csv", tmp_path))
    by_key = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert len(rows) == 47
    assert by_key["2.2.2-4"]["indicator"] == "elective_periods_running"
    assert by_key["2.2.2-4"]["streefwaarde"] == "2"

    header, rows = parse("xlsx", run(world, "indicators", "xlsx", tmp_path))
    indicators = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert indicators["pupils_reached"]["waarde"] == 3
    assert indicators["pupils_reached"]["2025-2026"] == 2
    assert indicators["cofinancing_hours"]["waarde"] == 15.5
    data = json.loads(run(world, "indicators", "json", tmp_path, "--school-year", "2025-2026"))
    assert {r["code"]: r["waarde"] for r in data["rows"]}["pupils_reached"] == 2

    header, rows = parse("csv", run(world, "budget", "csv", tmp_path))
    total = sum(Decimal(dict(zip(header, row, strict=True))["bedrag"]) for row in rows)
    assert total > 0 and len(rows) == 50

    header, rows = parse("xlsx", run(world, "schools", "xlsx", tmp_path))
    schools = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert schools[world.school_a.name]["pupils_reached"] == 1
    assert schools[world.school_a.name]["uitstroom_technisch_mbo"] == 12
    assert schools[world.school_a.name]["ouderavond_techniek"] is True
    assert world.mbo.name not in schools


@pytest.mark.django_db
def test_export_without_programme_says_so(world, tmp_path) -> None:
    with pytest.raises(CommandError, match="geen programma"):
        run(world, "milestones", "json", tmp_path)
