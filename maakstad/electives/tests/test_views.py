from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from maakstad.core.bitmask import to_mask
from maakstad.core.models import AuditEntry
from maakstad.core.testing.factories import PupilFactory
from maakstad.electives.models import (
    AllocationRun,
    Choice,
    ChoiceRound,
    Mechanism,
    Placement,
    RoundState,
    Section,
)
from maakstad.electives.testing import SectionFactory, electives_setup

pytestmark = pytest.mark.django_db


def test_pupil_chooses_on_the_phone_page(world: Any, client: Any) -> None:
    setup = electives_setup(world)
    second = SectionFactory.create(course__provider=world.company, period=setup.period)
    client.force_login(world.user("pupil"))
    url = reverse("electives:choose", args=[setup.open_round.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Kies je keuzevakken" in page.text
    response = client.post(url, {"choice_1": second.pk, "choice_2": setup.section.pk})
    assert response.status_code == 302
    assert list(Choice.objects.order_by("rank").values_list("section_id", flat=True)) == [
        second.pk,
        setup.section.pk,
    ]
    # The same section twice is refused at the field, nothing saved.
    response = client.post(url, {"choice_1": second.pk, "choice_2": second.pk})
    assert response.status_code == 200 and "twee keer" in response.text
    assert Choice.objects.count() == 2


def test_pupil_sees_course_and_explanation(world: Any, client: Any) -> None:
    electives_setup(world)
    client.force_login(world.user("pupil"))
    response = client.get(reverse("electives:my"))
    assert "Je gaat naar" in response.text and "lotnummer was 1" in response.text


def test_published_optimum_says_tactics_pay(world: Any, client: Any) -> None:
    setup = electives_setup(world)
    setup.run.mechanism = Mechanism.OPTIMUM
    setup.run.save()
    client.force_login(world.user("programme"))
    response = client.get(reverse("electives:round_detail", args=[setup.published_round.pk]))
    assert "tactisch" in response.text


def test_exports(world: Any, client: Any) -> None:
    setup = electives_setup(world)
    client.force_login(world.user("company"))
    roster = reverse("electives:section_roster", args=[setup.published_section.pk])
    pdf = client.get(roster + "?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(roster + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == world.pupil.short_name and rows[1][1] == world.school_a.name
    # A provider sees first name + initial, school and dates: nothing more (no class, no surname).
    assert len(rows[0]) == 4 and world.pupil.class_name not in rows[1]
    client.force_login(world.user("programme"))
    transport = client.get(
        reverse("electives:transport", args=[setup.published_round.pk]) + "?format=xlsx"
    )
    rows = list(load_workbook(io.BytesIO(transport.content)).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    weeks = len(setup.published_period.meeting_dates(setup.published_section.course.weekday))
    assert len(rows) == 1 + weeks and all(
        r[0] == world.school_a.name and r[6] == 1 for r in rows[1:]
    )
    client.force_login(world.user("teacher_a"))
    school = client.get(reverse("electives:round_school_xlsx", args=[setup.published_round.pk]))
    rows = list(load_workbook(io.BytesIO(school.content)).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[1][2] == setup.published_section.course.title


def test_list_pages_have_fixed_query_counts(
    world: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    setup = electives_setup(world)
    for _ in range(15):
        PupilFactory.create(school=world.school_a)
        SectionFactory.create(course__provider=world.company, period=setup.period)
    client.force_login(world.user("teacher_a"))
    with django_assert_max_num_queries(12):
        assert (
            client.get(reverse("electives:round_school", args=[setup.open_round.pk])).status_code
            == 200
        )
    with django_assert_max_num_queries(12):
        assert client.get(reverse("electives:rounds")).status_code == 200
    with django_assert_max_num_queries(14):
        assert (
            client.get(reverse("electives:guide_period", args=[setup.period.pk])).status_code == 200
        )
    client.force_login(world.user("company"))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("electives:provider_sections")).status_code == 200
    client.force_login(world.user("programme"))
    with django_assert_max_num_queries(14):
        assert (
            client.get(reverse("electives:placements", args=[setup.published_round.pk])).status_code
            == 200
        )
    with django_assert_max_num_queries(12):
        assert (
            client.get(reverse("electives:compare", args=[setup.published_round.pk])).status_code
            == 200
        )


def test_progress_partial_polls_until_done(world: Any, client: Any) -> None:
    setup = electives_setup(world)
    client.force_login(world.user("programme"))
    url = reverse("electives:runs_progress", args=[setup.published_round.pk])
    assert "hx-trigger" not in client.get(url).text
    setup.run.status = "running"
    setup.run.progress = 40
    setup.run.save()
    text = client.get(url).text
    assert 'hx-trigger="every 1s"' in text and 'value="40"' in text


def test_coordinator_opens_round(world: Any, client: Any) -> None:
    setup = electives_setup(world)
    setup.open_round.state = RoundState.CONCEPT
    setup.open_round.save()
    client.force_login(world.user("programme"))
    client.post(reverse("electives:round_transition", args=[setup.open_round.pk]), {"to": "open"})
    setup.open_round.refresh_from_db()
    assert setup.open_round.state == RoundState.OPEN


def test_programme_office_creates_period_course_and_section(world: Any, client: Any) -> None:
    from maakstad.electives.models import Course, ElectivePeriod, Section
    from maakstad.electives.testing import this_school_year

    client.force_login(world.user("programme"))
    year = this_school_year()
    bad = client.post(
        reverse("electives:period_create"),
        {"school_year": year.pk, "name": "P9", "starts_on": "2001-01-01", "ends_on": "2001-02-01"},
    )
    assert bad.status_code == 200 and "binnen het schooljaar" in bad.text
    assert not ElectivePeriod.objects.exists()
    client.post(
        reverse("electives:period_create"),
        {
            "school_year": year.pk,
            "name": "P9",
            "starts_on": year.starts_on.isoformat(),
            "ends_on": year.ends_on.isoformat(),
        },
    )
    period = ElectivePeriod.objects.get()
    location = world.company.locations.first()
    client.post(
        reverse("electives:course_create"),
        {
            "provider": world.company.pk,
            "location": location.pk,
            "title": "Zonnepanelen",
            "weekday": 2,
            "half_day": "afternoon",
            "leerjaren": [3, 4],
        },
    )
    course = Course.objects.get()
    assert course.leerjaren == [3, 4] and course.location == location
    bad = client.post(
        reverse("electives:section_create"),
        {"course": course.pk, "period": period.pk, "capacity": 5, "min_size": 8},
    )
    assert "groter dan het aantal plaatsen" in bad.text and not Section.objects.exists()
    client.post(
        reverse("electives:section_create"),
        {"course": course.pk, "period": period.pk, "capacity": 12, "min_size": 4},
    )
    assert Section.objects.get().capacity == 12


def test_programme_office_sees_any_school_of_its_region_only(
    world: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    from maakstad.core.testing.factories import OrganisationFactory, RegionFactory

    setup = electives_setup(world)
    client.force_login(world.user("programme"))
    url = reverse("electives:round_school", args=[setup.open_round.pk])
    assert client.get(f"{url}?school={world.school_b.pk}").status_code == 200
    elsewhere = RegionFactory.create(slug="elders", name="Elders")
    foreign = OrganisationFactory.create(kind="vmbo", region=elsewhere)
    assert client.get(f"{url}?school={foreign.pk}").status_code == 404
    with django_assert_max_num_queries(14):
        page = client.get(reverse("electives:round_detail", args=[setup.open_round.pk]))
    assert world.school_a.name in page.text


def test_start_runs_with_the_chosen_rank_cost(world: Any, client: Any) -> None:
    setup = electives_setup(world)
    Choice.objects.create(round=setup.open_round, pupil=world.pupil, section=setup.section, rank=1)
    setup.open_round.state = RoundState.CLOSED
    setup.open_round.save()
    client.force_login(world.user("programme"))
    page = client.get(reverse("electives:round_detail", args=[setup.open_round.pk]))
    assert 'name="rank_cost"' in page.text and "kwadratisch" in page.text
    url = reverse("electives:runs_start", args=[setup.open_round.pk])
    assert client.post(url, {"rank_cost": "convex"}).status_code == 302
    runs = AllocationRun.objects.filter(round=setup.open_round)
    assert runs.count() == 4
    assert {r.parameters["rank_cost"] for r in runs} == {"convex"}
    client.post(url, {"rank_cost": "cubic"})  # refused: no new batch
    assert AllocationRun.objects.filter(round=setup.open_round).count() == 4


def test_pupil_pages_say_tactics_pay_when_the_rule_is_not_strategy_proof(
    world: Any, client: Any
) -> None:
    setup = electives_setup(world)
    client.force_login(world.user("pupil"))
    choose = reverse("electives:choose", args=[setup.open_round.pk])
    # The lottery (default): honest ranking is best, and the page says so.
    text = client.get(choose).text
    assert "Eerlijk kiezen loont" in text and "tactisch" not in text
    assert "tactisch" not in client.get(reverse("electives:my")).text
    # The optimum was published: the pupil's result page warns, and so does a second round's
    # choosing page (it follows the rule of its first round).
    setup.run.mechanism = Mechanism.OPTIMUM
    setup.run.save()
    assert "tactisch" in client.get(reverse("electives:my")).text
    setup.open_round.previous_round = setup.published_round
    setup.open_round.save()
    text = client.get(choose).text
    assert "tactisch" in text and "Eerlijk kiezen loont" not in text


def test_guide_card_shows_school_kinds(world: Any, client: Any) -> None:
    setup = electives_setup(world)
    course = setup.section.course
    course.school_kinds_mask = to_mask([1, 2])  # praktijkonderwijs and vso
    course.save()
    client.force_login(world.user("pupil"))
    text = client.get(reverse("electives:guide_period", args=[setup.period.pk])).text
    assert "Schoolsoorten" in text and "Praktijkonderwijs (pro)" in text and "(vso)" in text


def test_round_form_sets_priority_rules(world: Any, client: Any) -> None:
    setup = electives_setup(world)
    client.force_login(world.user("programme"))
    form = client.get(reverse("electives:round_create")).text
    assert 'name="priority_rules"' in form and 'value="host_school"' in form
    response = client.post(
        reverse("electives:round_create"),
        {
            "name": "Met voorrang",
            "periods": [setup.period.pk],
            "opens_on": "2026-01-05",
            "closes_on": "2026-01-19",
            "choices_count": 4,
            "priority_rules": ["host_school", "profile"],
            "announced_rule": "lottery",
        },
    )
    assert response.status_code == 302
    choice_round = ChoiceRound.objects.get(name="Met voorrang")
    assert choice_round.priority_rules == ["host_school", "profile"]
    page = client.get(reverse("electives:round_detail", args=[choice_round.pk])).text
    assert "Voorrang bij de loting voor" in page and "school die het vak aanbiedt" in page


def test_announced_rule_is_what_pupils_read_and_publishing_against_it_is_confirmed(
    world: Any, client: Any
) -> None:
    setup = electives_setup(world)
    client.force_login(world.user("programme"))
    response = client.post(
        reverse("electives:round_create"),
        {
            "name": "Optimum aangekondigd",
            "periods": [setup.period.pk],
            "opens_on": "2026-01-05",
            "closes_on": "2026-01-19",
            "choices_count": 4,
            "announced_rule": "optimum",
        },
    )
    assert response.status_code == 302
    announced = ChoiceRound.objects.get(name="Optimum aangekondigd")
    assert announced.announced_rule == "optimum"
    assert (
        "tactisch kiezen kan lonen"
        in client.get(reverse("electives:round_detail", args=[announced.pk])).text
    )
    # Before anything is published the pupils read the announced rule: the open round of the
    # setup announced the lottery, so honest ranking is best; with the optimum announced, tactics.
    client.force_login(world.user("pupil"))
    choose = reverse("electives:choose", args=[setup.open_round.pk])
    assert "Eerlijk kiezen loont" in client.get(choose).text
    setup.open_round.announced_rule = "optimum"
    setup.open_round.save()
    text = client.get(choose).text
    assert "tactisch" in text and "Eerlijk kiezen loont" not in text

    # The round published by the setup announced the lottery; publishing the optimum instead
    # needs the box ticked on the round page.
    choice_round = setup.published_round
    ChoiceRound.objects.filter(pk=choice_round.pk).update(
        state=RoundState.ALLOCATED, published_run=None
    )
    Placement.objects.filter(round=choice_round).delete()
    Section.objects.filter(pk=setup.published_section.pk).update(seats_taken=0)
    setup.run.mechanism = Mechanism.OPTIMUM
    setup.run.save()
    client.force_login(world.user("programme"))
    page = client.get(reverse("electives:round_detail", args=[choice_round.pk])).text
    assert 'name="deviation_ok"' in page
    publish = reverse("electives:run_publish", args=[setup.run.pk])
    response = client.post(publish, follow=True)
    assert "Bevestig dat je toch" in response.text
    assert ChoiceRound.objects.get(pk=choice_round.pk).state == RoundState.ALLOCATED
    client.post(publish, {"deviation_ok": "on"})
    assert ChoiceRound.objects.get(pk=choice_round.pk).state == RoundState.PUBLISHED
    entry = AuditEntry.objects.filter(action="elective.round.published").latest("pk")
    assert entry.after is not None and entry.after["announced_rule"] == "lottery"
    assert entry.after["deviates_from_announced_rule"] is True
