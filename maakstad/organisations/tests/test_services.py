import io
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import Workbook

from maakstad.accounts.models import User
from maakstad.core.models import AuditEntry
from maakstad.core.tabular import read_table
from maakstad.organisations import services
from maakstad.organisations.models import Location, Membership, Organisation, Pupil, Role

HEADER = "leerlingnummer,voornaam,achternaam,klas,leerjaar,leerweg,profiel,ouder1 naam,ouder1 e-mail,ouder1 telefoon\n"


def _csv(text: str):
    return read_table(io.BytesIO(text.encode()), "klas.csv")


@pytest.mark.django_db
def test_import_creates_then_updates_and_replaces_guardians(world) -> None:
    teacher = world.user("teacher_a")
    first = services.pupil_import(
        school=world.school_a,
        table=_csv(
            HEADER + "1001,Sanne,Jansen,2K1,2,KB,,Anna Jansen,anna@example.nl,06 12345678\n"
            "1002,Bram,,2K1,2,kb,,,,\n"
        ),
        actor=teacher,
    )
    assert (first.created, first.updated, first.errors) == (2, 0, [])
    second = services.pupil_import(
        school=world.school_a,
        table=_csv(HEADER + "1001,Sanne,Jansen,3K1,3,KB,pie,Piet Jansen,piet@example.nl,\n"),
        actor=teacher,
    )
    assert (second.created, second.updated) == (0, 1)
    sanne = Pupil.objects.get(school=world.school_a, external_id="1001")
    assert sanne.profile is not None and sanne.profile.code == "PIE"
    assert (sanne.class_name, sanne.leerjaar, sanne.last_name_initial) == ("3K1", 3, "J")
    assert list(sanne.guardians.values_list("name", flat=True)) == ["Piet Jansen"]
    assert AuditEntry.objects.filter(action="pupils.imported").count() == 2


@pytest.mark.django_db
def test_one_bad_row_rejects_the_file_with_a_report_per_line(world) -> None:
    report = services.pupil_import(
        school=world.school_a,
        table=_csv(
            HEADER + "2001,Ali,,1K,1,KB,,,,\n2002,,,1K,7,XY,ABC,,ouder@,12\n2001,Eva,,1K,1,BB,,,,\n"
        ),
        actor=world.user("teacher_a"),
    )
    assert report.created == 0
    assert report.errors[0].startswith("Regel 3: voornaam ontbreekt")
    assert "leerjaar '7' moet een getal van 1 tot 6 zijn" in report.errors[0]
    assert "leerweg 'XY' bestaat niet; kies uit BB, GL, KB, TL" in report.errors[0]
    assert "profiel 'ABC' bestaat niet" in report.errors[0]
    assert "naam van ouder 1 ontbreekt" in report.errors[0]
    assert "e-mailadres van ouder 1 'ouder@' is ongeldig" in report.errors[0]
    assert report.errors[1] == "Regel 4: leerlingnummer 2001 staat ook op regel 2"
    assert not Pupil.objects.filter(external_id__startswith="200").exists()


@pytest.mark.django_db
def test_import_from_xlsx_and_header_mistakes(world) -> None:
    book = Workbook()
    sheet = book.create_sheet("Klas", 0)
    sheet.append(["Leerlingnummer", "Voornaam", "Klas", "Leerjaar"])
    sheet.append([3001, "Mo", "4K", 4])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    report = services.pupil_import(
        school=world.school_a, table=read_table(buffer, "lijst.xlsx"), actor=world.user("teacher_a")
    )
    assert report.created == 1 and Pupil.objects.get(external_id="3001").leerjaar == 4
    missing = services.pupil_import(
        school=world.school_a, table=_csv("naam,klas\nx,1\n"), actor=world.user("teacher_a")
    )
    assert "Kolommen ontbreken: leerlingnummer, voornaam" in missing.errors[0]
    with pytest.raises(PermissionDenied):
        services.pupil_import(
            school=world.school_a, table=_csv(HEADER), actor=world.user("teacher_b")
        )


@pytest.mark.django_db
def test_import_page_shows_the_report(world, client) -> None:
    client.force_login(world.user("teacher_a"))
    upload = io.BytesIO((HEADER + "4001,Noor,,1K,9,KB,,,,\n").encode())
    upload.name = "klas.csv"
    response = client.post(
        reverse("organisations:pupil_import", args=[world.school_a.pk]), {"file": upload}
    )
    assert (
        "Regel 2: leerjaar &#x27;9&#x27; moet een getal van 1 tot 6 zijn"
        in response.content.decode()
    )
    template = client.get(reverse("organisations:import_template"))
    assert template.content.decode().startswith("leerlingnummer,voornaam")


@pytest.mark.django_db
def test_invite_sends_a_working_set_password_link(
    world, client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.member_invite(
            organisation=world.school_a,
            email="Nieuw@School.nl",
            full_name="Nieuwe Collega",
            role=Role.DECAAN,
            actor=world.user("teacher_a"),
        )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nieuw@school.nl"]
    found = re.search(r"https?://\S+/account/wachtwoord-instellen/\S+", str(mail.outbox[0].body))
    assert found is not None
    link = found.group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "Een-sterk-wachtwoord-42", "new_password2": "Een-sterk-wachtwoord-42"},
    )
    assert response.status_code == 302
    assert User.objects.get(email="nieuw@school.nl").check_password("Een-sterk-wachtwoord-42")
    with pytest.raises(ValidationError):
        services.member_invite(
            organisation=world.school_a,
            email="nieuw@school.nl",
            full_name="x",
            role=Role.DECAAN,
            actor=world.user("teacher_a"),
        )
    with pytest.raises(ValidationError):
        services.member_invite(
            organisation=world.company, email="x@y.nl", full_name="x", role=Role.MENTOR, actor=None
        )


@pytest.mark.django_db
def test_the_last_admin_cannot_be_removed(world) -> None:
    admin = Membership.objects.get(organisation=world.school_a, role=Role.ORG_ADMIN)
    with pytest.raises(ValidationError, match="minstens één beheerder"):
        services.membership_remove(membership=admin, actor=world.user("teacher_a"))
    services.member_invite(
        organisation=world.school_a,
        email="tweede@a.test",
        full_name="Tweede",
        role=Role.ORG_ADMIN,
        actor=None,
    )
    services.membership_remove(membership=admin, actor=world.user("teacher_a"))


@pytest.mark.django_db
def test_location_validation_and_a_single_main_location(world) -> None:
    with pytest.raises(ValidationError) as error:
        services.location_save(
            organisation=world.school_a,
            location=None,
            values={
                "name": "Noord",
                "street": "Straat 1",
                "postcode": "1234",
                "city": "Rotterdam",
                "vestigingscode": "12",
                "latitude": 51.9,
                "longitude": None,
            },
            actor=None,
        )
    assert "latitude" in error.value.message_dict
    second = services.location_save(
        organisation=world.school_a,
        location=None,
        values={
            "name": "Noord",
            "street": "Straat 1",
            "postcode": "3011ab",
            "city": "Rotterdam",
            "is_main": True,
        },
        actor=None,
    )
    assert second.postcode == "3011 AB"
    assert list(world.school_a.locations.filter(is_main=True)) == [second]
    with pytest.raises(ValidationError) as error:
        services.location_save(
            organisation=world.school_a,
            location=second,
            values={"postcode": "0000 XX", "vestigingscode": "12"},
            actor=None,
        )
    assert "Vul een geldige Nederlandse postcode in" in str(error.value)
    assert "Een vestigingscode bestaat uit 6 tekens" in str(error.value)
    services.location_delete(location=second, actor=None)
    assert Location.objects.get(organisation=world.school_a).is_main
    with pytest.raises(ValidationError):
        services.location_delete(
            location=Location.objects.get(organisation=world.school_a), actor=None
        )


@pytest.mark.django_db
def test_identifier_validators_give_dutch_messages(world) -> None:
    company = Organisation(region=world.region, kind="company", name="X", kvk="1234", phone="abc")
    with pytest.raises(ValidationError) as error:
        company.full_clean()
    assert "Een KvK-nummer bestaat uit precies 8 cijfers." in error.value.message_dict["kvk"]
    assert "telefoonnummer" in error.value.message_dict["phone"][0]
    school = Organisation(region=world.region, kind="vmbo", name="Y", brin="ABCDE")
    with pytest.raises(ValidationError) as error:
        school.full_clean()
    assert "BRIN-nummer bestaat uit 4 tekens" in error.value.message_dict["brin"][0]


@pytest.mark.django_db
def test_saving_the_organisation_details_confirms_them(world) -> None:
    from django.utils import timezone

    assert world.company.confirmed_at is None
    services.organisation_update(
        organisation=world.company, values={"phone": "010-7654321"}, actor=world.user("company")
    )
    world.company.refresh_from_db()
    assert world.company.phone == "010-7654321"
    assert world.company.confirmed_at is not None
    assert (timezone.now() - world.company.confirmed_at).total_seconds() < 60
