"""The organisation endpoints: each returns the token's own organisation's objects only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from maakstad.attendance.models import Attendance, AttendanceStatus, ReportedHours
from maakstad.attendance.testing import make_session
from maakstad.bookings import services as booking_services
from maakstad.bookings.testing import make_slot, scheduled_offer
from maakstad.core.testing.factories import PupilFactory
from maakstad.internships.models import Application, DayState, PlacementDay, Status
from maakstad.internships.testing import make_ad
from maakstad.organisations.models import SchoolYear


def _booking(world):
    offer = scheduled_offer(world.company, title="Rondleiding fabriek")
    return booking_services.booking_request(
        offer=offer,
        school=world.school_a,
        actor=world.user("teacher_a"),
        class_name="3K",
        pupils_count=20,
        leerjaar=3,
        slot=make_slot(offer),
    )


# --- bookings ---


@pytest.mark.django_db
def test_bookings_as_school_and_as_provider(world, make_token, api_get) -> None:
    booking = _booking(world)

    as_school = api_get("bookings", make_token(world.school_a)).json()
    as_provider = api_get("bookings", make_token(world.company)).json()

    assert [(b["id"], b["role"]) for b in as_school["items"]] == [(booking.pk, "school")]
    assert [(b["id"], b["role"]) for b in as_provider["items"]] == [(booking.pk, "provider")]
    item = as_school["items"][0]
    assert item["offer_title"] == "Rondleiding fabriek"
    assert item["school"] == "Vmbo A"
    assert item["provider"] == "Bedrijf C"
    assert item["pupils_count"] == 20
    # No people: not who asked, not the teacher in charge.
    text = str(as_school)
    assert "Docent A" not in text
    assert "docent@a.test" not in text


@pytest.mark.django_db
def test_bookings_of_another_organisation_are_never_returned(world, make_token, api_get) -> None:
    _booking(world)

    body = api_get("bookings", make_token(world.school_b)).json()

    assert body == {"count": 0, "page": 1, "page_size": 20, "next_page": None, "items": []}


@pytest.mark.django_db
def test_bookings_filter_by_status(world, make_token, api_get) -> None:
    booking = _booking(world)
    secret = make_token(world.school_a)

    assert api_get("bookings", secret, status=booking.status).json()["count"] == 1
    assert api_get("bookings", secret, status="cancelled").json()["count"] == 0
    assert api_get("bookings", secret, status="nonsense").status_code == 422


# --- internship applications ---


def _application(world, *, pupil=None, reached_company=True, status=Status.CONFIRMED, week_index=0):
    ad = make_ad(world.company, title="Lassen bij Bedrijf C")
    week = ad.weeks.order_by("week_start")[week_index]
    application = Application.objects.create(
        ad=ad,
        pupil=pupil or world.pupil,
        status=status,
        motivation="Ik wil graag leren lassen; mijn adres is Kerkstraat 1.",
        reached_company=reached_company,
        week=week,
    )
    PlacementDay.objects.create(
        application=application,
        pupil=application.pupil,
        date=week.week_start,
        starts_at=dt.time(9),
        ends_at=dt.time(15),
        state=DayState.PLANNED,
    )
    return application


@pytest.mark.django_db
def test_applications_for_the_school_with_first_name_and_initial_only(
    world, make_token, api_get
) -> None:
    world.pupil.last_name = "Jansen-Verhoeven"
    world.pupil.last_name_initial = ""
    world.pupil.save()
    application = _application(world)

    body = api_get("internship-applications", make_token(world.school_a)).json()

    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == application.pk
    assert item["pupil"] == "Sanne J."
    assert item["ad_title"] == "Lassen bij Bedrijf C"
    assert item["status"] == "confirmed"
    assert item["week_start"] == application.week.week_start.isoformat()
    assert item["days"][0]["date"] == application.week.week_start.isoformat()
    text = str(body)
    assert "Jansen" not in text
    assert "Kerkstraat" not in text  # the motivation stays in Maakstad
    assert "ouder@a.test" not in text


@pytest.mark.django_db
def test_applications_for_the_host_company_only_after_the_guardians(
    world, make_token, api_get
) -> None:
    visible = _application(world)
    _application(world, reached_company=False, status=Status.AWAITING_GUARDIAN, week_index=1)

    body = api_get("internship-applications", make_token(world.company)).json()

    assert [item["id"] for item in body["items"]] == [visible.pk]


@pytest.mark.django_db
def test_applications_of_another_school_are_never_returned(world, make_token, api_get) -> None:
    _application(world)
    other_pupil = PupilFactory.create(school=world.school_b, first_name="Ahmed")
    theirs = _application(world, pupil=other_pupil)

    mine = api_get("internship-applications", make_token(world.school_a)).json()
    other = api_get("internship-applications", make_token(world.school_b)).json()
    outsider = api_get("internship-applications", make_token(world.mbo)).json()

    assert theirs.pk not in {item["id"] for item in mine["items"]}
    assert "Ahmed" not in str(mine)
    assert [item["id"] for item in other["items"]] == [theirs.pk]
    assert outsider["count"] == 0


# --- sessions ---


@pytest.mark.django_db
def test_sessions_for_the_host_and_the_pupils_school(world, make_token, api_get) -> None:
    session = make_session(world)

    hosted = api_get("sessions", make_token(world.company)).json()
    school = api_get("sessions", make_token(world.school_a)).json()
    other = api_get("sessions", make_token(world.school_b)).json()

    assert [s["id"] for s in hosted["items"]] == [session.pk]
    assert hosted["items"][0]["host"] == "Bedrijf C"
    assert hosted["items"][0]["pupils_expected"] == 1
    assert [s["id"] for s in school["items"]] == [session.pk]
    assert school["items"][0]["pupils_expected"] == 1
    assert other["count"] == 0


@pytest.mark.django_db
def test_a_school_counts_only_its_own_pupils(world, make_token, api_get) -> None:
    other_pupil = PupilFactory.create(school=world.school_b)
    make_session(world, pupils=[world.pupil, other_pupil])
    Attendance.objects.filter(pupil=world.pupil).update(status=AttendanceStatus.PRESENT)

    school_a = api_get("sessions", make_token(world.school_a)).json()["items"][0]
    school_b = api_get("sessions", make_token(world.school_b)).json()["items"][0]
    host = api_get("sessions", make_token(world.company)).json()["items"][0]

    assert (school_a["pupils_expected"], school_a["pupils_present"]) == (1, 1)
    assert (school_b["pupils_expected"], school_b["pupils_present"]) == (1, 0)
    assert (host["pupils_expected"], host["pupils_present"]) == (2, 1)


# --- co-financing ---


def _hours(world):
    session = make_session(world, starts_in=dt.timedelta(days=-1), hours=2)
    Attendance.objects.filter(session=session).update(status=AttendanceStatus.PRESENT, minutes=120)
    ReportedHours.objects.create(
        region=world.region,
        school=world.school_a,
        company=world.mbo,
        school_year="2025-2026",
        half=1,
        hours=10,
    )


@pytest.mark.django_db
def test_cofinancing_whole_ledger_for_the_programme_office(
    world, make_token, api_get, programme
) -> None:
    _hours(world)

    body = api_get("cofinancing", make_token(world.programme_office)).json()

    assert body["region"] == world.region.name
    assert body["school_year"] == ""
    assert {line["company"] for line in body["companies"]} == {"Bedrijf C", "Mbo D"}
    assert body["totals"]["total_hours"] == 12.0


@pytest.mark.django_db
def test_cofinancing_only_the_own_line_for_a_company(world, make_token, api_get) -> None:
    _hours(world)

    company = api_get("cofinancing", make_token(world.company)).json()
    school = api_get("cofinancing", make_token(world.school_a)).json()

    assert [line["company"] for line in company["companies"]] == ["Bedrijf C"]
    assert company["totals"]["total_hours"] == 2.0
    assert school["companies"] == []
    assert school["totals"]["total_hours"] == 0


@pytest.mark.django_db
def test_cofinancing_per_school_year(world, make_token, api_get) -> None:
    _hours(world)
    secret = make_token(world.company)

    this_year = SchoolYear.for_date(timezone.localdate())
    current = api_get("cofinancing", secret, school_year=this_year.starts_on.year).json()
    assert current["school_year"] == this_year.name
    assert current["totals"]["total_hours"] == 2.0
    assert api_get("cofinancing", secret, school_year=2010).json()["companies"] == []
    assert api_get("cofinancing", secret, school_year="2025-2026").status_code == 422
    assert api_get("cofinancing", secret, school_year=1999).status_code == 422


# --- monitoring ---


@pytest.mark.django_db
def test_monitoring_for_the_programme_office(world, make_token, api_get, programme) -> None:
    body = api_get("monitoring", make_token(world.programme_office)).json()

    assert body["programme"] == programme.name
    assert len(body["milestones"]) == programme.milestones.count() > 0
    milestone = body["milestones"][0]
    assert milestone["status"] in {"achieved", "on_track", "at_risk", "late"}
    bound = [m for m in body["milestones"] if m["indicator_code"]]
    assert bound, "the plan binds some milestones to indicators"
    indicators = {i["code"]: i for i in body["indicators"]}
    assert indicators, "some bound indicators are computed"
    assert set(indicators) <= {m["indicator_code"] for m in bound}
    assert all(i["name"] and i["value"] is not None for i in indicators.values())


@pytest.mark.django_db
def test_monitoring_is_only_for_the_programme_office(world, make_token, api_get, programme) -> None:
    for organisation in (world.school_a, world.company):
        response = api_get("monitoring", make_token(organisation))
        assert response.status_code == 403


@pytest.mark.django_db
def test_monitoring_without_a_programme(world, make_token, api_get) -> None:
    assert api_get("monitoring", make_token(world.programme_office)).status_code == 404
