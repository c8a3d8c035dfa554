import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count, ForeignKey, OneToOneField
from django.urls import reverse
from django.utils import timezone

from maakstad.attendance.ledger import ledger
from maakstad.attendance.models import Attendance, AttendanceStatus, SessionCategory
from maakstad.attendance.services import session_schedule
from maakstad.core.models import AuditEntry
from maakstad.internships.models import Agreement, Application, Status
from maakstad.internships.testing import make_ad
from maakstad.organisations.models import Organisation, Pupil, Region, SchoolYear

# Models with a foreign key to Pupil and where their privacy handling lives. A new model with
# pupil data must be added here *and* to its app's privacy module.
COVERED = {
    "organisations.Guardian": "organisations.privacy (deleted)",
    "internships.Application": "internships.privacy",
    "internships.PlacementDay": "kept: dates only",
    "electives.Choice": "kept: no text",
    "electives.RunResult": "kept: no text",
    "electives.Placement": "kept: no text",
    "electives.SectionWaitlist": "kept: no text",
    "attendance.Attendance": "attendance.privacy",
    "monitoring.FollowUpChoice": "monitoring.privacy (kept: no text)",
    "sso.CouplingCode": "sso.privacy (deleted)",
}


def test_every_model_with_pupil_data_is_covered() -> None:
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, ForeignKey | OneToOneField) and field.related_model is Pupil:
                found.add(model._meta.label)
    assert found == set(COVERED), f"Decide how privacy handles: {sorted(found ^ set(COVERED))}"


def _placed(world) -> Application:
    ad = make_ad(world.company)
    application = Application.objects.create(
        ad=ad,
        pupil=world.pupil,
        motivation="Ik, Sanne, wil lassen.",
        status=Status.COMPLETED,
        reached_company=True,
    )
    Agreement.objects.create(application=application, pdf=b"%PDF-1.4 Sanne")
    starts = timezone.now() - dt.timedelta(days=3)
    session = session_schedule(
        source=application,
        category=SessionCategory.INTERNSHIP,
        provider=world.company,
        location=None,
        title="Stage",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        pupils=[world.pupil],
        actor=None,
    )
    Attendance.objects.filter(session=session).update(
        status=AttendanceStatus.PRESENT, minutes=120, reason="Sanne was er op tijd"
    )
    return application


@pytest.mark.django_db
def test_export_has_everything_and_anonymise_keeps_the_monitoring_totals(world, client) -> None:
    _placed(world)
    client.force_login(world.user("teacher_a"))
    response = client.get(reverse("organisations:pupil_export", args=[world.pupil.pk]))
    data = json.loads(response.content)
    assert (
        data["pupil"]["first_name"] == "Sanne" and data["guardians"][0]["name"] == "Ouder van Sanne"
    )
    assert data["internship_applications"][0]["motivation"] == "Ik, Sanne, wil lassen."
    region = world.region
    hours_before = ledger(region).total_hours()
    assert hours_before == Decimal(2)
    assert (
        client.post(reverse("organisations:pupil_anonymise", args=[world.pupil.pk])).status_code
        == 302
    )
    assert Pupil.objects.get(pk=world.pupil.pk).anonymised_at is None  # not confirmed: nothing done
    client.post(reverse("organisations:pupil_anonymise", args=[world.pupil.pk]), {"bevestig": "ja"})
    pupil = Pupil.objects.get(pk=world.pupil.pk)
    assert pupil.anonymised_at is not None and pupil.first_name == "Leerling" and pupil.user is None
    assert not pupil.guardians.exists() and not Agreement.objects.exists()
    assert Application.objects.get().motivation == ""
    user = world.user("pupil")
    user.refresh_from_db()
    assert (
        not user.is_active
        and "Sanne" not in user.full_name
        and user.email.endswith("@invalid.maakstad")
    )
    dump = json.dumps(
        list(AuditEntry.objects.values("before", "after", "object_repr")), default=str
    )
    assert "Sanne" not in dump
    assert ledger(region).total_hours() == hours_before
    assert Application.objects.filter(status=Status.COMPLETED, pupil=pupil).count() == 1
    assert AuditEntry.objects.filter(action="pupil.anonymised").exists()


@pytest.mark.django_db
def test_retention_anonymises_only_old_school_years(world) -> None:
    old_year = SchoolYear.for_date(dt.date(2021, 10, 1))
    Pupil.objects.filter(pk=world.pupil.pk).update(school_year=old_year)
    recent = Pupil.objects.create(
        school=world.school_a,
        external_id="9",
        first_name="Noor",
        class_name="2A",
        school_year=SchoolYear.for_date(timezone.localdate()),
    )
    out = StringIO()
    call_command("anonymise_expired_pupils", stdout=out)
    assert "Geanonimiseerd: 1" in out.getvalue()
    assert Pupil.objects.get(pk=world.pupil.pk).anonymised_at is not None
    assert Pupil.objects.get(pk=recent.pk).anonymised_at is None


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_an_empty_database(world, tmp_path) -> None:
    call_command("load_demo", "--pupils", "60", "--quiet-logins", stdout=StringIO())
    models = [
        m
        for m in apps.get_models()
        if m._meta.app_label
        in {
            "organisations",
            "catalogue",
            "bookings",
            "internships",
            "electives",
            "attendance",
            "knowledge",
            "monitoring",
            "accounts",
            "core",
        }
    ]
    before = {m._meta.label: m._default_manager.count() for m in models}
    spend = Decimal(sum(Organisation.objects.values_list("pk", flat=True)))
    path = tmp_path / "maakstad.json.gz"
    call_command("backup", str(path), stdout=StringIO())
    with pytest.raises(Exception, match="niet leeg"):
        call_command("restore", str(path), stdout=StringIO())
    call_command("flush", interactive=False, verbosity=0)
    assert not Region.objects.exists()
    call_command("restore", str(path), stdout=StringIO())
    after = {m._meta.label: m._default_manager.count() for m in models}
    assert after == before
    assert Decimal(sum(Organisation.objects.values_list("pk", flat=True))) == spend
    assert Organisation.objects.aggregate(n=Count("offers"))["n"] > 0
