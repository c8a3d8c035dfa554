"""Two companies' clicks for the last place: only PostgreSQL can prove it with real concurrency."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from maakstad.core.testing.factories import GuardianFactory, PupilFactory
from maakstad.internships import services
from maakstad.internships.models import AdWeek, Application, Status


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_last_place_race(world: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from maakstad.internships.testing import make_ad, monday
    from maakstad.internships.tests.conftest import Chain

    chain = Chain(world=world, ad=make_ad(world.company, weeks=[(monday(2), 1)]))
    applications = []
    for _n in range(4):
        pupil = PupilFactory.create(school=world.school_a, leerjaar=3, profile=world.pupil.profile)
        GuardianFactory.create(pupil=pupil)
        applications.append(chain.to_company(chain.apply(pupil=pupil)))
    week = chain.week(0)
    barrier = threading.Barrier(len(applications))
    outcomes: list[str] = []
    lock = threading.Lock()

    def accept(application: Application) -> None:
        from django.db import connections

        try:
            barrier.wait()
            services.application_company_decide(
                application=application,
                action="accept",
                actor=chain.company_user,
                week=week,
                dates=[week.week_start + dt.timedelta(days=i) for i in range(3)],
                starts=dt.time(9),
                ends=dt.time(15),
            )
            result = "ok"
        except ValidationError:
            result = "full"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=accept, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["full", "full", "full", "ok"]
    assert AdWeek.objects.get(pk=week.pk).places_taken == 1
    assert Application.objects.filter(status=Status.CONFIRMED).count() == 1
