"""Impact: cohorts by activity against follow-up choices, NPRZ and girls over time; small
groups (< 5 pupils) are never shown."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maakstad.core.tabular import read_table
from maakstad.core.testing.factories import OrganisationFactory, PupilFactory
from maakstad.monitoring import impact, services
from maakstad.monitoring.impact import Share
from maakstad.monitoring.indicators import Cuts
from maakstad.monitoring.models import FollowUpChoice, SchoolReport
from maakstad.monitoring.testing import programme_for
from maakstad.organisations.models import SchoolYear


def test_share_suppresses_small_groups_and_what_a_share_would_reveal() -> None:
    assert Share.of(4, 2) == Share(None, None, None)
    assert Share.of(5, 0) == Share(5, None, None)  # "none of the 5" reveals each pupil
    assert Share.of(9, 5) == Share(9, None, None)  # 4 non-technical
    assert Share.of(10, 5) == Share(10, 5, Decimal("50.0"))
    assert impact.count_or_none(4) is None and impact.count_or_none(5) == 5


@pytest.fixture
def impact_world(world):
    """14 pupils of school A with an outflow choice in 2025-2026 (technical: 0-5, 11, 12; girls:
    0-6), of whom 0-10 attended an activity and 0-2 did a deepening internship; school reports in
    aggregate for school B (2024-2025 and 2025-2026) and a tiny school in Noord."""
    from maakstad.attendance.models import Attendance, AttendanceStatus
    from maakstad.attendance.services import session_schedule
    from maakstad.internships.models import Application, Status
    from maakstad.internships.testing import make_ad

    programme = programme_for(world)
    year = SchoolYear.for_date(dt.date(2025, 10, 1))
    last_year = SchoolYear.for_date(dt.date(2024, 10, 1))
    pupils = [PupilFactory.create(school=world.school_a, leerjaar=4) for _ in range(14)]
    for index, pupil in enumerate(pupils):
        FollowUpChoice.objects.create(
            programme=programme,
            pupil=pupil,
            school=world.school_a,
            school_year=year,
            stage="outflow",
            is_technical=index <= 5 or index in (11, 12),
            gender="girl" if index <= 6 else "boy",
        )
    start = dt.datetime(2025, 11, 5, 10, tzinfo=dt.UTC)
    session = session_schedule(
        source=world.company,
        category="lob",
        provider=world.company,
        location=world.company.locations.first(),
        title="Bedrijfsbezoek",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        pupils=pupils,
        actor=None,
    )
    Attendance.objects.filter(session=session, pupil__in=pupils[:11]).update(
        status=AttendanceStatus.PRESENT, minutes=120
    )
    ad = make_ad(world.company)
    for pupil in pupils[:3]:
        Application.objects.create(ad=ad, pupil=pupil, status=Status.COMPLETED, motivation="x")
    # School A also filled in totals: ignored because it entered per pupil for that year.
    SchoolReport.objects.create(
        programme=programme,
        school=world.school_a,
        school_year=year,
        outflow_total=100,
        outflow_technical=90,
        outflow_technical_girls=50,
    )
    for school_year, total, technical, girls in ((last_year, 50, 10, 5), (year, 40, 12, 3)):
        SchoolReport.objects.create(
            programme=programme,
            school=world.school_b,
            school_year=school_year,
            outflow_total=total,
            outflow_technical=technical,
            outflow_technical_girls=girls,
        )
    tiny = OrganisationFactory.create(region=world.region, kind="vso", subregion="noord")
    SchoolReport.objects.create(
        programme=programme,
        school=tiny,
        school_year=year,
        outflow_total=3,
        outflow_technical=1,
        outflow_technical_girls=1,
    )
    return programme


@pytest.mark.django_db
def test_outflow_combines_per_pupil_and_aggregate_without_double_counting(
    world, impact_world
) -> None:
    programme = impact_world
    region = impact.outflow(programme, Cuts(school_year="2025-2026"))
    # 14 + 40 + 3 pupils; 8 + 12 + 1 technical; girls 6 + 3 + 1.
    assert region.total == Share(57, 21, Decimal("36.8"))
    assert region.girls_technical == 10
    assert region.girls == Share(7, None, None)  # 6 of 7 girls: the 1 would be revealed
    school_b = impact.outflow(programme, Cuts(school_year="2025-2026", school_id=world.school_b.pk))
    assert school_b.total == Share(40, 12, Decimal("30.0"))
    assert school_b.girls_technical is None  # 3 girls: suppressed
    noord = impact.outflow(programme, Cuts(subregion="noord"))
    assert noord.total.suppressed and noord.girls_technical is None


@pytest.mark.django_db
def test_nprz_and_girls_over_time(world, impact_world) -> None:
    series = dict(impact.outflow_series(impact_world, Cuts(), today=dt.date(2026, 6, 1)))
    assert series["2024-2025"].total.percent == Decimal("20.0")
    assert series["2025-2026"].total.percent == Decimal("36.8")
    assert impact.girls_change(list(series.items())) == Decimal("100.0")  # 5 -> 10 girls


@pytest.mark.django_db
def test_cohorts_by_activity(world, impact_world) -> None:
    cohorts = {c.key: c.share for c in impact.cohorts(impact_world, "outflow", Cuts())}
    assert cohorts["all"] == Share(14, 8, Decimal("57.1"))
    assert cohorts["attended"] == Share(11, 6, Decimal("54.5"))
    assert cohorts["internship"].suppressed  # 3 pupils
    assert cohorts["elective"].suppressed  # nobody
    assert cohorts["none"].suppressed  # pupils 11-13
    by_year = impact.cohorts(impact_world, "outflow", Cuts(school_year="2024-2025"))
    assert all(c.share.suppressed for c in by_year)


@pytest.mark.django_db
def test_impact_page_never_shows_a_small_group(world, impact_world, client) -> None:
    client.force_login(world.user("programme"))
    response = client.get(reverse("monitoring:impact"), {"deelregio": "noord"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "&lt;5" in html
    assert "<td>3</td>" not in html and "<td>1</td>" not in html
    response = client.get(reverse("monitoring:impact"))
    html = response.content.decode()
    assert "36.8%" in html or "36,8%" in html
    for pupil in world.school_a.pupils.all():
        assert pupil.first_name not in html


@pytest.mark.django_db
def test_follow_up_import_per_pupil(world, client) -> None:
    programme = programme_for(world)
    report = services.school_report_open(
        programme=programme,
        school=world.school_a,
        school_year=SchoolYear.for_date(dt.date(2026, 3, 1)),
        actor=None,
    )
    other = PupilFactory.create(school=world.school_b)
    bad = (
        "leerlingnummer;moment;technisch;gender\n"
        f"{world.pupil.external_id};uitstroom;ja;meisje\n"
        f"{other.external_id};uitstroom;ja;meisje\n"
        f"{world.pupil.external_id};later;misschien;?\n"
    )
    table = read_table(SimpleUploadedFile("k.csv", bad.encode()), "k.csv")
    result = services.follow_up_import(report=report, table=table, actor=None)
    assert result.created == 0 and len(result.errors) == 2
    assert "staat niet op deze school" in result.errors[0]
    assert not FollowUpChoice.objects.exists()

    client.force_login(world.user("teacher_a"))
    good = (
        f"leerlingnummer,moment,technisch,gender\n{world.pupil.external_id},uitstroom,ja,meisje\n"
    )
    response = client.post(
        reverse("monitoring:follow_up_upload", args=[report.pk]),
        {"file": SimpleUploadedFile("k.csv", good.encode())},
    )
    assert response.status_code == 302
    choice = FollowUpChoice.objects.get()
    assert (choice.stage, choice.is_technical, choice.gender) == ("outflow", True, "girl")
    assert choice.school_year == report.school_year
    # A re-import replaces the pupil's choice for that moment.
    again = good.replace(",ja,", ",nee,")
    client.post(
        reverse("monitoring:follow_up_upload", args=[report.pk]),
        {"file": SimpleUploadedFile("k.csv", again.encode())},
    )
    assert FollowUpChoice.objects.get().is_technical is False
