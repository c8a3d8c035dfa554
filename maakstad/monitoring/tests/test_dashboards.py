"""Dashboards per action line and per school: contents, access and the density map."""

import json
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from maakstad.monitoring import selectors
from maakstad.monitoring.testing import activity_fixture, programme_for


@pytest.fixture
def located(world):
    """The activity fixture with coordinates on the company's and the mbo's locations."""
    fixture = activity_fixture(world)
    world.company.locations.update(latitude=Decimal("51.9"), longitude=Decimal("4.4"))
    world.mbo.locations.update(latitude=Decimal("51.95"), longitude=Decimal("4.5"))
    return fixture


@pytest.mark.django_db
def test_activity_density_groups_present_pupils_per_location(world, located) -> None:
    programme = programme_for(world)
    points = {p["name"]: p["n"] for p in selectors.activity_density(programme)}
    assert points == {world.company.name: 3, world.mbo.name: 1}
    lob = selectors.activity_density(programme, categories=("lob",))
    assert {p["name"]: p["n"] for p in lob} == {world.company.name: 2, world.mbo.name: 1}
    school_b = selectors.activity_density(programme, school_id=world.school_b.pk)
    assert {p["name"]: p["n"] for p in school_b} == {world.company.name: 1, world.mbo.name: 1}
    assert selectors.activity_density(programme, school_year="2024-2025") == []


@pytest.mark.django_db
@override_settings(MAAKSTAD_TILE_URL="https://tiles.example/{z}/{x}/{y}.png")
def test_action_line_dashboard(world, located, client, django_assert_max_num_queries) -> None:
    from maakstad.monitoring.models import BudgetLine, Spending

    programme = programme_for(world)
    line = programme.action_lines.get(number=2)
    budget_line = BudgetLine.objects.create(
        programme=programme, action_line=line, item="Stages", amount=Decimal("1000"), position=1
    )
    for day, amount in (("2025-03-01", "100"), ("2025-05-01", "150"), ("2025-08-01", "50")):
        Spending.objects.create(
            programme=programme,
            budget_line=budget_line,
            spent_on=day,
            amount=Decimal(amount),
            document_reference=f"F-{day}",
        )
    client.force_login(world.user("programme"))
    with django_assert_max_num_queries(40):
        response = client.get(reverse("monitoring:action_line", args=[2]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-tiles="https://tiles.example/{z}/{x}/{y}.png"' in html
    assert response.context["money"]["burn"] == 30
    assert response.context["money"]["cumulative"] == [
        ("2025-Q1", Decimal("100")),
        ("2025-Q2", Decimal("250")),
        ("2025-Q3", Decimal("300")),
    ]
    dash = json.loads(
        html.split('id="dash-data" type="application/json">')[1].split("</script>")[0]
    )
    # Line 2: internships and electives; only the internship session is located at the company.
    assert [(p["name"], p["n"]) for p in dash["points"]] == [(world.company.name, 1)]
    assert dict(response.context["by_kind"])["Vmbo"] == 3
    assert dict(response.context["by_subregion"])["Noord"] == 1
    assert client.get(reverse("monitoring:action_line", args=[9])).status_code == 404


@pytest.mark.django_db
def test_school_dashboard_for_own_staff_and_programme_office(world, located, client) -> None:
    programme_for(world)
    url = reverse("monitoring:school_dashboard", args=[world.school_b.pk])
    client.force_login(world.user("teacher_b"))
    assert client.get(reverse("monitoring:school_dashboards")).url == url
    response = client.get(url)
    assert response.status_code == 200
    values = {row.indicator.code: row.value for row in response.context["indicators"]}
    assert values["pupils_reached"] == 1
    assert values["cofinancing_hours"] == Decimal("2.00")
    assert reverse("monitoring:budget") not in response.content.decode()
    year = client.get(url, {"schooljaar": "2026-2027"})
    assert {r.indicator.code: r.value for r in year.context["indicators"]}["pupils_reached"] == 0
    # Another school's dashboard is not found for this teacher.
    other = reverse("monitoring:school_dashboard", args=[world.school_a.pk])
    assert client.get(other).status_code == 404
    client.force_login(world.user("programme"))
    assert client.get(other).status_code == 200
    listing = client.get(reverse("monitoring:school_dashboards")).content.decode()
    assert other in listing and world.mbo.name not in listing
