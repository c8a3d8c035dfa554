import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from maakstad.core.models import AuditEntry
from maakstad.core.testing.factories import RegionFactory
from maakstad.monitoring.models import BudgetLine, Milestone, Programme
from maakstad.monitoring.plan_io import parse_quarter, read_plan
from maakstad.monitoring.services import plan_import, programme_ensure

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Q3-2025", (2025, 3)),
        ("2025-Q3", (2025, 3)),
        ("Q2 2025", (2025, 2)),
        ("2026 q4", (2026, 4)),
        ("3e kwartaal 2025", (2025, 3)),
        ("2025-Q5", None),
        ("zomer 2025", None),
    ],
)
def test_parse_quarter(written: str, expected: tuple[int, int] | None) -> None:
    assert parse_quarter(written) == expected


def test_the_plan_reads_cleanly_with_one_flagged_budget_line() -> None:
    report = read_plan(
        (DATA / "milestones.csv").read_text(encoding="utf-8"),
        (DATA / "budget.csv").read_text(encoding="utf-8"),
    )
    assert report.ok, report.errors
    assert len(report.milestones) == 47
    assert {m.action_line for m in report.milestones} == {1, 2, 3, 4, 5}
    assert len({m.key for m in report.milestones}) == 47
    assert report.repeated_codes["2.2.2"] == 4
    assert report.repeated_codes["1.1.2"] == 2
    assert len(report.flagged_budget_lines) == 1
    assert "Slagplug" in report.flagged_budget_lines[0]
    assert "231400.00" in report.flagged_budget_lines[0]


def test_mixed_quarter_spellings_are_normalised_and_bad_rows_reported_by_line() -> None:
    milestones = (
        "code,action_line,description_nl,target_quarter,numeric_target,unit\n"
        "1.1,1,Een,Q3-2025,,\n"
        "1.1,1,Twee,Q2 2026,10,schools\n"
        "1.2,x,Drie,2025-Q1,,\n"
        "1.3,1,Vier,later,,\n"
    )
    report = read_plan(milestones, "action_line,activity,item_nl,amount_eur\n")
    assert [m.key for m in report.milestones] == ["1.1-1", "1.1-2"]
    assert [(m.year, m.quarter) for m in report.milestones] == [(2025, 3), (2026, 2)]
    assert len(report.normalised_quarters) == 2
    assert report.errors == [
        "mijlpalen regel 4: actielijn 'x' is geen getal",
        "mijlpalen regel 5: kwartaal 'later' niet herkend (gebruik bijvoorbeeld 2025-Q3)",
    ]


def test_missing_columns_are_an_error() -> None:
    report = read_plan("code,description_nl\n1,x\n", "item_nl\nx\n")
    assert not report.ok
    assert any("kolommen ontbreken" in error for error in report.errors)


@pytest.mark.django_db
def test_import_is_all_or_nothing_and_reimport_updates() -> None:
    region = RegionFactory.create()
    programme = programme_ensure(
        region=region,
        name="STO",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2028, 12, 31),
        actor=None,
    )
    bad = read_plan("code,action_line,description_nl,target_quarter\n1,1,x,nooit\n", "")
    with pytest.raises(ValidationError):
        plan_import(programme=programme, report=bad, actor=None)
    assert not Milestone.objects.exists()

    good = read_plan(
        (DATA / "milestones.csv").read_text(encoding="utf-8"),
        (DATA / "budget.csv").read_text(encoding="utf-8"),
    )
    first = plan_import(programme=programme, report=good, actor=None)
    again = plan_import(programme=programme, report=good, actor=None)
    assert first["milestones_created"] == 47
    assert again == {
        "milestones_created": 0,
        "milestones_updated": 47,
        "budget_lines": len(good.budget),
    }
    assert Milestone.objects.count() == 47
    assert BudgetLine.objects.count() == len(good.budget)
    flagged = [line for line in BudgetLine.objects.all() if line.amount_mismatch is not None]
    assert [line.item for line in flagged] == [
        "Techniekhuis op Noord: Slagplug externe personeelskosten (uren)"
    ]
    assert flagged[0].amount_mismatch == Decimal("100006.40")
    spacebuzz = Milestone.objects.get(key="1.1.2-1")
    assert spacebuzz.numeric_target == 20 and spacebuzz.indicator_code == "spacebuzz_classes"
    assert AuditEntry.objects.filter(action="programme.plan_imported").count() == 2


@pytest.mark.django_db
def test_import_plan_command_prints_the_validation_report() -> None:
    RegionFactory.create()
    out = StringIO()
    call_command(
        "import_plan",
        "--milestones",
        str(DATA / "milestones.csv"),
        "--budget",
        str(DATA / "budget.csv"),
        "--subsidy-number",
        "STO 24056",
        stdout=out,
    )
    text = out.getvalue()
    assert "Mijlpalen gelezen: 47" in text
    assert "Slagplug" in text
    assert "Herhaalde codes" in text
    assert Programme.objects.get().subsidy_number == "STO 24056"
    with pytest.raises(CommandError):
        call_command("import_plan", "--region", "nergens", stdout=StringIO())


@pytest.mark.django_db
def test_budget_lines_with_a_year_are_totalled_per_year(world) -> None:
    from maakstad.monitoring import selectors, services
    from maakstad.monitoring.testing import programme_for

    programme = programme_for(world)
    milestones = "code,action_line,description_nl,target_quarter,numeric_target,unit\n"
    budget = (
        "action_line,activity,item_nl,quantity,unit_rate_eur,amount_eur,notes,year\n"
        "1,1.2,Techniekhuis 2025,,,1000.00,,2025\n"
        "1,1.2,Techniekhuis 2026,,,1500.00,,2026\n"
        "2,2.2.1,Stages,,,700.00,,\n"
    )
    report = read_plan(milestones, budget)
    assert report.ok, report.errors
    services.plan_import(programme=programme, report=report, actor=None)
    assert list(programme.budget_lines.values_list("year", flat=True)) == [2025, 2026, None]
    overview = selectors.budget_overview(programme)
    assert {k: v["budget"] for k, v in overview["per_year"].items()} == {
        "2025": Decimal("1000.00"),
        "2026": Decimal("1500.00"),
        "Hele looptijd": Decimal("700.00"),
    }
    assert overview["per_activity"]["1.2"]["budget"] == Decimal("2500.00")
    bad = read_plan(milestones, budget.replace(",2026\n", ",volgend jaar\n"))
    assert "begroting regel 3: jaar 'volgend jaar' is geen jaartal" in bad.errors
