"""Indicators cut by school year, subregion, school kind and school; the dashboard's filters and
the indicator page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from maakstad.attendance.ledger import ledger
from maakstad.monitoring.indicators import REGISTRY, Cuts
from maakstad.monitoring.testing import activity_fixture, programme_for


@pytest.mark.django_db
def test_pupils_reached_by_every_cut(world) -> None:
    programme = programme_for(world)
    fixture = activity_fixture(world)
    reached = REGISTRY["pupils_reached"].compute
    assert reached(programme, Cuts()) == 3
    assert reached(programme, Cuts(school_year="2025-2026")) == 2
    assert reached(programme, Cuts(school_year="2026-2027")) == 1
    assert reached(programme, Cuts(subregion="noord")) == 1
    assert reached(programme, Cuts(school_kind="vmbo")) == 3
    assert reached(programme, Cuts(school_kind="pro")) == 0
    assert reached(programme, Cuts(school_id=world.school_b.pk)) == 1
    assert reached(programme, Cuts(school_id=fixture.far_school.pk, school_year="2025-2026")) == 0


@pytest.mark.django_db
def test_cofinancing_hours_by_cut_and_equal_to_the_ledger(world) -> None:
    programme = programme_for(world)
    fixture = activity_fixture(world)
    hours = REGISTRY["cofinancing_hours"].compute
    # 120 + 120 minutes LOB and 90 minutes internship at the company, 10 reported hours.
    assert hours(programme, Cuts()) == Decimal("15.50")
    assert hours(programme, Cuts()) == ledger(world.region).total_hours()
    assert (
        hours(programme, Cuts(school_year="2025-2026"))
        == ledger(world.region, "2025-2026").total_hours()
    )
    assert hours(programme, Cuts(school_id=world.school_a.pk)) == Decimal("12.00")
    assert hours(programme, Cuts(school_id=world.school_b.pk)) == Decimal("2.00")  # not the mbo
    assert hours(programme, Cuts(subregion="noord")) == Decimal("1.50")
    assert hours(programme, Cuts(school_id=fixture.far_school.pk)) == Decimal("1.50")


@pytest.mark.django_db
def test_every_indicator_accepts_every_cut(world) -> None:
    programme = programme_for(world)
    activity_fixture(world)
    cuts = Cuts(
        school_year="2025-2026", subregion="zuid", school_kind="vmbo", school_id=world.school_a.pk
    )
    for indicator in REGISTRY.values():
        assert indicator.compute(programme, cuts) >= 0, indicator.code


@pytest.mark.django_db
def test_dashboard_filters_with_htmx(world, client, django_assert_max_num_queries) -> None:
    programme_for(world)
    activity_fixture(world)
    client.force_login(world.users["programme"])
    url = reverse("monitoring:dashboard")
    page = client.get(url)
    assert page.status_code == 200
    assert 'hx-get="/monitoring/"' in page.content.decode()
    with django_assert_max_num_queries(40):
        partial = client.get(
            url, {"deelregio": "noord", "schooljaar": ""}, headers={"HX-Request": "true"}
        )
    html = partial.content.decode()
    assert html.lstrip().startswith('<div id="indicators"')
    assert "<html" not in html
    reached = reverse("monitoring:indicator", args=["pupils_reached"])
    assert f'href="{reached}?deelregio=noord' in html
    # An unknown school is ignored, not an error.
    assert client.get(url, {"school": "999999"}).status_code == 200


@pytest.mark.django_db
def test_indicator_page_over_time_and_per_cut(world, client) -> None:
    programme_for(world)
    activity_fixture(world)
    client.force_login(world.users["programme"])
    url = reverse("monitoring:indicator", args=["pupils_reached"])
    page = client.get(url)
    assert page.status_code == 200
    series = dict(page.context["series"])
    assert series["2025-2026"] == 2
    assert series["2026-2027"] == 1
    assert dict(page.context["by_subregion"])["Noord"] == 1
    assert dict(page.context["by_kind"])["Vmbo"] == 3
    school_b = client.get(url, {"school": world.school_b.pk}, headers={"HX-Request": "true"})
    assert school_b.context["value"] == 1
    assert client.get(reverse("monitoring:indicator", args=["nope"])).status_code == 404
