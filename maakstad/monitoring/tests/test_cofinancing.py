import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from maakstad.attendance.models import ReportedHours
from maakstad.core.models import AuditEntry
from maakstad.monitoring import reports, selectors, services
from maakstad.monitoring.demo import COFINANCING_PLAN
from maakstad.monitoring.plan_io import cofinancing_plan_hours
from maakstad.monitoring.testing import programme_for

TODAY = dt.date(2026, 11, 30)  # school years 2024-2025, 2025-2026, 2026-2027 have started


def test_the_plans_requirement_is_18560_hours() -> None:
    assert cofinancing_plan_hours(COFINANCING_PLAN.read_text(encoding="utf-8")) == Decimal(18560)


@pytest.fixture
def programme(world):
    programme = programme_for(world)
    services.programme_set_cofinancing_requirement(
        programme=programme, required_hours=Decimal(18560), actor=None
    )
    # Regular internship hours reported by school A: 1,000 h last year, 856 h this year.
    for year, hours in (("2024-2025", 1000), ("2025-2026", 856)):
        ReportedHours.objects.create(
            region=world.region,
            school=world.school_a,
            company=world.company,
            school_year=year,
            half=1,
            hours=hours,
        )
    return programme


@pytest.mark.django_db
def test_cofinancing_per_school_year_against_the_requirement(programme) -> None:
    overview = selectors.cofinancing_overview(programme, today=TODAY)
    assert overview["rate"] == Decimal(60)
    assert overview["required_euros"] == Decimal(1113600)
    assert [
        (y.school_year, y.hours, y.euros, y.cumulative_euros, y.percent) for y in overview["years"]
    ] == [
        ("2024-2025", Decimal(1000), Decimal(60000), Decimal(60000), 5),
        ("2025-2026", Decimal(856), Decimal(51360), Decimal(111360), 10),
        ("2026-2027", Decimal(0), Decimal(0), Decimal(111360), 10),
    ]
    assert overview["hours"] == Decimal(1856) and overview["euros"] == Decimal(111360)
    assert overview["percent"] == 10 and overview["bar"] == 10
    assert AuditEntry.objects.filter(action="programme.cofinancing_requirement_set").exists()


@pytest.mark.django_db
def test_dashboard_and_quarterly_report_show_cofinancing(programme, world, client) -> None:
    client.force_login(world.user("programme"))
    page = client.get(reverse("monitoring:dashboard"))
    assert page.context["cofinancing"]["euros"] == page.context["cofinancing"]["hours"] * 60
    assert page.context["cofinancing"]["required_euros"] == Decimal(1113600)
    assert b"1.113.600" in page.content and 'id="cofinancing"' in page.content.decode()
    context = reports.report_context(programme, today=TODAY)
    assert context["cofinancing"]["euros"] == Decimal(111360)
    html = reports.render_to_string("monitoring/report_pdf.html", context)
    assert "Cofinanciering" in html and "111.360" in html and "1.113.600" in html


@pytest.mark.django_db
def test_import_plan_sets_the_requirement(world, tmp_path) -> None:
    from django.core.management import call_command

    from maakstad.monitoring.models import Programme

    call_command("import_plan", "--cofinancing", str(COFINANCING_PLAN), stdout=io.StringIO())
    assert Programme.objects.get().cofinancing_required_hours == Decimal(18560)
