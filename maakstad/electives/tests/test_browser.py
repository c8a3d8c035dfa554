"""The whole round in a browser: the coordinator opens it, a pupil chooses, the allocation runs,
is published, and the pupil sees their course."""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest

from maakstad.core.testing.world import build_world
from maakstad.electives.models import RoundState
from maakstad.electives.testing import SectionFactory, electives_setup

ENGINE = importlib.util.find_spec("maakstad.electives.allocation") is not None


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not ENGINE, reason="the allocation engine (branch allocation) is not merged yet"
)
def test_whole_round(page: Any, live_server: Any, login: Any, axe: Any) -> None:
    world = build_world()
    setup = electives_setup(world)
    other = SectionFactory.create(course__provider=world.company, period=setup.period)
    setup.open_round.state = RoundState.CONCEPT
    setup.open_round.save()
    round_url = f"{live_server.url}/keuzevakken/rondes/{setup.open_round.pk}/"

    login(page, "programma@test.test")
    page.goto(round_url)
    page.click("text=Naar ‘Open voor keuzes’")
    page.wait_for_selector("#round-state >> text=Open voor keuzes")
    page.context.clear_cookies()

    login(page, "leerling@a.test")
    page.goto(f"{live_server.url}/keuzevakken/rondes/{setup.open_round.pk}/kiezen/")
    assert axe(page) == []
    page.select_option("#id_choice_1", str(other.pk))
    page.select_option("#id_choice_2", str(setup.section.pk))
    page.click("text=Keuzes opslaan")
    page.wait_for_selector("text=Je hebt je keuzes opgegeven")
    page.context.clear_cookies()

    login(page, "programma@test.test")
    page.goto(round_url)
    page.click("text=Naar ‘Gesloten’")
    page.click("text=Indeling starten")
    page.wait_for_selector("text=Vergelijking (reeks")
    assert axe(page) == []
    page.click("text=Publiceer Loting")
    page.wait_for_selector("text=Gepubliceerd:")
    page.context.clear_cookies()

    login(page, "leerling@a.test")
    page.goto(f"{live_server.url}/keuzevakken/mijn/")
    page.wait_for_selector(f"text={other.course.title}")
    assert "lotnummer" in page.content()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_opens_and_pupil_chooses_on_a_phone(
    page: Any, live_server: Any, login: Any, axe: Any
) -> None:
    world = build_world()
    setup = electives_setup(world)
    other = SectionFactory.create(course__provider=world.company, period=setup.period)
    setup.open_round.state = RoundState.CONCEPT
    setup.open_round.save()

    login(page, "programma@test.test")
    page.goto(f"{live_server.url}/keuzevakken/rondes/{setup.open_round.pk}/")
    assert axe(page) == []
    page.click("text=Naar ‘Open voor keuzes’")
    page.wait_for_selector("#round-state >> text=Open voor keuzes")
    page.context.clear_cookies()

    page.set_viewport_size({"width": 375, "height": 740})
    login(page, "leerling@a.test")
    page.goto(f"{live_server.url}/keuzevakken/mijn/")
    page.click("text=Nu kiezen")
    assert axe(page) == []
    page.select_option("#id_choice_1", str(other.pk))
    page.select_option("#id_choice_2", str(setup.section.pk))
    page.click("text=Keuzes opslaan")
    page.wait_for_selector("text=Je hebt je keuzes opgegeven")
    assert axe(page) == []
    page.goto(f"{live_server.url}/keuzevakken/periode/{setup.period.pk}/")
    page.wait_for_selector(f"text={other.course.title}")
    assert axe(page) == []
