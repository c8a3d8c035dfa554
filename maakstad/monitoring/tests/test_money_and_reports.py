import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from maakstad.core.models import Notification
from maakstad.core.tabular import read_table
from maakstad.monitoring import selectors, services
from maakstad.monitoring.models import SchoolReportStatus, Spending
from maakstad.monitoring.plan_io import read_plan
from maakstad.monitoring.testing import programme_for, school_report_for

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


def _csv(text: str):
    return read_table(io.BytesIO(text.encode("utf-8")), "uitgaven.csv")


@pytest.mark.django_db
def test_spending_import_all_or_nothing_with_line_report(programme, world) -> None:
    bad = _csv(
        "datum;begrotingsregel;bedrag;documentnummer\n"
        "2025-10-01;1;1000,00;F-1\n"
        "31-13-2025;1;50;F-2\n"
        "2025-11-01;999;50;F-3\n"
        "2025-11-01;2;veel;\n"
    )
    result = services.spending_import(programme=programme, table=bad, actor=world.user("programme"))
    assert result.created == 0
    assert result.errors == [
        "Regel 3: datum '31-13-2025' niet herkend (gebruik 31-12-2025)",
        f"Regel 4: begrotingsregel '999' bestaat niet (gebruik het regelnummer 1-{programme.budget_lines.count()})",
        "Regel 5: bedrag 'veel' is geen bedrag; documentnummer ontbreekt",
    ]
    assert not Spending.objects.exists()

    good = _csv(
        "datum,begrotingsregel,bedrag,documentnummer,omschrijving,prognose\n"
        "2025-10-01,1,1000.00,F-1,Uren oktober,\n"
        "15-01-2026,1,500,F-2,Uren december,\n"
        "2026-06-01,7,5000,P-1,Spacebuzz tweede helft,ja\n"
    )
    result = services.spending_import(
        programme=programme, table=good, actor=world.user("programme")
    )
    assert result.errors == [] and result.created == 3
    again = services.spending_import(programme=programme, table=good, actor=world.user("programme"))
    assert again.created == 0 and "al geboekt" in again.errors[0]

    overview = selectors.budget_overview(programme)
    assert overview["totals"]["spent"] == Decimal("1500.00")
    assert overview["totals"]["forecast"] == Decimal("5000.00")
    assert overview["per_quarter"] == {"2025-Q4": Decimal("1000.00"), "2026-Q1": Decimal("500.00")}
    assert [line.item for line in overview["flagged"]] == [
        "Techniekhuis op Noord: Slagplug externe personeelskosten (uren)"
    ]


@pytest.mark.django_db
def test_school_report_flow(world) -> None:
    report = school_report_for(world)
    programme = report.programme
    lead = world.user("programme")
    line = programme.action_lines.get(number=2)
    line.lead = lead
    line.save()
    teacher = world.user("teacher_a")
    with pytest.raises(ValidationError) as error:
        services.school_report_update(
            report=report,
            values={"parents_evening_held": True, "outflow_total": 10, "outflow_technical": 12},
            actor=teacher,
        )
    assert set(error.value.message_dict) == {"parents_evening_on", "outflow_technical"}
    services.school_report_update(
        report=report,
        values={
            "parents_evening_held": True,
            "parents_evening_on": dt.date(2026, 10, 1),
            "outflow_total": 40,
            "outflow_technical": 12,
            "pupils_per_profile": {"PIE": {"girls": 3, "boys": 20}},
        },
        actor=teacher,
    )
    services.school_report_submit(report=report, actor=teacher)
    assert Notification.objects.filter(recipient=lead).count() == 1
    with pytest.raises(ValidationError):
        services.school_report_update(report=report, values={"remarks": "te laat"}, actor=teacher)
    with pytest.raises(ValidationError):
        services.school_report_review(report=report, accept=False, notes="", actor=lead)
    services.school_report_review(report=report, accept=False, notes="Vul de uren in.", actor=lead)
    report.refresh_from_db()
    assert report.status == SchoolReportStatus.RETURNED
    services.school_report_submit(report=report, actor=teacher)
    services.school_report_review(report=report, accept=True, notes="", actor=lead)
    report.refresh_from_db()
    assert report.status == SchoolReportStatus.ACCEPTED
    with pytest.raises(ValidationError):
        services.school_report_submit(report=report, actor=teacher)


@pytest.mark.django_db(transaction=False)
def test_school_report_form_page(world, client, django_capture_on_commit_callbacks) -> None:
    report = school_report_for(world)
    client.force_login(world.user("teacher_a"))
    url = reverse("monitoring:school_report", args=[report.pk])
    response = client.post(
        url, {"parents_evening_held": "on", "outflow_total": "5", "outflow_technical": "9"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Vul de datum van de ouderavond in." in content
    assert "kan niet groter zijn" in content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "parents_evening_held": "on",
                "parents_evening_on": "2026-10-01",
                "outflow_total": "20",
                "outflow_technical": "9",
                "profile_PIE_girls": "4",
                "profile_PIE_boys": "11",
                "submit": "1",
            },
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == SchoolReportStatus.SUBMITTED
    assert report.pupils_per_profile == {"PIE": {"girls": 4, "boys": 11}}
    assert mail.outbox == []  # no action-line leads set in this world: nobody to mail


@pytest.mark.django_db
def test_dashboard_and_milestones_pages(
    programme, world, client, django_assert_max_num_queries
) -> None:
    client.force_login(world.user("programme"))
    # A fixed set of queries plus one aggregate per indicator (the two internship ratings included),
    # the region's rate and one aggregate per school year of the programme (at most four).
    with django_assert_max_num_queries(30):
        response = client.get(reverse("monitoring:dashboard"))
    assert response.status_code == 200
    assert "STO 24056" in response.content.decode()
    response = client.get(reverse("monitoring:milestones") + "?actielijn=3")
    text = response.content.decode()
    assert "DLR PIE" in text and "Spacebuzz" not in text
    response = client.get(reverse("monitoring:budget"))
    assert "controleren" in response.content.decode()


@pytest.mark.django_db
def test_school_report_prefills_only_its_own_school_year(world, client) -> None:
    from maakstad.monitoring.models import SchoolReport
    from maakstad.organisations.models import SchoolYear

    report = school_report_for(world)
    last_year = SchoolYear.for_date(report.school_year.starts_on - dt.timedelta(days=1))
    # Last year the school held a parents' evening; this year (the report's year) not yet.
    SchoolReport.objects.create(
        programme=report.programme,
        school=world.school_a,
        school_year=last_year,
        status=SchoolReportStatus.ACCEPTED,
        parents_evening_held=True,
    )
    client.force_login(world.user("teacher_a"))
    response = client.get(reverse("monitoring:school_report", args=[report.pk]))
    known = {name: value for name, value, _unit in response.context["known"]}
    assert known["Scholen met een ouderavond over techniek"] == 0


@pytest.mark.django_db
def test_budget_per_activity_and_spent_against_forecast_per_quarter(programme, world) -> None:
    line = programme.budget_lines.select_related("activity").get(position=0)
    for day, amount, forecast, ref in (
        (dt.date(2025, 10, 1), "1000", False, "F-1"),
        (dt.date(2025, 11, 1), "250", True, "P-1"),
        (dt.date(2026, 2, 1), "400", True, "P-2"),
    ):
        services.spending_create(
            programme=programme,
            budget_line=line,
            spent_on=day,
            amount=Decimal(amount),
            document_reference=ref,
            is_forecast=forecast,
            actor=None,
        )
    overview = selectors.budget_overview(programme)
    assert overview["quarters"] == [
        ("2025-Q4", Decimal("1000"), Decimal("250")),
        ("2026-Q1", Decimal(0), Decimal("400")),
    ]
    activity = overview["per_activity"][str(line.activity)]
    expected_budget = sum(
        (bl.amount for bl in programme.budget_lines.filter(activity=line.activity)), Decimal(0)
    )
    assert activity == {
        "budget": expected_budget,
        "spent": Decimal("1000"),
        "forecast": Decimal("650"),
    }
    assert (
        sum((v["budget"] for v in overview["per_activity"].values()), Decimal(0))
        == (overview["totals"]["budget"])
    )


@pytest.mark.django_db
def test_one_spending_line_entered_on_the_budget_page(programme, world, client) -> None:
    from maakstad.core.models import AuditEntry

    line = programme.budget_lines.get(position=1)
    url = reverse("monitoring:budget")
    form = {
        "budget_line": str(line.pk),
        "spent_on": "2026-01-15",
        "amount": "1234.50",
        "document_reference": "F-2026-7",
        "description": "Uren januari",
    }
    client.force_login(world.user("teacher_a"))
    assert client.post(url, form).status_code == 404  # no programme for school staff
    client.force_login(world.user("programme"))
    assert client.get(url).status_code == 200
    assert client.post(url, form).status_code == 302
    spending = Spending.objects.get()
    assert (spending.budget_line, spending.amount, spending.is_forecast) == (
        line,
        Decimal("1234.50"),
        False,
    )
    assert spending.entered_by == world.user("programme")
    assert AuditEntry.objects.filter(action="spending.created").exists()
    # The same document on the same line again: an error on the form, nothing booked.
    response = client.post(url, form)
    assert response.status_code == 200
    assert "al geboekt" in response.content.decode()
    assert Spending.objects.count() == 1
