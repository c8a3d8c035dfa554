from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from maakstad.core.testing.world import World
from maakstad.internships import services
from maakstad.internships.models import (
    AdWeek,
    Application,
    DayState,
    InternshipAd,
    LinkPurpose,
    PlacementDay,
)
from maakstad.internships.testing import make_ad


@dataclass
class Chain:
    world: World
    ad: InternshipAd

    @property
    def pupil_user(self) -> Any:
        return self.world.user("pupil")

    @property
    def mentor(self) -> Any:
        return self.world.user("teacher_a")

    @property
    def company_user(self) -> Any:
        return self.world.user("company")

    @property
    def guardian(self) -> Any:
        return self.world.pupil.guardians.first()

    def week(self, index: int = 0) -> AdWeek:
        return list(self.ad.weeks.order_by("week_start"))[index]

    def apply(self, pupil: Any = None, week_index: int = 0) -> Application:
        pupil = pupil or self.world.pupil
        return services.application_submit(
            ad=self.ad,
            pupil=pupil,
            motivation="Ik wil graag leren lassen.",
            weeks=[self.week(week_index)],
            actor=pupil.user or self.mentor,
        )

    def token(self, application: Application, guardian: Any = None) -> str:
        return services._new_link(
            application,
            guardian or application.pupil.guardians.order_by("pk")[0],
            LinkPurpose.APPROVAL,
            14,
        )

    def to_company(self, application: Application | None = None) -> Application:
        application = application or self.apply()
        services.application_mentor_decide(application=application, approve=True, actor=self.mentor)
        services.guardian_decide(token=self.token(application), approve=True)
        application.refresh_from_db()
        return application

    def dates(self, week: AdWeek, n: int = 3) -> list[dt.date]:
        return [week.week_start + dt.timedelta(days=i) for i in range(n)]

    def accept(self, application: Application, week_index: int = 0) -> Application:
        week = self.week(week_index)
        services.application_company_decide(
            application=application,
            action="accept",
            actor=self.company_user,
            week=week,
            dates=self.dates(week),
            starts=dt.time(9, 0),
            ends=dt.time(15, 0),
        )
        application.refresh_from_db()
        return application

    def propose_days(self, application: Application, week_index: int = 1) -> None:
        week = self.week(week_index)
        PlacementDay.objects.bulk_create(
            [
                PlacementDay(
                    application=application,
                    pupil=application.pupil,
                    date=d,
                    starts_at=dt.time(9),
                    ends_at=dt.time(15),
                    state=DayState.PROPOSED,
                )
                for d in self.dates(week)
            ]
        )
        Application.objects.filter(pk=application.pk).update(proposed_week=week)


@pytest.fixture
def chain(world: World) -> Chain:
    return Chain(world=world, ad=make_ad(world.company))
