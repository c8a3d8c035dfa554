import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from maakstad.attendance import checkin, codes, services
from maakstad.attendance.ledger import ledger
from maakstad.attendance.models import Attendance, AttendanceStatus, ReportedHours
from maakstad.attendance.testing import make_session
from maakstad.core.tabular import read_table
from maakstad.core.testing.factories import PupilFactory


def _qr(session, offset_steps: int = 0) -> str:
    return codes.qr_payload(session, codes.current_step() + offset_steps)


@pytest.mark.django_db
def test_every_outcome(world) -> None:
    session = make_session(world)
    pupil = world.pupil
    assert checkin.check_in(pupil=pupil, text="M1.nothing.1.abc").code == "invalid_code"
    assert checkin.check_in(pupil=pupil, text=_qr(session, -3)).code == "expired_code"
    tampered = _qr(session)[:-2] + "00"
    assert checkin.check_in(pupil=pupil, text=tampered).code == "invalid_code"
    assert (
        checkin.check_in(pupil=pupil, text=_qr(session), direction="out").code == "not_checked_in"
    )
    first = checkin.check_in(pupil=pupil, text=_qr(session))
    assert first.code == "ok" and "Gelukt" in first.message
    assert checkin.check_in(pupil=pupil, text=_qr(session)).code == "already_checked_in"
    other = PupilFactory.create(school=world.school_b)
    assert checkin.check_in(pupil=other, text=_qr(session)).code == "not_expected"
    out = checkin.check_in(pupil=pupil, text=_qr(session), direction="out", rating=4)
    assert out.code == "ok_out"
    attendance = Attendance.objects.get(session=session, pupil=pupil)
    assert attendance.status == AttendanceStatus.PRESENT and attendance.rating == 4
    assert attendance.minutes is not None and attendance.minutes <= 10
    assert (
        checkin.check_in(pupil=pupil, text=_qr(session), direction="out").code
        == "already_checked_out"
    )


@pytest.mark.django_db
def test_time_window_short_code_and_static_code(world) -> None:
    later = make_session(world, starts_in=dt.timedelta(hours=3))
    outcome = checkin.check_in(pupil=world.pupil, text=_qr(later))
    assert outcome.code == "not_started" and "vanaf" in outcome.message
    past = make_session(world, starts_in=dt.timedelta(hours=-5), hours=1)
    assert checkin.check_in(pupil=world.pupil, text=past.static_code).code == "ended"
    now_session = make_session(world, starts_in=dt.timedelta(minutes=-5))
    short = codes.short_code(now_session, codes.current_step())
    assert checkin.check_in(pupil=world.pupil, text=short.lower()).code == "ok"
    other = make_session(world, starts_in=dt.timedelta(minutes=-1))
    Attendance.objects.filter(session=other).delete()
    assert checkin.check_in(pupil=world.pupil, text=other.static_code).code == "not_expected"


@pytest.mark.django_db
def test_qr_codes_carry_no_personal_data_or_ids(world) -> None:
    session = make_session(world)
    payload = _qr(session)
    prefix, handle, step, mac = payload.split(".")
    assert (prefix, step) == ("M1", str(codes.current_step())) and len(mac) == 24
    # The handle is random and public, never the primary key or anything about a person.
    assert handle == session.handle and handle != str(session.pk) and len(handle) >= 12
    assert world.pupil.first_name not in payload and session.secret not in payload


@pytest.mark.django_db
def test_rate_limit_per_pupil(world) -> None:
    session = make_session(world)
    outcomes = [checkin.check_in(pupil=world.pupil, text="WRONG1").code for _ in range(12)]
    assert outcomes[-1] == "rate_limited"
    assert checkin.check_in(pupil=world.pupil, text=_qr(session)).code == "rate_limited"


@pytest.mark.django_db
def test_pupil_page_json_and_supervisor_screen(world, client) -> None:
    session = make_session(world)
    client.force_login(world.user("pupil"))
    response = client.post(
        reverse("attendance:checkin"),
        {"code": _qr(session)},
        headers={"Accept": "application/json"},
    )
    assert json.loads(response.content)["outcome"] == "ok"
    client.force_login(world.user("company"))
    screen = client.get(reverse("attendance:screen", args=[session.pk])).content.decode()
    assert "1 van 1 aanwezig" in screen and world.pupil.short_name in screen
    assert world.pupil.last_name not in screen or not world.pupil.last_name
    code = client.get(reverse("attendance:qr", args=[session.pk])).content.decode()
    assert "<svg" in code and codes.short_code(session, codes.current_step()) in code


@pytest.mark.django_db
def test_manual_marking_confirm_and_absences(world, django_capture_on_commit_callbacks) -> None:
    present = PupilFactory.create(school=world.school_a)
    session = make_session(
        world, starts_in=dt.timedelta(hours=-3), hours=2, pupils=[world.pupil, present]
    )
    late = Attendance.objects.get(session=session, pupil=present)
    with pytest.raises(ValidationError):
        services.attendance_mark(attendance=late, status="present", reason="", actor=None)
    services.attendance_mark(
        attendance=late, status="present", reason="Geen telefoon", actor=world.user("company")
    )
    services.session_confirm_duration(session=session, actor=world.user("company"), rating=5)
    late.refresh_from_db()
    assert late.minutes == 120
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify_absences(day=timezone.localdate(session.ends_at)) == 1
    missing = Attendance.objects.get(session=session, pupil=world.pupil)
    assert missing.status == AttendanceStatus.ABSENT
    assert any(world.pupil.short_name in m.body for m in mail.outbox)
    assert services.notify_absences(day=timezone.localdate(session.ends_at)) == 0


@pytest.mark.django_db
def test_ledger_per_company_and_category_with_sources(world) -> None:
    internship = make_session(
        world, starts_in=dt.timedelta(days=-2), hours=8, category="internship"
    )
    Attendance.objects.filter(session=internship).update(
        status=AttendanceStatus.PRESENT, minutes=480
    )
    services.reported_hours_save(
        school=world.school_a,
        company=world.company,
        school_year="2026-2027",
        half=1,
        hours="120,5",
        actor=None,
    )
    report = ledger(world.region)
    line = report.lines[0]
    assert line.company == world.company.name
    assert line.hours["internship"] == Decimal("8.00") and line.hours["regular"] == Decimal("120.5")
    assert line.sources == {"internship": "check-ins", "regular": "schoolmelding"}
    assert report.total_euros() == Decimal("128.5") * 60
    out = io.StringIO()
    call_command(
        "export", "cofinancing", "--format", "json", "--region", world.region.slug, stdout=out
    )
    data = json.loads(out.getvalue())
    assert data["totals"]["total_hours"] == 128.5 and data["totals"]["total_euros"] == 7710.0
    csv_out = io.StringIO()
    call_command(
        "export", "cofinancing", "--format", "csv", "--region", world.region.slug, stdout=csv_out
    )
    assert csv_out.getvalue().splitlines()[-1].startswith("Totaal")


@pytest.mark.django_db
def test_reported_hours_import_is_all_or_nothing(world) -> None:
    good = f"bedrijf,schooljaar,halfjaar,uren\n{world.company.name},2025-2026,1,200\n"
    bad = good + "Onbekend bv,2025-2026,1,10\n" + f"{world.company.name},2025-2026,3,10\n"
    count, errors = services.reported_hours_import(
        school=world.school_a, table=read_table(io.BytesIO(bad.encode()), "uren.csv"), actor=None
    )
    assert count == 0 and len(errors) == 2 and "Regel 3" in errors[0] and "halfjaar" in errors[1]
    assert not ReportedHours.objects.exists()
    count, errors = services.reported_hours_import(
        school=world.school_a, table=read_table(io.BytesIO(good.encode()), "uren.csv"), actor=None
    )
    assert count == 1 and errors == []
